"""PDF/UA-1 checks on every kind of PDF, in Dutch, French and Arabic, concept and final.

veraPDF, the reference PDF/UA validator, is a Java program that neither Debian, PyPI nor npm packages, so this
module checks the rules Traject's PDFs have broken or could break, from the file itself (pikepdf for objects and
metadata, pdfplumber for which marked content each glyph sits in) and from the HTML the PDF was made from:

- every glyph is an artifact or marked content whose structure element is reachable from the StructTreeRoot, and
  the ParentTree maps it back to that element;
- the running header and footer are pagination artifacts on every page, the CONCEPT mark a watermark artifact on
  every page of a concept and nowhere in a final document;
- the XMP metadata identifies PDF/UA-1 (with the extension schema PDF/A asks for) beside PDF/A-3u, with a title;
  the catalog has a language, marks the file as tagged and shows the title;
- one Table per <table>, one Sect per <section>, one Part per <main>, one TH per <th> (a header row repeated on a
  later page is not read twice), every TH with a /Scope, no empty structure element but table cells;
- headings start at H1 and never skip a level;
- /Lang on every passage whose language differs from the text around it (the Dutch parts of a translated letter);
- every Arabic glyph is read through an /ActualText in logical order (a screen reader's view of the text).
"""
import re
from collections import Counter
from datetime import date
from functools import cache
from io import BytesIO

import lxml.html
import pdfplumber
import pikepdf
import pytest

from tests.helpers import example_cases
from webapp.documents import DOCUMENTS, kinds_for, render
from webapp.documents.context import build_document_context
from webapp.documents.env import make_document_env


TODAY = date(2026, 3, 20)
DOCS = {**example_cases(), **example_cases('traject-samenwerking/1')}
# Every kind of every example in Dutch; the parents' letter of one example also in every other language asked for.
LETTER = sorted(name for name, doc in DOCS.items() if 'oudersamenvatting' in kinds_for(doc))[0]
CASES = [(name, kind, 'nl') for name, doc in sorted(DOCS.items()) for kind in kinds_for(doc)] + [
    (LETTER, 'oudersamenvatting', language) for language in ('fr', 'ar', 'fr+nl', 'ar+nl')]
_ARABIC = re.compile('[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]')
_HEADINGS = {f'/H{n}': n for n in range(1, 7)}
# Structure element -> HTML element it must correspond to one to one.
_ONE_TO_ONE = {'/Table': 'table', '/Sect': 'section', '/Part': 'main', '/TH': 'th', '/TR': 'tr', '/Art': 'article'}


@cache
def _render(name: str, kind: str, language: str, final: bool) -> tuple[bytes, str]:
    """Return the PDF and the HTML it was made from."""
    doc = DOCS[name]
    spec = DOCUMENTS[kind]
    ctx = build_document_context(doc, kind, audience=spec.audience, final=final, today=TODAY, language=language)
    html = make_document_env(ctx['lang']).get_template(spec.pdf).render(ctx)
    return render(doc, kind, 'pdf', language, final=final, today=TODAY), html


class _Tree:
    """The structure tree of a PDF, read from the StructTreeRoot down."""

    def __init__(self, pdf: pikepdf.Pdf):
        self.pages = {page.objgen: number for number, page in enumerate(pdf.pages)}
        self.elements: list[pikepdf.Dictionary] = []  # reading order
        self.owner: dict[tuple[int, int], pikepdf.Dictionary] = {}  # (page, MCID) -> structure element
        self.problems: list[str] = []
        root = pdf.Root.get('/StructTreeRoot')
        if root is None:
            self.problems.append('no StructTreeRoot')
            return
        for kid in _kids(root):
            self._walk(kid, None)

    def _walk(self, element, page: int | None) -> None:
        self.elements.append(element)
        if '/Pg' in element:
            page = self.pages[element.Pg.objgen]
        for kid in _kids(element):
            if isinstance(kid, int):
                self.owner[(page, kid)] = element
            elif isinstance(kid, pikepdf.Dictionary) and kid.get('/Type') == '/MCR':
                self.owner[(self.pages[kid.Pg.objgen], int(kid.MCID))] = element
            elif isinstance(kid, pikepdf.Dictionary) and '/S' in kid:
                self._walk(kid, page)


def _kids(element) -> list:
    kids = element.get('/K')
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _parent_tree(pdf: pikepdf.Pdf) -> dict[int, pikepdf.Object]:
    nums = pdf.Root.StructTreeRoot.ParentTree.get('/Nums', [])
    return {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}


def _html_counts(html: str) -> tuple[Counter, Counter]:
    """Return the HTML elements readers get (outside aria-hidden) by tag, and the language changes by language."""
    root = lxml.html.document_fromstring(html)
    tags, langs = Counter(), Counter()

    def walk(element, lang):
        if not isinstance(element.tag, str) or element.get('aria-hidden') == 'true':
            return
        tags[element.tag] += 1
        own = element.get('lang') or lang
        if own != lang and element.text_content().strip():
            langs[own] += 1
        for child in element:
            walk(child, own)

    walk(root, root.get('lang'))
    return tags, langs


def _artifacts(pdf: pikepdf.Pdf) -> list[Counter]:
    """Return per page the artifact subtypes in its content stream (Header, Footer, Watermark)."""
    pages = []
    for page in pdf.pages:
        kinds = Counter()
        for operands, operator in pikepdf.parse_content_stream(page, 'BDC'):
            if operands[0] == '/Artifact' and isinstance(operands[1], pikepdf.Dictionary):
                kinds[str(operands[1].get('/Subtype', ''))] += 1
        pages.append(kinds)
    return pages


def check_pdfua(data: bytes, html: str, concept: bool) -> list[str]:
    """Return what keeps PDF `data` (made from `html`) from PDF/UA-1, one line per problem; empty when none."""
    problems = []
    pdf = pikepdf.open(BytesIO(data))
    tree = _Tree(pdf)
    problems += tree.problems

    # Identification and catalog.
    meta = pdf.open_metadata()
    xmp = pdf.Root.Metadata.read_bytes()
    if meta.get('pdfuaid:part') != '1':
        problems.append(f'pdfuaid:part is {meta.get("pdfuaid:part")!r}, not 1')
    if b'<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>' not in xmp:
        problems.append('no PDF/A extension schema for pdfuaid')
    if (meta.get('pdfaid:part'), meta.get('pdfaid:conformance')) != ('3', 'U'):
        problems.append('the PDF/A-3u identification is gone')
    if not meta.get('dc:title'):
        problems.append('no dc:title')
    if not str(pdf.Root.get('/Lang', '')):
        problems.append('no /Lang in the catalog')
    if not pdf.Root.get('/MarkInfo', {}).get('/Marked'):
        problems.append('MarkInfo /Marked is not true')
    if not pdf.Root.get('/ViewerPreferences', {}).get('/DisplayDocTitle'):
        problems.append('DisplayDocTitle is not true')

    # Every glyph an artifact or reachable content; the ParentTree agrees with the tree.
    parent_tree = _parent_tree(pdf)
    for (page, mcid), element in tree.owner.items():
        mapped = parent_tree.get(int(pdf.pages[page].StructParents))
        if mapped is None or mcid >= len(mapped) or mapped[mcid].objgen != element.objgen:
            problems.append(f'page {page + 1}: the ParentTree does not lead MCID {mcid} to its element')
    text: dict[tuple[int, int], str] = {}
    with pdfplumber.open(BytesIO(data)) as plumb:
        for number, page in enumerate(plumb.pages):
            untagged = arabic = ''
            for char in page.chars:
                if char['tag'] == 'Artifact':
                    continue
                key = (number, char['mcid'])
                element = tree.owner.get(key)
                if element is None:
                    untagged += char['text']
                    continue
                text[key] = text.get(key, '') + char['text']
                if _ARABIC.match(char['text']) and '/ActualText' not in element:
                    arabic += char['text']
            if untagged:
                problems.append(f'page {number + 1}: text neither tagged nor an artifact: {untagged[:60]!r}')
            if arabic:
                problems.append(f'page {number + 1}: Arabic text without ActualText: {arabic[:60]!r}')

    # Page furniture and the CONCEPT mark.
    for number, kinds in enumerate(_artifacts(pdf), start=1):
        if not kinds['/Header'] or not kinds['/Footer']:
            problems.append(f'page {number}: running header or footer is not a pagination artifact')
        if bool(kinds['/Watermark']) != concept:
            problems.append(f'page {number}: CONCEPT watermark artifact {"missing" if concept else "in a final"}')

    # Structure.
    tags, langs = _html_counts(html)
    found = Counter(str(element.S) for element in tree.elements)
    for pdf_type, html_tag in _ONE_TO_ONE.items():
        if found[pdf_type] != tags[html_tag]:
            problems.append(f'{found[pdf_type]} {pdf_type} for {tags[html_tag]} <{html_tag}>')
    levels = [_HEADINGS[str(e.S)] for e in tree.elements if str(e.S) in _HEADINGS]
    if levels[:1] != [1]:
        problems.append(f'the first heading is H{levels[0] if levels else "-"}, not H1')
    problems += [f'H{b} follows H{a}' for a, b in zip(levels, levels[1:]) if b > a + 1]
    direct = Counter()
    for key, element in tree.owner.items():
        direct[element.objgen] += len(text.get(key, '').strip())
    for element in tree.elements:
        kind = str(element.S)
        if kind not in ('/TD', '/TH', '/TR') and not _has_text(element, direct):
            problems.append(f'empty {kind}')
        if kind == '/TH' and str(element.get('/A', {}).get('/Scope', '')) not in ('/Row', '/Column', '/Both'):
            problems.append('TH without /Scope')
    pdf_langs = Counter(str(e.Lang) for e in tree.elements if '/Lang' in e)
    if pdf_langs != langs:
        problems.append(f'/Lang on {dict(pdf_langs)}, the HTML changes language {dict(langs)}')
    pdf.close()
    return problems


def _has_text(element, direct: Counter) -> bool:
    return direct[element.objgen] > 0 or any(
        _has_text(kid, direct) for kid in _kids(element) if isinstance(kid, pikepdf.Dictionary) and '/S' in kid)


def screen_reader_text(data: bytes) -> str:
    """Return the text in structure order as a screen reader gets it: ActualText where given, else the glyphs."""
    pdf = pikepdf.open(BytesIO(data))
    tree = _Tree(pdf)
    glyphs: dict[tuple[int, int], str] = {}
    with pdfplumber.open(BytesIO(data)) as plumb:
        for number, page in enumerate(plumb.pages):
            for char in page.chars:
                if char['mcid'] is not None:
                    glyphs[(number, char['mcid'])] = glyphs.get((number, char['mcid']), '') + char['text']
    by_element: dict = {}
    for key, element in tree.owner.items():
        by_element.setdefault(element.objgen, []).append(glyphs.get(key, ''))
    parts = []
    for element in tree.elements:
        if '/ActualText' in element:
            parts.append(str(element.ActualText))
        elif not any('/ActualText' in parent for parent in _ancestors(element)):
            parts.append(''.join(by_element.get(element.objgen, [])))
    pdf.close()
    return ' '.join(part for part in parts if part)


def _ancestors(element):
    parent = element.get('/P')
    while parent is not None and parent.get('/Type') == '/StructElem':
        yield parent
        parent = parent.get('/P')


@pytest.mark.parametrize('final', [False, True], ids=['concept', 'final'])
@pytest.mark.parametrize('name, kind, language', CASES, ids=['-'.join(case) for case in CASES])
def test_pdfua(name, kind, language, final):
    data, html = _render(name, kind, language, final)
    assert check_pdfua(data, html, concept=not final) == []


@pytest.mark.parametrize('language', ['fr', 'ar', 'fr+nl', 'ar+nl'])
def test_translated_letter_marks_its_dutch_parts(language):
    data, _html = _render(LETTER, 'oudersamenvatting', language, True)
    pdf = pikepdf.open(BytesIO(data))
    tree = _Tree(pdf)
    assert str(pdf.Root.Lang) == language.split('+')[0]
    dutch = [element for element in tree.elements if str(element.get('/Lang', '')) == 'nl']
    assert dutch, 'no structure element marked Dutch'


def test_arabic_reads_in_logical_order():
    data, _html = _render(LETTER, 'oudersamenvatting', 'ar', True)
    text = screen_reader_text(data)
    # The title, with the lam-alef maksura ligature that extraction from glyphs reads as 'إىل'.
    assert 'رسالة إلى الوالدين' in text
    assert 'إىل' not in text


def test_checker_finds_what_weasyprint_alone_gets_wrong(monkeypatch):
    """The checker fails WeasyPrint's own tagging: each rule of the issue is seen."""
    import weasyprint.pdf
    from weasyprint.pdf.tags import add_tags

    from webapp.documents import pdftags, render_uncached
    monkeypatch.setattr(pdftags, 'add_tags', add_tags)
    doc = DOCS[LETTER]
    data = render_uncached(doc, 'verslag', 'pdf', final=False, today=TODAY)
    problems = '\n'.join(check_pdfua(data, _render(LETTER, 'verslag', 'nl', False)[1], concept=True))
    assert weasyprint.pdf.add_tags is add_tags
    for expected in ('text neither tagged nor an artifact', 'CONCEPT watermark', 'TH without /Scope',
                     '/Part for 1 <main>', 'empty /Div'):
        assert expected in problems
