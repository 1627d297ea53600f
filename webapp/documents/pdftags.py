"""The PDF structure tree (tags) of every Traject PDF, built for PDF/UA-1 in place of WeasyPrint's own.

WeasyPrint 70 tags a PDF page by page from its layout boxes. A screen reader then meets the running headers and
footers as unreachable tags instead of artifacts, the CONCEPT mark as text on every page, every page as a new
`Part` (a section that runs over a page break loses its heading, a split table becomes two and its repeated header
row is read twice), table headers without `/Scope`, Dutch passages in a translated letter without `/Lang`, and
Arabic ligatures in the wrong order. This module builds the tree from the same boxes and the same marked content,
with these rules:

- one structure element per HTML element, whatever the number of pages it spans (an element's later fragments
  add to the element made on its first page);
- margin boxes (running header and footer), elements with `aria-hidden="true"` (the CONCEPT mark, the strings
  the margin boxes copy), invisible text and a table header repeated on a later page are artifacts;
- `/Scope` from the `scope` attribute of a `th`, else Column in a `thead` and Row elsewhere;
- `/Lang` wherever an element's `lang` differs from the language around it;
- right-to-left text is a `Span` with its logical order as `/ActualText`, so what a screen reader reads does not
  depend on how a reader orders the letters of a ligature glyph;
- elements that end up with no content (inline elements, wrappers of nothing) are left out, except table cells,
  which keep the table's grid.

`add_tags` has WeasyPrint's signature; `webapp.documents.pdf` installs it for the duration of a render.
"""
import logging
import re
from dataclasses import dataclass, field

import pydyf
from weasyprint.formatting_structure import boxes
from weasyprint.layout.absolute import AbsolutePlaceholder


logger = logging.getLogger(__name__)

# HTML element -> PDF structure type. Inline elements not listed (strong, em, br) add no element of their own:
# their text belongs to the block around them. Unlisted block elements become a Div.
_TYPES = {
    'main': 'Part', 'article': 'Art', 'section': 'Sect', 'div': 'Div', 'header': 'Div', 'footer': 'Div',
    'aside': 'Div', 'nav': 'Div', 'blockquote': 'BlockQuote', 'p': 'P',
    'h1': 'H1', 'h2': 'H2', 'h3': 'H3', 'h4': 'H4', 'h5': 'H5', 'h6': 'H6',
    'ul': 'L', 'ol': 'L', 'dl': 'L', 'li': 'LI', 'dt': 'LI', 'dd': 'LI',
    'table': 'Table', 'thead': 'THead', 'tbody': 'TBody', 'tfoot': 'TFoot', 'tr': 'TR', 'th': 'TH', 'td': 'TD',
    'caption': 'Caption', 'figcaption': 'Caption', 'figure': 'Figure', 'img': 'Figure', 'a': 'Link', 'span': 'Span',
}
_INLINE_SILENT = frozenset({'strong', 'em', 'b', 'i', 'u', 'small', 'br', 'abbr', 'time', 'mark', 'code', 'sub',
                            'sup', 'q', 'cite'})
# Kept even when empty: an empty cell is part of the table's grid.
_KEEP_EMPTY = frozenset({'TR', 'TH', 'TD'})
_REPEATED_GROUPS = frozenset({'thead', 'tfoot'})
# Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, Arabic Extended and the Arabic presentation forms.
_RTL_SCRIPT = re.compile('[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]')


@dataclass(eq=False)
class _Node:
    """A structure element before it is written: its type, attributes and kids in reading order."""

    tag: str
    attributes: dict = field(default_factory=dict)
    # Kids: _Node, ('mcid', page, mcid) or ('objr', page, annotation).
    kids: list = field(default_factory=list)
    lang: str | None = None
    alt: str | None = None
    actual_text: str | None = None
    content: '_Node | None' = None  # where the element's children go (a list item's LBody)
    group: str | None = None  # a row's row group (THead, TBody, TFoot)

    @property
    def body(self) -> '_Node':
        return self.content or self


@dataclass
class _Page:
    """What the walk over one page needs: its number, its marked content and where each MCID sits in the stream."""

    number: int
    tags: dict
    stream: list
    positions: dict


class _Walk:
    """One document's walk over its pages' boxes."""

    def __init__(self, root_lang: str | None):
        self.root = _Node('Document')
        self.root_lang = root_lang
        self.elements: dict[int, _Node] = {}  # id(HTML element) -> node, across pages
        self.first_page: dict[int, int] = {}  # id(HTML element) -> page it first appeared on
        self.keep: list = []  # the HTML elements, so their ids stay theirs during the walk
        self.page: _Page | None = None

    # --- marked content ---

    def content(self, box, node: _Node) -> None:
        """Record the marked content of a text or replaced `box` as a kid of `node`."""
        info = self.page.tags.pop(box, None)
        if info is None:
            return
        if isinstance(box, boxes.TextBox) and _RTL_SCRIPT.search(box.text):
            # The logical order for screen readers: the font maps a ligature glyph (lam-alef) to its letters, which
            # extraction from visual order gets backwards. On the structure element, not in the content stream:
            # poppler reads content-stream ActualText as visual order and would reverse the whole line.
            node.kids.append(_Node('Span', kids=[('mcid', self.page.number, info['mcid'])], actual_text=box.text))
            return
        node.kids.append(('mcid', self.page.number, info['mcid']))

    def artifact(self, box, kind: str, subtype: str | None = None) -> None:
        """Turn the marked content of `box` and everything in it into an artifact."""
        if isinstance(box, AbsolutePlaceholder):
            box = box._box
        info = self.page.tags.pop(box, None)
        if info is not None:
            self._make_artifact(info['mcid'], kind, subtype)
        for child in getattr(box, 'children', ()):
            self.artifact(child, kind, subtype)

    def _make_artifact(self, mcid: int, kind: str, subtype: str | None) -> None:
        index = self.page.positions.get(mcid)
        if index is None:  # drawn in a nested stream (a transparency group): not found, so left as it is
            logger.warning('Marked content %s on page %s not found; left tagged', mcid, self.page.number + 1)
            return
        props = pydyf.Dictionary({'Type': f'/{kind}'})
        if subtype:
            props['Subtype'] = f'/{subtype}'
        self.page.stream[index - 1] = '/Artifact'
        self.page.stream[index] = props

    # --- boxes ---

    def walk(self, box, parent: _Node, lang: str | None) -> None:
        """Add `box` and what it contains under `parent`."""
        if isinstance(box, AbsolutePlaceholder):
            box = box._box
        if isinstance(box, boxes.MarginBox):
            self.artifact(box, 'Pagination', 'Header' if box.at_keyword.startswith('@top') else 'Footer')
            return
        element = box.element
        if element is not None and element.get('aria-hidden') == 'true':
            self.artifact(box, 'Pagination', 'Watermark' if _has_class(element, 'concept-mark') else None)
            return
        if isinstance(box, boxes.TextBox):
            if box.style['visibility'] != 'visible':
                self.artifact(box, 'Layout')
            else:
                self.content(box, parent)
            return

        node, lang = self._node_for(box, parent, lang)
        if node is None:
            return
        if getattr(box, 'link_annotation', None) is not None:
            node.kids.append(('objr', self.page.number, box.link_annotation))
        if isinstance(box, boxes.ReplacedBox):
            if node.tag == 'Figure' and node.alt:
                self.content(box, node)
            else:  # an image without alt text is decoration
                self.artifact(box, 'Layout')
            return
        for child in getattr(box, 'children', ()):
            if isinstance(child, boxes.LineBox):
                for inline in child.children:
                    self.walk(inline, node.body, lang)
            else:
                self.walk(child, node.body, lang)

    def _node_for(self, box, parent: _Node, lang: str | None):
        """Return the node `box`'s content goes to (None: an artifact) and the language inside it."""
        element = box.element
        tag = box.element_tag
        if element is None or tag in ('html', 'body') or isinstance(box, boxes.PageBox):
            return parent, _lang_of(element, lang) if element is not None else lang
        if '::' in tag:  # generated content (a list marker, ::before) belongs to its element
            if tag.endswith('::marker'):
                label = _Node('Lbl')
                self._owner(element, parent).kids.insert(0, label)  # a list item's label comes before its body
                return label, lang
            return parent, lang
        key = id(element)
        known = self.elements.get(key)
        if known is not None:
            if known.body is parent or known is parent:  # an anonymous box or a second box of the same element
                return parent, _lang_of(element, lang)
            if tag in _REPEATED_GROUPS and self.first_page[key] != self.page.number:
                self.artifact(box, 'Pagination')  # a table header repeated on a later page
                return None, lang
            return known, _lang_of(element, lang)  # the element goes on from an earlier page

        own_lang = _lang_of(element, lang)
        pdf_type = _TYPES.get(tag)
        if pdf_type is None:
            if tag in _INLINE_SILENT or isinstance(box, boxes.InlineBox):
                if own_lang == lang:
                    return parent, lang
                pdf_type = 'Span'  # a passage in another language needs its own element for /Lang
            else:
                pdf_type = 'Div'
        node = _Node(pdf_type)
        if own_lang != lang and own_lang:
            node.lang = own_lang
        if pdf_type in ('TH', 'TD'):
            node.attributes = {'O': '/Table'}
            if box.colspan != 1:
                node.attributes['ColSpan'] = box.colspan
            if box.rowspan != 1:
                node.attributes['RowSpan'] = box.rowspan
            if pdf_type == 'TH':
                node.attributes['Scope'] = _scope(element, parent)
        elif pdf_type == 'TR':
            node.group = parent.tag
        elif pdf_type == 'LI':
            node.content = _Node('LBody')
            node.kids.append(node.content)
        elif pdf_type == 'Figure':
            node.alt = element.get('alt') or None
        self.elements[key] = node
        self.first_page[key] = self.page.number
        self.keep.append(element)
        parent.kids.append(node)
        return node, own_lang

    def _owner(self, element, parent: _Node) -> _Node:
        node = self.elements.get(id(element))
        return node if node is not None else parent


def _lang_of(element, inherited: str | None) -> str | None:
    return element.get('lang') or inherited


def _has_class(element, name: str) -> bool:
    return element is not None and name in (element.get('class') or '').split()


def _scope(element, row: _Node) -> str:
    scope = (element.get('scope') or '').lower()
    if scope in ('row', 'rowgroup'):
        return '/Row'
    if scope in ('col', 'colgroup'):
        return '/Column'
    # No scope: a header cell in the table head heads its column, anywhere else its row.
    return '/Column' if row.group == 'THead' else '/Row'


def _positions(stream: list) -> dict[int, int]:
    """Return MCID -> index of its property list in a page's content stream (still a list before writing)."""
    return {item['MCID']: index for index, item in enumerate(stream)
            if type(item) is pydyf.Dictionary and 'MCID' in item}


def add_tags(pdf, document, pdf_version, page_streams):
    """Build the structure tree of `document` into `pdf` (WeasyPrint's `add_tags` signature)."""
    walk = _Walk(document.metadata.lang)
    for number, (page, stream) in enumerate(zip(document.pages, page_streams)):
        walk.page = _Page(number, stream._tags, stream.stream, _positions(stream.stream))
        walk.walk(page._page_box, walk.root, walk.root_lang)
        for box in list(walk.page.tags):
            # Marked content the walk did not reach (WeasyPrint draws something new): never leave it untagged.
            logger.warning('Untagged content on page %s made an artifact: %r', number + 1, box)
            walk.artifact(box, 'Layout')
    _write(pdf, document, walk, pdf_version)


def _write(pdf, document, walk: _Walk, pdf_version) -> None:
    """Write the nodes as StructElem objects, the ParentTree, and the catalog entries PDF/UA asks for."""
    pages = pdf.page_references
    root = pydyf.Dictionary({'Type': '/StructTreeRoot'})
    pdf.add_object(root)
    parents: dict[int, dict[int, str]] = {n: {} for n in range(len(pages))}
    objrs = []

    def emit(node: _Node, parent_ref: str) -> str:
        element = pydyf.Dictionary({'Type': '/StructElem', 'S': f'/{node.tag}', 'P': parent_ref})
        pdf.add_object(element)
        kids = pydyf.Array()
        first_page = _first_page(node)
        if first_page is not None:
            element['Pg'] = pages[first_page]
        for kid in node.kids:
            if isinstance(kid, _Node):
                kids.append(emit(kid, element.reference))
            elif kid[0] == 'mcid':
                _, page, mcid = kid
                parents[page][mcid] = element.reference
                if page == first_page:
                    kids.append(mcid)
                else:
                    kids.append(pydyf.Dictionary({'Type': '/MCR', 'Pg': pages[page], 'MCID': mcid}))
            else:
                _, page, annotation = kid
                objr = pydyf.Dictionary({'Type': '/OBJR', 'Obj': annotation.reference, 'Pg': pages[page]})
                pdf.add_object(objr)
                kids.append(objr.reference)
                objrs.append((element.reference, annotation))
        element['K'] = kids
        if node.attributes:
            element['A'] = pydyf.Dictionary(node.attributes)
        if node.lang:
            element['Lang'] = pydyf.String(node.lang)
        if node.alt:
            element['Alt'] = pydyf.String(node.alt)
        if node.actual_text:
            element['ActualText'] = pydyf.String(node.actual_text)
        return element.reference

    _prune(walk.root)
    root['K'] = pydyf.Array([emit(walk.root, root.reference)])

    nums = pydyf.Array()
    for page, mapping in parents.items():
        nums.append(page)
        size = max(mapping) + 1 if mapping else 0
        nums.append(pydyf.Array([mapping.get(mcid, 'null') for mcid in range(size)]))
    for number, (reference, annotation) in enumerate(objrs, start=len(pages)):
        nums.append(number)
        nums.append(reference)
        annotation['StructParent'] = number
    parent_tree = pydyf.Dictionary({'Nums': nums})
    pdf.add_object(parent_tree)
    root['ParentTree'] = parent_tree.reference
    root['ParentTreeNextKey'] = len(pages) + len(objrs)
    pdf.catalog['StructTreeRoot'] = root.reference
    pdf.catalog['ViewerPreferences'] = pydyf.Dictionary({'DisplayDocTitle': 'true'})
    pdf.catalog['MarkInfo'] = pydyf.Dictionary({'Marked': 'true'})
    if 'Lang' not in pdf.catalog:
        pdf.catalog['Lang'] = pydyf.String(walk.root_lang or '')


def _prune(node: _Node) -> bool:
    """Drop the kids of `node` that hold no content (an empty wrapper, hidden text); return whether it has any."""
    node.kids = [kid for kid in node.kids if not isinstance(kid, _Node) or _prune(kid) or kid.tag in _KEEP_EMPTY]
    return bool(node.kids)


def _first_page(node: _Node) -> int | None:
    for kid in node.kids:
        if isinstance(kid, _Node):
            page = _first_page(kid)
            if page is not None:
                return page
        else:
            return kid[1]
    return None
