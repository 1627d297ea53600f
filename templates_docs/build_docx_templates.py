"""Write the six DOCX templates of templates_docs/docx/ with python-docx, reproducibly.

Run from the project root: `.venv/bin/python templates_docs/build_docx_templates.py [--out DIR]`.

The templates are docxtpl documents: Jinja in the text, `{%p ...%}` tags on paragraphs of their own and
`{%tr ...%}` tags in table rows of their own (docxtpl removes the paragraph or row around the tag). They read only
the document context (webapp/documents/context.py) and print every numbered heading from `koppen.<key>`, so that the
DOCX and the PDF show the same headings. The output uses real Word styles (Title, Heading 1/2, List Bullet and two
table styles), so that the document is pleasant to edit and its outline shows in Word's navigation pane.

Running the script twice gives byte-identical files: the core properties carry a fixed date and the ZIP entries a
fixed timestamp, so a rebuild only shows up in git when a template really changed.
"""
import argparse
import io
import zipfile
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timezone
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, Twips
from lxml import etree


DOCX_DIR = Path(__file__).resolve().parent / 'docx'

FONT = 'Noto Sans'
TEXT_WIDTH_CM = 16.6  # A4 (21 cm) minus two margins of 2.2 cm
TWIPS_PER_CM = 567
CELL_MARGIN = 85  # twips, left and right in every table cell
# Fixed metadata and ZIP timestamps make the build reproducible.
BUILT = datetime(2026, 1, 1, tzinfo=timezone.utc)
ZIP_TIME = (2026, 1, 1, 0, 0, 0)

DARK = '1F3B57'
ACCENT = '2E5A7D'
MUTED = '5B6B7A'
RULE = 'C5D0DB'

# --- styles --------------------------------------------------------------------------------------------------------

# Body font and size live in the document defaults, not in Normal: a table style can then make table text smaller
# (Word applies docDefaults < table style < paragraph style), and Normal stays a plain, editable base style.
DOC_DEFAULTS = f'''
<w:docDefaults {nsdecls('w')}>
  <w:rPrDefault><w:rPr>
    <w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>
    <w:sz w:val="20"/><w:szCs w:val="20"/>
    <w:lang w:val="nl-BE" w:eastAsia="nl-BE" w:bidi="ar-SA"/>
  </w:rPr></w:rPrDefault>
  <w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault>
</w:docDefaults>'''


def _paragraph_style(style_id: str, name: str, ppr: str = '', rpr: str = '', *, based_on: str = 'Normal',
                     next_style: str = 'Normal', priority: int = 10, custom: bool = False) -> str:
    # Child elements follow the order of the OOXML schema: Word refuses a document whose order differs.
    custom_attr = ' w:customStyle="1"' if custom else ' w:default="1"' if style_id == 'Normal' else ''
    based = f'<w:basedOn w:val="{based_on}"/>' if based_on else ''
    return (f'<w:style {nsdecls("w")} w:type="paragraph"{custom_attr} w:styleId="{style_id}">'
            f'<w:name w:val="{name}"/>{based}<w:next w:val="{next_style}"/><w:uiPriority w:val="{priority}"/>'
            f'<w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>')


PARAGRAPH_STYLES = [
    _paragraph_style('Normal', 'Normal', based_on='', priority=0),
    _paragraph_style(
        'Title', 'Title',
        '<w:keepNext/><w:spacing w:before="0" w:after="80" w:line="240" w:lineRule="auto"/>',
        f'<w:b/><w:bCs/><w:color w:val="{DARK}"/><w:sz w:val="40"/><w:szCs w:val="40"/>'),
    _paragraph_style(
        'Subtitle', 'Subtitle',
        '<w:keepNext/><w:spacing w:before="0" w:after="40"/>',
        f'<w:color w:val="{ACCENT}"/><w:sz w:val="26"/><w:szCs w:val="26"/>', priority=11),
    _paragraph_style(
        'Heading1', 'heading 1',
        f'<w:keepNext/><w:keepLines/><w:pBdr><w:bottom w:val="single" w:sz="4" w:space="2" w:color="{RULE}"/>'
        '</w:pBdr><w:spacing w:before="360" w:after="120"/><w:outlineLvl w:val="0"/>',
        f'<w:b/><w:bCs/><w:color w:val="{DARK}"/><w:sz w:val="28"/><w:szCs w:val="28"/>', priority=9),
    _paragraph_style(
        'Heading2', 'heading 2',
        '<w:keepNext/><w:keepLines/><w:spacing w:before="200" w:after="80"/><w:outlineLvl w:val="1"/>',
        f'<w:b/><w:bCs/><w:color w:val="{ACCENT}"/><w:sz w:val="22"/><w:szCs w:val="22"/>', priority=9),
    _paragraph_style(
        'ListBullet', 'List Bullet',
        '<w:numPr><w:numId w:val="1"/></w:numPr><w:spacing w:after="60"/>', priority=36),
    _paragraph_style(
        'Header', 'header',
        f'<w:tabs><w:tab w:val="clear" w:pos="4680"/><w:tab w:val="clear" w:pos="9360"/>'
        f'<w:tab w:val="right" w:pos="{round(TEXT_WIDTH_CM * TWIPS_PER_CM)}"/></w:tabs>'
        '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/>',
        f'<w:color w:val="{MUTED}"/><w:sz w:val="16"/><w:szCs w:val="16"/>', priority=99),
    _paragraph_style(
        'Footer', 'footer',
        f'<w:pBdr><w:top w:val="single" w:sz="4" w:space="4" w:color="{RULE}"/></w:pBdr>'
        f'<w:tabs><w:tab w:val="clear" w:pos="4680"/><w:tab w:val="clear" w:pos="9360"/>'
        f'<w:tab w:val="right" w:pos="{round(TEXT_WIDTH_CM * TWIPS_PER_CM)}"/></w:tabs>'
        '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/>',
        f'<w:color w:val="{MUTED}"/><w:sz w:val="16"/><w:szCs w:val="16"/>', priority=99),
    # Custom styles: a muted line under the title, the CONCEPT banner and a boxed reminder.
    _paragraph_style(
        'Documentgegevens', 'Documentgegevens',
        f'<w:pBdr><w:bottom w:val="single" w:sz="8" w:space="6" w:color="{ACCENT}"/></w:pBdr>'
        '<w:spacing w:before="0" w:after="240"/>',
        f'<w:color w:val="{MUTED}"/><w:sz w:val="18"/><w:szCs w:val="18"/>', custom=True, priority=20),
    _paragraph_style(
        'Concept', 'Concept',
        '<w:spacing w:before="60" w:after="0"/><w:jc w:val="center"/>',
        '<w:b/><w:bCs/><w:color w:val="B3261E"/><w:spacing w:val="20"/><w:sz w:val="18"/><w:szCs w:val="18"/>',
        based_on='Header', custom=True, priority=20),
    _paragraph_style(
        'Herinnering', 'Herinnering',
        f'<w:pBdr><w:left w:val="single" w:sz="24" w:space="8" w:color="{ACCENT}"/></w:pBdr>'
        '<w:shd w:val="clear" w:color="auto" w:fill="EEF3F7"/><w:spacing w:before="120" w:after="120"/>'
        '<w:ind w:left="170" w:right="113"/>',
        custom=True, priority=20),
    _paragraph_style(
        'Handtekening', 'Handtekening',
        '<w:tabs><w:tab w:val="left" w:pos="2835"/><w:tab w:val="right" w:leader="underscore" w:pos="8505"/></w:tabs>'
        '<w:spacing w:before="360" w:after="0"/>', custom=True, priority=20),
]


def _table_style(style_id: str, name: str, conditional: str) -> str:
    return f'''
<w:style {nsdecls('w')} w:type="table" w:customStyle="1" w:styleId="{style_id}">
  <w:name w:val="{name}"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/><w:qFormat/>
  <w:pPr><w:spacing w:before="0" w:after="40" w:line="252" w:lineRule="auto"/></w:pPr>
  <w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>
  <w:tblPr>
    <w:tblBorders>
      <w:top w:val="single" w:sz="4" w:space="0" w:color="{RULE}"/>
      <w:left w:val="single" w:sz="4" w:space="0" w:color="{RULE}"/>
      <w:bottom w:val="single" w:sz="4" w:space="0" w:color="{RULE}"/>
      <w:right w:val="single" w:sz="4" w:space="0" w:color="{RULE}"/>
      <w:insideH w:val="single" w:sz="4" w:space="0" w:color="{RULE}"/>
      <w:insideV w:val="single" w:sz="4" w:space="0" w:color="{RULE}"/>
    </w:tblBorders>
    <w:tblCellMar>
      <w:top w:w="57" w:type="dxa"/><w:left w:w="{CELL_MARGIN}" w:type="dxa"/>
      <w:bottom w:w="28" w:type="dxa"/><w:right w:w="{CELL_MARGIN}" w:type="dxa"/>
    </w:tblCellMar>
  </w:tblPr>
  {conditional}
</w:style>'''


TABLE_STYLES = [
    # Lists of items: a shaded header row that Word repeats on every page.
    _table_style('TrajectTabel', 'Traject tabel', f'''
  <w:tblStylePr w:type="firstRow">
    <w:pPr><w:keepNext/></w:pPr>
    <w:rPr><w:b/><w:bCs/><w:color w:val="{DARK}"/></w:rPr>
    <w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="E3EAF1"/></w:tcPr>
  </w:tblStylePr>'''),
    # Label/value pairs: the first column is the label.
    _table_style('TrajectGegevens', 'Traject gegevens', f'''
  <w:tblStylePr w:type="firstCol">
    <w:rPr><w:b/><w:bCs/><w:color w:val="{DARK}"/></w:rPr>
    <w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="F1F4F7"/></w:tcPr>
  </w:tblStylePr>'''),
]

# Word has no real font fallback: it uses the font table's alternative name and family when Noto Sans is missing.
FONT_ENTRY = f'''
<w:font {nsdecls('w')} w:name="{FONT}">
  <w:altName w:val="Calibri"/><w:panose1 w:val="020B0502040504020204"/><w:charset w:val="00"/>
  <w:family w:val="swiss"/><w:pitch w:val="variable"/>
</w:font>'''


def _replace_style(styles, xml: str) -> None:
    new = parse_xml(xml)
    style_id = new.get(qn('w:styleId'))
    for old in styles.findall(qn('w:style')):
        if old.get(qn('w:styleId')) == style_id:
            old.addprevious(new)
            styles.remove(old)
            return
    styles.append(new)


KEEP_TABLE_STYLES = {'TableNormal', 'TableGrid', 'TrajectTabel', 'TrajectGegevens'}


def _prune(doc) -> None:
    """Drop what the default template carries but no document needs: it costs time on every render."""
    # About a hundred built-in table styles (Word still offers them in its gallery, from its own definitions).
    styles = doc.styles.element
    for style in styles.findall(qn('w:style')):
        if style.get(qn('w:type')) == 'table' and style.get(qn('w:styleId')) not in KEEP_TABLE_STYLES:
            styles.remove(style)
    # Word 2010's copy of the styles, which later versions rebuild from styles.xml.
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith('/stylesWithEffects'):
            del doc.part.rels[rid]



def _setup_styles(doc) -> None:
    _prune(doc)
    styles = doc.styles.element
    styles.replace(styles.find(qn('w:docDefaults')), parse_xml(DOC_DEFAULTS))
    for xml in PARAGRAPH_STYLES + TABLE_STYLES:
        _replace_style(styles, xml)
    # The bullet of List Bullet: a plain bullet in the text font instead of the Symbol font, with a small indent.
    numbering = doc.part.numbering_part.element
    for abstract in numbering.findall(qn('w:abstractNum')):
        lvl = abstract.find(qn('w:lvl'))
        pstyle = lvl.find(qn('w:pStyle'))
        if pstyle is not None and pstyle.get(qn('w:val')) == 'ListBullet':
            lvl.find(qn('w:lvlText')).set(qn('w:val'), '•')
            ppr = lvl.find(qn('w:pPr'))
            ppr.find(qn('w:tabs')).find(qn('w:tab')).set(qn('w:pos'), '284')
            ppr.find(qn('w:ind')).set(qn('w:left'), '284')
            ppr.find(qn('w:ind')).set(qn('w:hanging'), '227')
            fonts = lvl.find(qn('w:rPr')).find(qn('w:rFonts'))
            for attr in ('w:ascii', 'w:hAnsi'):
                fonts.set(qn(attr), FONT)
    _add_font_entry(doc)
    settings = doc.settings.element
    settings.find(qn('w:themeFontLang')).set(qn('w:val'), 'nl-BE')
    settings.find(qn('w:decimalSymbol')).set(qn('w:val'), ',')
    settings.find(qn('w:listSeparator')).set(qn('w:val'), ';')
    # Word 2013+ layout: no "compatibility mode" banner, and table borders line up with the text margins.
    for setting in settings.find(qn('w:compat')).findall(qn('w:compatSetting')):
        if setting.get(qn('w:name')) == 'compatibilityMode':
            setting.set(qn('w:val'), '15')


def _add_font_entry(doc) -> None:
    # python-docx keeps the font table as plain bytes: edit the XML and put the bytes back.
    part = next(rel.target_part for rel in doc.part.rels.values() if rel.reltype == RT.FONT_TABLE)
    fonts = parse_xml(part.blob)
    fonts.insert(0, parse_xml(FONT_ENTRY))
    part._blob = etree.tostring(fonts, xml_declaration=True, encoding='UTF-8', standalone=True)


# --- low-level helpers ---------------------------------------------------------------------------------------------

def _cm_to_twips(cm: float) -> int:
    return round(cm * TWIPS_PER_CM)


def _add_field(paragraph, instruction: str, shown: str) -> None:
    """Append a Word field (PAGE, NUMPAGES) that Word and LibreOffice update when they lay out the page."""
    def run_with(child):
        run = paragraph.add_run()
        run._r.append(child)
    begin = OxmlElement('w:fldChar')
    begin.set(qn('w:fldCharType'), 'begin')
    run_with(begin)
    instr = OxmlElement('w:instrText')
    instr.set(qn('xml:space'), 'preserve')
    instr.text = f' {instruction} '
    run_with(instr)
    separate = OxmlElement('w:fldChar')
    separate.set(qn('w:fldCharType'), 'separate')
    run_with(separate)
    paragraph.add_run(shown)
    end = OxmlElement('w:fldChar')
    end.set(qn('w:fldCharType'), 'end')
    run_with(end)


WATERMARK_POSITION = ';'.join((
    'position:absolute', 'margin-left:0', 'margin-top:0', 'width:430pt', 'height:120pt', 'rotation:315',
    'z-index:-251657216', 'mso-position-horizontal:center', 'mso-position-horizontal-relative:margin',
    'mso-position-vertical:center', 'mso-position-vertical-relative:margin'))
# A Word watermark (what Design > Watermark makes): a rotated, light-grey text shape behind the page text. `alt` is
# its alternative text (Word's accessibility checker and screen readers read it): the same word as the mark.
WATERMARK = f'''
<w:r {nsdecls('w')} xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">
  <w:rPr><w:noProof/></w:rPr>
  <w:pict>
    <v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800"
        path="m@7,l@8,m@5,21600l@6,21600e">
      <v:formulas>
        <v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/>
        <v:f eqn="sum 0 0 @2"/><v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/>
        <v:f eqn="if @0 21600 @1"/><v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/>
        <v:f eqn="mid @5 @6"/><v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/>
        <v:f eqn="mid @6 @7"/><v:f eqn="sum @6 0 @5"/>
      </v:formulas>
      <v:path textpathok="t" o:connecttype="custom" o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800"
          o:connectangles="270,180,90,0"/>
      <v:textpath on="t" fitshape="t"/>
      <o:lock v:ext="edit" text="t" shapetype="t"/>
    </v:shapetype>
    <v:shape id="TrajectConceptWatermark" o:spid="_x0000_s2049" type="#_x0000_t136" alt="CONCEPT"
        style="{WATERMARK_POSITION}"
        o:allowincell="f" fillcolor="#d9d9d9" stroked="f">
      <v:fill opacity=".5"/>
      <v:textpath style="font-family:&quot;{FONT}&quot;;font-size:1pt" string="CONCEPT"/>
    </v:shape>
  </w:pict>
</w:r>'''


def _keep_reproducible(data: bytes) -> bytes:
    """Rewrite the DOCX (a ZIP) with fixed timestamps, so that the same input gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zout.writestr(info, zin.read(item.filename))
    return out.getvalue()


# --- the template builder ------------------------------------------------------------------------------------------

Column = tuple[str, float, 'str | Callable']  # header, width in cm, cell text (Jinja) or a function filling the cell


class Template:
    """One DOCX template under construction: page, styles, header and footer, and the body written in order."""

    def __init__(self, name: str, header_left: str, header_right: str):
        self.name = name
        self.doc = Document()
        # The default template's thumbnail shows another document in file browsers; leave it out.
        package = self.doc.part.package
        for rid, rel in list(package.rels.items()):
            if rel.reltype == RT.THUMBNAIL:
                del package.rels[rid]
        _setup_styles(self.doc)
        self._setup_page()
        self._setup_header(header_left, header_right)
        self._setup_footer()
        props = self.doc.core_properties
        props.title = f'Traject – sjabloon {name}'
        props.subject = ''
        props.author = 'Traject'
        props.last_modified_by = 'Traject'
        props.language = 'nl-BE'
        props.comments = 'Sjabloon voor docxtpl; gemaakt door templates_docs/build_docx_templates.py.'
        props.keywords = ''
        props.category = ''
        props.revision = 1
        props.created = BUILT
        props.modified = BUILT
        props.last_printed = BUILT

    # page ----------------------------------------------------------------------------------------------------------

    def _setup_page(self) -> None:
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.2)
        section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)
        section.header_distance, section.footer_distance = Cm(1.1), Cm(1.0)

    def _setup_header(self, left: str, right: str) -> None:
        header = self.doc.sections[0].header
        header.is_linked_to_previous = False
        first = header.paragraphs[0]
        first.style = self.doc.styles['Header']
        first.add_run(left)
        first.add_run('\t')
        first.add_run(right).bold = True
        # The CONCEPT banner and watermark exist only in drafts (`concept` is `not final`).
        header.add_paragraph('{%p if concept %}', style='Header')
        banner = header.add_paragraph('CONCEPT – nog niet definitief, niet verspreiden', style='Concept')
        banner._p.append(parse_xml(WATERMARK))
        header.add_paragraph('{%p endif %}', style='Header')

    def _setup_footer(self) -> None:
        footer = self.doc.sections[0].footer
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.style = self.doc.styles['Footer']
        paragraph.add_run('Vertrouwelijk').bold = True
        # A frozen version names its number and the day it became final; a live render the day it was made.
        paragraph.add_run(' · {% if versie %}versie {{ versie }} · definitief op {{ vandaag|datum }}'
                          '{% else %}gemaakt op {{ vandaag|datum }}{% endif %}\tpagina ')
        _add_field(paragraph, 'PAGE', '1')
        paragraph.add_run(' van ')
        _add_field(paragraph, 'NUMPAGES', '1')

    # body ----------------------------------------------------------------------------------------------------------

    def p(self, text: str = '', style: str | None = None, *, label: str | None = None, keep_next: bool = False):
        """Add a paragraph; `label` is a bold lead-in ("Oordeel: "); `keep_next` keeps it with what follows."""
        paragraph = self.doc.add_paragraph(style=style)
        if keep_next:
            paragraph.paragraph_format.keep_with_next = True
        if label:
            paragraph.add_run(label).bold = True
        if text:
            paragraph.add_run(text)
        return paragraph

    def tag(self, statement: str) -> None:
        """Add a `{%p statement %}` paragraph: docxtpl replaces the whole paragraph with the Jinja tag."""
        self.doc.add_paragraph('{%p ' + statement + ' %}')

    def title(self, title: str, subtitle: str, meta: str) -> None:
        self.p(title, 'Title')
        self.p(subtitle, 'Subtitle')
        self.p(meta, 'Documentgegevens')

    def h1(self, key: str) -> None:
        """Add a numbered section heading; its text comes from `koppen`, shared with the PDF."""
        self.p('{{ koppen.' + key + ' }}', 'Heading 1')

    def h2(self, text: str) -> None:
        self.p(text, 'Heading 2')

    def text_or_none(self, expr: str, none: str = 'Geen.') -> None:
        """Add the free text `expr`, or `none` when it is empty or missing."""
        self.p('{% if ' + expr + ' %}{{ ' + expr + ' }}{% else %}' + none + '{% endif %}')

    def bullets(self, loop: str, item: str, empty: str = 'Geen.') -> None:
        """Add one List Bullet paragraph per item of `loop` ("x in xs"), or `empty` when there are none."""
        self.tag('for ' + loop)
        self.p(item, 'List Bullet')
        self.tag('else')
        self.p(empty)
        self.tag('endfor')

    def table(self, items: str, loop: str, columns: Sequence[Column], *, empty: str | None = 'Geen.',
              row_height_cm: float | None = None, keep_together: bool = False) -> None:
        """Add a table with a repeating header row and one row per item; `empty` replaces it when there are none.

        `keep_together` keeps all rows on one page (Word's way: every row is "keep with next").
        """
        if empty is not None:
            self.tag('if ' + items)
        table = self._new_table(len(columns), [width for _h, width, _c in columns], 'Traject tabel', first_row=True)
        header = table.rows[0]
        _mark_header(header)
        for cell, (heading, _w, _c) in zip(header.cells, columns):
            cell.paragraphs[0].add_run(heading)
        self._tag_row(table, '{%tr for ' + loop + ' %}')
        row = table.add_row()
        # A row moves to the next page whole (Word splits it anyway when it is longer than a page).
        row._tr.get_or_add_trPr().append(OxmlElement('w:cantSplit'))
        if row_height_cm:
            row.height = Cm(row_height_cm)
        for cell, (_h, _w, content) in zip(row.cells, columns):
            _fill(self, cell, content)
            if keep_together:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True
        self._tag_row(table, '{%tr endfor %}')
        _set_widths(table, [width for _h, width, _c in columns])
        if empty is not None:
            self.tag('else')
            self.p(empty)
            self.tag('endif')

    def static_table(self, columns: Sequence[tuple[str, float]], rows: Iterable[Sequence[str]]) -> None:
        """Add a table with a header row and fixed rows (each cell may hold inline Jinja)."""
        widths = [width for _h, width in columns]
        table = self._new_table(len(columns), widths, 'Traject tabel', first_row=True)
        _mark_header(table.rows[0])
        for cell, (heading, _w) in zip(table.rows[0].cells, columns):
            cell.paragraphs[0].add_run(heading)
        for values in rows:
            row = table.add_row()
            for cell, value in zip(row.cells, values):
                _fill(self, cell, value)
        _set_widths(table, widths)

    def fields(self, rows: Sequence[tuple[str, str] | tuple[str, str, str]], label_cm: float = 4.6, *,
               keep_together: bool = False) -> None:
        """Add a label/value table; a row with a third element appears only when that Jinja condition holds.

        `keep_together` keeps the table on one page with the paragraph after it (a signature line).
        """
        widths = [label_cm, TEXT_WIDTH_CM - label_cm]
        table = self._new_table(2, widths, 'Traject gegevens', first_row=False, first_column=True)
        table._tbl.remove(table.rows[0]._tr)
        for label, value, *condition in rows:
            # A third element is a Jinja condition for the row, or 'for x in xs' to repeat it per item.
            loop = condition and condition[0].startswith('for ')
            if condition:
                self._tag_row(table, '{%tr ' + (condition[0] if loop else 'if ' + condition[0]) + ' %}')
            row = table.add_row()
            _fill(self, row.cells[0], label)
            _fill(self, row.cells[1], value)
            if keep_together:
                for cell in row.cells:
                    cell.paragraphs[0].paragraph_format.keep_with_next = True
            row._tr.get_or_add_trPr().append(OxmlElement('w:cantSplit'))
            if condition:
                self._tag_row(table, '{%tr ' + ('endfor' if loop else 'endif') + ' %}')
        _set_widths(table, widths)

    def signature(self, label: str) -> None:
        """Add a signature line: the label, then a ruled line to be signed on paper."""
        self.p(label + '\t\t', 'Handtekening')

    def attest_title(self, text: str) -> None:
        """Start the attest on a new page; its title is in the outline like a Heading 1."""
        paragraph = self.p(text, 'Title')
        paragraph.paragraph_format.page_break_before = True
        outline = OxmlElement('w:outlineLvl')
        outline.set(qn('w:val'), '0')
        paragraph._p.get_or_add_pPr().append(outline)

    def _new_table(self, ncols: int, widths: Sequence[float], style: str, *, first_row: bool,
                   first_column: bool = False):
        table = self.doc.add_table(rows=1, cols=ncols)
        table.style = self.doc.styles[style]
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        look = table._tbl.tblPr.find(qn('w:tblLook'))
        look.set(qn('w:val'), '0420' if first_row and not first_column else '0080' if first_column else '0400')
        look.set(qn('w:firstRow'), '1' if first_row else '0')
        look.set(qn('w:firstColumn'), '1' if first_column else '0')
        look.set(qn('w:noVBand'), '1')
        look.set(qn('w:noHBand'), '1')
        return table

    def _tag_row(self, table, text: str) -> None:
        row = table.add_row()
        row.cells[0].paragraphs[0].add_run(text)

    def save(self, out_dir: Path) -> Path:
        # Word wants a paragraph after a final table; an empty one is invisible.
        self.doc.add_paragraph()
        buffer = io.BytesIO()
        self.doc.save(buffer)
        path = out_dir / self.name
        path.write_bytes(_keep_reproducible(buffer.getvalue()))
        return path


def _mark_header(row) -> None:
    """Repeat `row` at the top of every page the table spans, and never split it."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement('w:cantSplit'))
    tr_pr.append(OxmlElement('w:tblHeader'))


def _fill(template: Template, cell, content: 'str | Callable') -> None:
    if callable(content):
        content(template, cell)
    else:
        cell.paragraphs[0].add_run(content)


def _set_widths(table, widths_cm: Sequence[float]) -> None:
    """Fix the column widths: the grid, every cell and the table itself (Word and LibreOffice read different ones)."""
    twips = [_cm_to_twips(w) for w in widths_cm]
    for col, width in zip(table._tbl.tblGrid.findall(qn('w:gridCol')), twips):
        col.set(qn('w:w'), str(width))
    for row in table.rows:
        for cell, width in zip(row.cells, twips):
            cell.width = Twips(width)
    tbl_pr = table._tbl.tblPr
    tbl_w = tbl_pr.find(qn('w:tblW'))
    tbl_w.set(qn('w:type'), 'dxa')
    tbl_w.set(qn('w:w'), str(sum(twips)))


def cell_bullets(loop: str, item: str, empty: str = '–') -> Callable:
    """Fill a cell with one bullet per item of `loop`, or `empty` (a cell needs at least one paragraph)."""
    def fill(template: Template, cell) -> None:
        first = cell.paragraphs[0]
        first.add_run('{%p for ' + loop + ' %}')
        cell.add_paragraph(item, style='List Bullet')
        cell.add_paragraph('{%p else %}')
        cell.add_paragraph(empty)
        cell.add_paragraph('{%p endfor %}')
    return fill


# --- shared Jinja snippets -----------------------------------------------------------------------------------------

SCHOOL = ("{{ school.naam }}{% if school.get('instellingsnummer') %} (instellingsnummer "
          "{{ school.instellingsnummer }}){% endif %}")
CLB = ("{{ clb.naam }}{% if clb.get('instellingsnummer') %} (instellingsnummer {{ clb.instellingsnummer }})"
       "{% endif %}")
ONDERWIJS = ("{{ leerling.onderwijsniveau_label }}, {{ leerling.leerjaar }}"
             "{% if leerling.get('klas') %}, klas {{ leerling.klas }}{% endif %}")
GEBOORTEDATUM = '{{ leerling.geboortedatum|datum }} ({{ leerling.leeftijd }} jaar)'
NIET_GENOTEERD = 'Niet vermeld.'


def leerling_rows() -> list:
    return [
        ('Leerling', '{{ leerling.naam }}'),
        ('Geboortedatum', GEBOORTEDATUM),
        ('Onderwijs', ONDERWIJS),
        ('Studierichting', '{{ leerling.studierichting }}', "leerling.get('studierichting')"),
        ('Thuistaal', '{{ leerling.thuistaal }}', "leerling.get('thuistaal')"),
        ('School', SCHOOL),
    ]


def contact_lines(org: str) -> str:
    """Address, phone and e-mail of organisation `org`, each on its own line when known."""
    return ''.join("{% if " + org + ".get('" + key + "') %}\n{{ " + org + "." + key + " }}{% endif %}"
                   for key in ('adres', 'telefoon', 'email'))


def overleg_fields(t: Template, loop_var: str = 'o') -> None:
    t.fields([
        ('Deelnemers', '{{ ' + loop_var + ".deelnemers|join(', ') }}"),
        ('Standpunt van de ouders', '{{ ' + loop_var + '.standpunt_ouders_label or \'' + NIET_GENOTEERD + '\' }}'),
        ('In de woorden van de ouders', '{{ ' + loop_var + '.standpunt_ouders_toelichting }}',
         loop_var + '.standpunt_ouders_toelichting'),
        ('Standpunt van {{ leerling.voornaam }}',
         '{{ ' + loop_var + '.standpunt_leerling or \'' + NIET_GENOTEERD + '\' }}'),
    ])


# --- the verslag (gc, iac, ov4) ------------------------------------------------------------------------------------

def build_verslag(soort: str) -> Template:
    """The verslag of `soort`, section by section as in DOMAIN.md §4; iac and ov4 end with the attest."""
    afweging = soort in ('iac', 'ov4')
    t = Template(f'verslag_{soort}.docx', '{{ verslag.titel }}', '{{ leerling.naam }}')
    t.title('{{ verslag.titel }}', '{{ leerling.naam }}',
            '{% if verslag.ondertitel %}{{ verslag.ondertitel }} · {% endif %}'
            '{{ school.naam }} · opgesteld door {{ clb.naam }} op {{ verslag.datum|datum }}')

    t.h1('identificatie')
    t.fields(leerling_rows() + [
        ('CLB', CLB),
        ('Datum van het verslag', '{{ verslag.datum|datum }}'),
        ('Geldt vanaf', '{{ verslag.ingangsdatum|datum }}'),
        ('Status', 'Opgeheven', 'verslag.opgeheven'),
        ('Soort verslag', '{{ verslag.soort_label }}'),
        ('Type', '{{ verslag.type_label }}'),
        ('Opleidingsvorm', '{{ verslag.opleidingsvorm_label }}', 'verslag.opleidingsvorm'),
    ])
    t.tag('if verslag.vervangt')
    t.p('{{ verslag.vervangt }}', 'Herinnering')
    t.tag('endif')

    t.h1('aanleiding')
    t.p('Aangemeld op {{ traject.aanmeldingsdatum|datum }} door: {{ traject.aanmelder_label }}.')
    t.p('{{ traject.aanleiding }}')
    t.h2('Hulpvragen')
    t.table('traject.hulpvragen', 'h in traject.hulpvragen', [
        ('Van', 3.0, '{{ h.van_label }}'),
        ('Hulpvraag', TEXT_WIDTH_CM - 3.0, '{{ h.vraag }}'),
    ])
    t.tag('if verslag.hgd_samenvatting')
    t.h2('Verloop van het handelingsgericht diagnostisch traject')
    t.p('{{ verslag.hgd_samenvatting }}')
    t.tag('endif')

    t.h1('zorgcontinuum')
    t.p('Synthese van de school: de maatregelen uit de brede basiszorg, de verhoogde zorg en de uitbreiding van '
        'zorg, en hun effect.', keep_next=True)
    t.tag('for fase in traject.zorgcontinuum')
    t.h2('{{ fase.label }}')
    t.table('fase.maatregelen', 'm in fase.maatregelen', [
        ('Maatregel', 5.6, '{{ m.maatregel }}'),
        ('Soort', 2.6, '{{ m.categorie_label }}'),
        ('Periode', 2.8, '{{ m.periode }}'),
        ('Effect', TEXT_WIDTH_CM - 11.0, '{{ m.effect }}'),
    ], empty=None)
    t.tag('else')
    t.p('Geen.')
    t.tag('endfor')

    t.h1('beeld')
    # The context column fits 'Onderwijsleersituatie' on one line, also in a wider fallback font than Noto Sans.
    t.table('traject.beeldvorming', 'g in traject.beeldvorming', [
        ('Context', 4.2, '{{ g.label }}'),
        ('Stimulerend', (TEXT_WIDTH_CM - 4.2) / 2, cell_bullets('s in g.stimulerend', '{{ s }}')),
        ('Belemmerend', (TEXT_WIDTH_CM - 4.2) / 2, cell_bullets('b in g.belemmerend', '{{ b }}')),
    ])
    # Only diagnoses the school may see reach the context; with none, the sub-heading is left out altogether.
    t.tag('if traject.diagnosen')
    t.h2('Diagnosen')
    t.bullets('d in traject.diagnosen',
              '{{ d.omschrijving }} (gesteld door {{ d.gesteld_door }}, {{ d.datum|datum }})')
    t.tag('endif')

    t.h1('onderwijsbehoeften')
    t.h2('Onderwijsbehoeften')
    t.bullets("b in traject.behoeften.onderwijs if b.soort == 'onderwijsbehoefte'", '{{ b.formulering }}')
    t.tag("if traject.behoeften.onderwijs|selectattr('soort', 'equalto', 'opvoedingsbehoefte')|list")
    t.h2('Opvoedingsbehoeften')
    t.bullets("b in traject.behoeften.onderwijs if b.soort == 'opvoedingsbehoefte'", '{{ b.formulering }}')
    t.tag('endif')

    t.h1('ondersteuningsbehoeften')
    t.table('traject.behoeften.ondersteuning', 'b in traject.behoeften.ondersteuning', [
        ('Voor wie', 4.6, '{{ b.soort_label }}'),
        ('Behoefte', TEXT_WIDTH_CM - 4.6, '{{ b.formulering }}'),
    ])

    t.h1('aanpassingen')
    if afweging:
        t.p('Elke aanpassing die werd overwogen, gewogen op de zes criteria: kostprijs, impact op de school- en '
            'klasorganisatie, frequentie en duur, levenskwaliteit van de leerling, omgeving en medeleerlingen, en '
            'gelijkwaardige alternatieven.', keep_next=True)
        t.tag('for a in aanpassingen')
        t.h2('Aanpassing {{ loop.index }}: {{ a.categorie_label }}')
        t.p('{{ a.beschrijving }}', keep_next=True)
        t.table('a.afweging', 'c in a.afweging', [
            ('Criterium', 4.6, '{{ c.label }}'),
            ('Afweging', TEXT_WIDTH_CM - 4.6, '{{ c.tekst }}'),
        ], empty='Er is geen afweging per criterium genoteerd.')
        t.p('{{ a.oordeel_label }}', label='Oordeel: ').paragraph_format.space_before = Pt(8)
        t.tag('if a.motivering')
        t.p('{{ a.motivering }}', label='Motivering: ')
        t.tag('endif')
        t.tag('else')
        t.p('Geen.')
        t.tag('endfor')
    else:
        t.table('redelijke_aanpassingen', 'a in redelijke_aanpassingen', [
            ('Soort', 3.0, '{{ a.categorie_label }}'),
            ('Aanpassing', TEXT_WIDTH_CM - 3.0, '{{ a.beschrijving }}'),
        ])

    t.h1('motivering')
    t.p('{{ verslag.motivering }}')
    if afweging:
        t.h2('{{ verslag.motivering_kop }}')
        t.p('{{ verslag.motivering_disproportioneel }}')
    t.fields([
        ('Type', '{{ verslag.type_label }}'),
        ('Opleidingsvorm', '{{ verslag.opleidingsvorm_label }}', 'verslag.opleidingsvorm'),
    ])

    if afweging:
        t.h1('mogelijk')
        t.p('{{ verslag.mogelijk.intro }}', keep_next=True)
        t.bullets('optie in verslag.mogelijk.opties', '{{ optie }}')
        t.tag('for zin in verslag.mogelijk.gewoon')
        t.p('{{ zin }}')
        t.tag('endfor')
        t.p('{{ verslag.mogelijk.deeltijds }}')

    t.h1('overleg')
    t.tag('for o in adviesgesprekken')
    t.h2('Adviesgesprek van {{ o.datum|datum }}')
    overleg_fields(t)
    t.tag('else')
    t.p('Geen.')
    t.tag('endfor')

    t.h1('advies')
    t.p('{{ verslag.advies }}')
    t.h2('Doelen')
    t.table('traject.doelen', 'd in traject.doelen', [
        ('Termijn', 3.4, '{{ d.termijn_label }}'),
        ('Doel', TEXT_WIDTH_CM - 3.4, '{{ d.formulering }}'),
    ])
    t.h2('Geldigheid')
    t.tag('if verslag.herziening')
    t.p('{{ verslag.herziening }}')
    t.tag('endif')
    t.tag('for zin in verslag.reikwijdte')
    t.p('{{ zin }}')
    t.tag('endfor')

    t.h1('verantwoordelijke')
    t.fields([
        ('Verantwoordelijke', '{{ verslag.verantwoordelijke }}'),
        ('CLB', CLB + contact_lines('clb')),
        ('Datum', '{{ verslag.datum|datum }}'),
    ], keep_together=True)
    t.signature('Handtekening')

    if afweging:
        t.attest_title('{{ verslag.attest_titel }}')
        t.tag('for zin in verslag.attest_verklaring')
        t.p('{{ zin }}', keep_next=True)
        t.tag('endfor')
        t.fields([
            ('Leerling', "{{ leerling.naam }}{% if leerling.get('adres') %}\n{{ leerling.adres }}{% endif %}"),
            ('Geboortedatum', '{{ leerling.geboortedatum|datum }}'),
        ] + [('{{ o.relatie_label }}', "{{ o.naam }}{% if o.get('adres') %}\n{{ o.adres }}{% endif %}",
              'for o in ouders')] + [
            ('School', SCHOOL),
            ('Soort verslag', '{{ verslag.titel }}'),
            ('Type', '{{ verslag.type_label }}'),
            ('Opleidingsvorm', '{{ verslag.opleidingsvorm_label }}', 'verslag.opleidingsvorm'),
            ('Datum van het verslag', '{{ verslag.datum|datum }}'),
            ('Geldt vanaf', '{{ verslag.ingangsdatum|datum }}'),
            ('CLB', CLB),
        ], keep_together=True)
        t.h2('Verantwoordelijke voor het CLB')
        t.p('{{ verslag.verantwoordelijke }}', keep_next=True)
        t.signature('Handtekening')
        t.h2('Voor het CLB: de directeur of een gemandateerde')
        t.p('{% if verslag.ondertekenaar %}{{ verslag.ondertekenaar.naam }}, {{ verslag.ondertekenaar.functie }}'
            '{% else %}Naam en functie:{% endif %}', keep_next=True)
        t.signature('Handtekening')
        t.signature('Plaats en datum')
    return t


# --- the IAC plan --------------------------------------------------------------------------------------------------

def build_iac_plan() -> Template:
    """The IAC plan in nine sections (DOMAIN.md §4)."""
    t = Template('iac_plan.docx', 'Individueel aangepast curriculum (IAC-plan)', '{{ leerling.naam }}')
    t.title('Individueel aangepast curriculum (IAC-plan)', '{{ leerling.naam }}',
            '{{ school.naam }} · klassenraad van {{ iac_plan.klassenraad_datum|datum }}')

    t.h1('identificatie')
    t.fields(leerling_rows() + [
        ('CLB', CLB),
        ('Verslag', '{{ verslag.titel }}, {{ verslag.datum|datum }}'),
        ('Type', '{{ verslag.type_label }}'),
        ('Opleidingsvorm', '{{ verslag.opleidingsvorm_label }}', 'verslag.opleidingsvorm'),
        ('Klassenraad', '{{ iac_plan.klassenraad_datum|datum }}'),
    ])

    t.h1('betrokkenen')
    t.h2('Betrokkenen')
    t.table('betrokkenen', 'b in betrokkenen', [
        ('Naam', 4.6, '{{ b.naam }}'),
        ('Rol', 4.0, '{{ b.rol_label }}'),
        ('Organisatie', TEXT_WIDTH_CM - 8.6, "{{ b.get('organisatie') or '' }}"),
    ])
    t.h2('Netwerkpartners')
    t.table('iac_plan.netwerkpartners', 'n in iac_plan.netwerkpartners', [
        ('Naam', 6.0, '{{ n.naam }}'),
        ('Rol', TEXT_WIDTH_CM - 6.0, '{{ n.rol }}'),
    ])

    t.h1('beginsituatie')
    t.p('{{ iac_plan.beginsituatie }}')

    t.h1('perspectief')
    t.p('{{ iac_plan.langetermijnperspectief }}')

    t.h1('doelen')
    t.p('{{ iac_plan.gc_domeinen_tekst }}')
    t.tag('if iac_plan.bronnen_tekst')
    t.p('{{ iac_plan.bronnen_tekst }}')
    t.tag('endif')
    t.tag('for dom in iac_plan.domeinen')
    t.h2('{{ dom.domein }}')
    t.table('dom.doelen', 'd in dom.doelen', [
        ('Nr.', 1.1, '{{ d.nummer }}'),
        ('Doel', 6.5, '{{ d.formulering }}'),
        ('Succescriterium', 5.6, '{{ d.succescriterium }}'),
        ('Bron', TEXT_WIDTH_CM - 13.2, '{{ d.bron_label }}{% if d.code %}\n{{ d.code }}{% endif %}'),
    ], empty=None)
    t.tag('endfor')

    t.h1('aanpak')
    t.tag('for dom in iac_plan.domeinen')
    t.h2('{{ dom.domein }}')
    t.table('dom.doelen', 'd in dom.doelen', [
        ('Nr.', 1.1, '{{ d.nummer }}'),
        ('Aanpak', 10.5, '{{ d.aanpak }}'),
        ('Verantwoordelijke', TEXT_WIDTH_CM - 11.6, '{{ d.verantwoordelijke }}'),
    ], empty=None)
    t.tag('endfor')
    t.h2('Redelijke aanpassingen')
    t.table('redelijke_aanpassingen', 'a in redelijke_aanpassingen', [
        ('Soort', 3.0, '{{ a.categorie_label }}'),
        ('Aanpassing', TEXT_WIDTH_CM - 3.0, '{{ a.beschrijving }}'),
    ])
    t.h2('Leersteun')
    t.tag('if leersteun')
    t.p('{{ leersteun.leerondersteuner }}', label='Leerondersteuner: ', keep_next=True)
    t.table('leersteun.vormen', 'v in leersteun.vormen', LEERSTEUN_VORMEN)
    t.tag('else')
    t.p('Er zijn geen leersteunafspraken.')
    t.tag('endif')

    t.h1('evaluatie')
    t.h2('Evaluatiemomenten')
    t.bullets('m in iac_plan.evaluatiemomenten', '{{ m|datum }}')
    t.h2('Evaluaties tot nu toe')
    t.table('iac_plan.evaluaties_tot_nu', 'e in iac_plan.evaluaties_tot_nu', [
        ('Datum', 2.8, '{{ e.datum|datum }}'),
        ('Doel', 4.8, '{{ e.doel }}'),
        ('Resultaat', 6.4, '{{ e.resultaat }}'),
        ('Beslissing', TEXT_WIDTH_CM - 14.0, '{{ e.beslissing_label }}'),
    ])

    t.h1('studiebekrachtiging')
    t.p('{{ iac_plan.studiebekrachtiging_label }}', label='Studiebekrachtiging: ')
    t.p('{{ iac_plan.studiebekrachtiging_tekst }}')
    t.p('Herinnering voor de school: meld het individueel aangepast curriculum van deze leerling in Discimus.',
        'Herinnering')

    t.h1('afstemming')
    t.p('{{ iac_plan.vastgelegd }}')
    t.tag('for o in klassenraden')
    t.h2('Klassenraad van {{ o.datum|datum }}')
    overleg_fields(t)
    t.tag('else')
    t.p('Geen standpunten uit de klassenraad vermeld.')
    t.tag('endfor')
    return t


LEERSTEUN_VORMEN: list[Column] = [
    ('Soort', 3.4, '{{ v.soort_label }}'),
    ('Doel', 6.4, '{{ v.doel }}'),
    ('Frequentie', 3.2, '{{ v.frequentie }}'),
    ('Locatie', TEXT_WIDTH_CM - 13.0, '{{ v.locatie }}'),
]


# --- the leersteunafspraken ----------------------------------------------------------------------------------------

def build_leersteunafspraken() -> Template:
    """The per-pupil leersteun agreements in seven sections (DOMAIN.md §4)."""
    t = Template('leersteunafspraken.docx', 'Leersteunafspraken', '{{ leerling.naam }}')
    t.title('Leersteunafspraken', '{{ leerling.naam }}',
            '{{ school.naam }}{% if leersteuncentrum %} · {{ leersteuncentrum.naam }}{% endif %}')

    t.h1('identificatie')
    t.fields(leerling_rows() + [
        ('Leersteuncentrum', '{% if leersteuncentrum %}{{ leersteuncentrum.naam }}' + contact_lines('leersteuncentrum')
         + '{% else %}Nog niet gekend{% endif %}'),
        ('CLB', CLB),
        ('Verslag', '{{ verslag.titel }}, {{ verslag.datum|datum }}'),
        ('Type', '{{ verslag.type_label }}'),
    ])

    t.h1('aanvraag')
    t.fields([
        ('Aanvraag', '{{ leersteun.aanvraagdatum|datum }}'),
        ('Opstart', '{% if leersteun.opstartdatum %}{{ leersteun.opstartdatum|datum }}'
                    '{% else %}Nog niet gepland.{% endif %}'),
        ('Periode', '{% if leersteun.periode %}van {{ leersteun.periode.van|datum }} tot '
                    '{{ leersteun.periode.tot|datum }}{% else %}Niet vermeld.{% endif %}'),
    ])
    t.p('{{ leersteun.aanvraag }}')

    t.h1('vraag')
    t.h2('Vragen van de school en de leerkracht')
    t.table('leersteun.vragen_school', 'h in leersteun.vragen_school', [
        ('Van', 3.0, '{{ h.van_label }}'),
        ('Vraag', TEXT_WIDTH_CM - 3.0, '{{ h.vraag }}'),
    ])
    t.h2('Ondersteuningsbehoeften')
    t.table('leersteun.behoeften_school', 'b in leersteun.behoeften_school', [
        ('Voor wie', 4.6, '{{ b.soort_label }}'),
        ('Behoefte', TEXT_WIDTH_CM - 4.6, '{{ b.formulering }}'),
    ])

    t.h1('vormen')
    t.table('leersteun.vormen', 'v in leersteun.vormen', LEERSTEUN_VORMEN)

    t.h1('rollen')
    t.p('{{ leersteun.leerondersteuner }}', label='Leerondersteuner: ', keep_next=True)
    t.table('leersteun.rollen', 'r in leersteun.rollen', [
        ('Wie', 5.0, '{{ r.wie }}'),
        ('Taak', TEXT_WIDTH_CM - 5.0, '{{ r.taak }}'),
    ], empty='Geen andere taken afgesproken.')

    t.h1('ouders')
    t.text_or_none('leersteun.ouderbetrokkenheid', 'Geen afspraken vermeld.')

    t.h1('evaluatie')
    t.p('Geplande evaluaties van de leersteun:', keep_next=True)
    t.bullets('d in leersteun.evaluatiedata', '{{ d|datum }}', 'Nog geen data vastgelegd.')
    t.h2('Wanneer de leersteun afbouwt of stopt')
    t.text_or_none('leersteun.stopcriteria', 'Geen stopcriteria vermeld.')

    t.h1('ondertekening')
    t.tag('if leersteun.ondertekening')
    t.p('Voor akkoord:', keep_next=True)
    t.table('leersteun.ondertekening', 'o in leersteun.ondertekening', SIGNATURE_COLUMNS, empty=None,
            row_height_cm=1.6, keep_together=True)
    t.tag('else')
    t.p('Geen ondertekenaars vermeld.')
    t.tag('endif')
    return t


SIGNATURE_COLUMNS: list[Column] = [
    ('Naam', 3.6, '{{ o.naam }}'),
    ('Functie', 2.8, '{{ o.functie }}'),
    ('Organisatie', 4.2, '{{ o.organisatie }}'),
    ('Datum', 2.4, ''),
    ('Handtekening', TEXT_WIDTH_CM - 13.0, ''),
]


# --- the samenwerkingsafspraken ------------------------------------------------------------------------------------

def build_samenwerkingsafspraken() -> Template:
    """The school-level agreements between school, leersteuncentrum and CLB, in eleven sections."""
    sw = 'samenwerking'
    t = Template('samenwerkingsafspraken.docx', 'Samenwerkingsafspraken {{ samenwerking.schooljaar }}',
                 '{{ samenwerking.school.naam }}')
    t.title('Samenwerkingsafspraken', '{{ samenwerking.school.naam }} · schooljaar {{ samenwerking.schooljaar }}',
            'Afspraken tussen de school, het leersteuncentrum en het CLB')

    t.h1('partijen')
    t.p('Deze afspraken gelden voor het schooljaar {{ samenwerking.schooljaar }}, tussen:', keep_next=True)
    t.static_table([('Partij', 3.4), ('Naam', 6.2), ('Contactgegevens', TEXT_WIDTH_CM - 9.6)], [
        (label, '{{ ' + org + ".naam }}{% if " + org + ".get('instellingsnummer') %}\ninstellingsnummer {{ "
         + org + '.instellingsnummer }}{% endif %}', _lines(org))
        for label, org in (('School', f'{sw}.school'), ('Leersteuncentrum', f'{sw}.leersteuncentrum'),
                           ('CLB', f'{sw}.clb'))
    ])
    t.tag('if samenwerking.pbd')
    t.fields([('Pedagogische begeleidingsdienst', '{{ samenwerking.pbd.naam }}' + contact_lines('samenwerking.pbd'))])
    t.tag('endif')
    t.tag('if samenwerking.schoolbestuur')
    t.fields([('Schoolbestuur', '{{ samenwerking.schoolbestuur }}')])
    t.tag('endif')
    t.tag('if samenwerking.vestigingen')
    t.h2('Vestigingsplaatsen')
    t.table('samenwerking.vestigingen', 'v in samenwerking.vestigingen', [
        ('Naam', 5.0, '{{ v.naam }}'),
        ('Instellingsnummer', 3.6, '{{ v.instellingsnummer }}'),
        ('Adres', TEXT_WIDTH_CM - 8.6, '{{ v.adres }}'),
    ], empty=None)
    t.tag('endif')

    t.h1('contactpersonen')
    t.table('samenwerking.contactpersonen', 'c in samenwerking.contactpersonen', [
        ('Naam', 2.8, '{{ c.naam }}'),
        ('Rol', 3.6, '{{ c.rol }}'),
        ('Organisatie', 3.2, '{{ c.organisatie }}'),
        ('Contact', TEXT_WIDTH_CM - 9.6, '{{ c.email }}\n{{ c.telefoon }}'),
    ])

    for key, field in (('procedure', 'procedure_leersteunvraag'), ('toegang', 'toegang_verslag'),
                       ('vormen', 'vormen_van_leersteun')):
        t.h1(key)
        t.p('{{ samenwerking.' + field + ' }}')

    t.h1('overleg')
    t.table('samenwerking.overlegmomenten', 'o in samenwerking.overlegmomenten', [
        ('Wat', 5.4, '{{ o.wat }}'),
        ('Wanneer', 4.4, '{{ o.wanneer }}'),
        ('Wie', TEXT_WIDTH_CM - 9.8, '{{ o.wie }}'),
    ])

    for key, field in (('ouders', 'communicatie_ouders'), ('gegevens', 'gegevensdeling'), ('klachten', 'klachten'),
                       ('evaluatie', 'evaluatie_afspraken')):
        t.h1(key)
        t.p('{{ samenwerking.' + field + ' }}')

    t.h1('ondertekening')
    t.p('Voor akkoord, voor het schooljaar {{ samenwerking.schooljaar }}:', keep_next=True)
    t.table('samenwerking.ondertekening', 'o in samenwerking.ondertekening', SIGNATURE_COLUMNS,
            row_height_cm=1.6, keep_together=True)
    return t


# --- the ontbindende voorwaarde ------------------------------------------------------------------------------------

def build_ontbindende_voorwaarde() -> Template:
    """The overleg within 60 days and the school's written, motivated decision, with how to object."""
    t = Template('ontbindende_voorwaarde.docx', 'Inschrijving onder ontbindende voorwaarde', '{{ leerling.naam }}')
    t.title('Inschrijving onder ontbindende voorwaarde', '{{ leerling.naam }}',
            '{{ school.naam }} · {{ verslag.titel }} · {{ verslag.type_label }}')

    t.h1('identificatie')
    t.fields([
        ('Leerling', '{{ leerling.naam }}'),
        ('Geboortedatum', '{{ leerling.geboortedatum|datum }}'),
        ('Leerjaar', '{{ leerling.leerjaar }}'),
        ('School', SCHOOL),
        ('CLB', CLB),
        ('Verslag', '{{ verslag.titel }} van {{ verslag.datum|datum }}\n'
                    "{{ [verslag.type_label, verslag.opleidingsvorm_label]|select|join(', ') }}"),
    ])
    t.p('{{ ontbindende_voorwaarde.inleiding }}')

    t.h1('overleg')
    t.tag('for o in ontbindende_voorwaarde.overleg')
    t.h2('Overleg van {{ o.datum|datum }}')
    overleg_fields(t)
    t.tag('else')
    t.p('Nog geen overleg vermeld.')
    t.tag('endfor')

    t.h1('aanpassingen')
    t.tag('for a in ontbindende_voorwaarde.aanpassingen')
    t.h2('Aanpassing {{ loop.index }} · {{ a.categorie_label }}')
    t.p('{{ a.beschrijving }}', keep_next=True)
    t.p('{{ a.oordeel_label }}', label='Oordeel in het verslag: ')
    t.tag('if a.motivering')
    t.p('{{ a.motivering }}', label='Motivering: ')
    t.tag('endif')
    t.tag('else')
    t.p('Geen.')
    t.tag('endfor')

    t.h1('beslissing')
    t.p('{{ ontbindende_voorwaarde.beslissing }}', keep_next=True)
    t.tag('for keuze in ontbindende_voorwaarde.keuzes')
    t.p('☐ {{ keuze }}', keep_next=True)
    t.tag('endfor')
    t.h2('Motivering van de school')
    for _line in range(6):
        t.signature('')
    t.p('Directeur, namens de school', keep_next=True)
    t.signature('Naam')
    t.signature('Datum')
    t.signature('Handtekening')

    t.h1('bezwaar')
    t.tag('for zin in ontbindende_voorwaarde.bezwaar')
    t.p('{{ zin }}')
    t.tag('endfor')
    return t


def _lines(org: str) -> str:
    # `'\\n'` is a Jinja string literal: docxtpl turns the newline it makes into a line break.
    return '{{ [' + ', '.join(f"{org}.get('{key}')" for key in ('adres', 'telefoon', 'email')) + \
        "]|select|join('\\n') }}"


BUILDERS: tuple[Callable[[], Template], ...] = (
    lambda: build_verslag('gc'),
    lambda: build_verslag('iac'),
    lambda: build_verslag('ov4'),
    build_iac_plan,
    build_leersteunafspraken,
    build_samenwerkingsafspraken,
    build_ontbindende_voorwaarde,
)


def build_all(out_dir: Path = DOCX_DIR) -> list[Path]:
    """Write every DOCX template into `out_dir` and return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    return [builder().save(out_dir) for builder in BUILDERS]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--out', type=Path, default=DOCX_DIR, help='output folder (default: templates_docs/docx)')
    args = parser.parse_args(argv)
    for path in build_all(args.out):
        print(path)


if __name__ == '__main__':
    main()
