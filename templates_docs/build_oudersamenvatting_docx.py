"""Write the two DOCX templates of the parents' letter, reproducibly: oudersamenvatting.docx and its right-to-left twin.

Run from the project root: `.venv/bin/python templates_docs/build_oudersamenvatting_docx.py [--out DIR]`.

Like the PDF template, these templates only lay out `brieven`, the letters that webapp/documents/parents.py writes
as blocks; every word is already in the letter's language. The page furniture (header, footer, CONCEPT banner)
uses `_()` with the msgids of templates_docs/pdf/_base.html, so docxtpl, which renders with the document's own
Jinja environment, translates it from the same 'documents' catalog.

Page, styles and the reproducible save come from build_docx_templates.py (the other documents' builder), so all
DOCX files of Traject look alike. The right-to-left template (Arabic, and any other RTL language) writes each
paragraph of a right-to-left letter with `w:bidi` and each run with `w:rtl`, and marks the section right-to-left.
Alignment is left to the paragraph direction: Word reads `w:jc` left/right as start/end in a `w:bidi` paragraph,
so an explicit "right" would put Arabic text flush left. The CLB worker's Dutch words stay left to right.
A bilingual letter ('ar+nl') is two letters; the right-to-left template holds both layouts and picks one per letter.
"""
import argparse
import sys
from copy import deepcopy
from collections.abc import Sequence
from pathlib import Path

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_docx_templates import DOCX_DIR, FONT, WATERMARK, Template, _add_field  # noqa: E402


ARABIC_FONT = 'Noto Sans Arabic'
DARK, ACCENT, MUTED = RGBColor(0x1F, 0x3B, 0x57), RGBColor(0x2E, 0x5A, 0x7D), RGBColor(0x5B, 0x6B, 0x7A)
# Successors of w:bidi in a paragraph's and a section's properties (the OOXML schema fixes the order).
PPR_AFTER_BIDI = ('w:adjustRightInd', 'w:snapToGrid', 'w:spacing', 'w:ind', 'w:contextualSpacing',
                  'w:mirrorIndents', 'w:suppressOverlap', 'w:jc', 'w:textDirection', 'w:textAlignment',
                  'w:textboxTightWrap', 'w:outlineLvl', 'w:divId', 'w:cnfStyle', 'w:rPr', 'w:sectPr', 'w:pPrChange')
SECTPR_AFTER_BIDI = ('w:rtlGutter', 'w:docGrid', 'w:printerSettings', 'w:sectPrChange')
PPR_AFTER_SHD = ('w:tabs', 'w:suppressAutoHyphens', 'w:kinsoku', 'w:wordWrap', 'w:overflowPunct', 'w:topLinePunct',
                 'w:autoSpaceDE', 'w:autoSpaceDN', 'w:bidi') + PPR_AFTER_BIDI
RPR_AFTER_SZCS = ('w:highlight', 'w:u', 'w:effect', 'w:bdr', 'w:shd', 'w:fitText', 'w:vertAlign', 'w:rtl', 'w:cs',
                  'w:em', 'w:lang', 'w:eastAsianLayout', 'w:specVanish', 'w:oMath')
CONCEPT_BANNER = "{{ _('CONCEPT: dit document is nog niet definitief en niet ondertekend.') }}"
# docxtpl renders the whole XML, attributes too: the watermark's text is translated like any other string.
if 'string="CONCEPT"' not in WATERMARK:
    raise SystemExit('build_docx_templates.WATERMARK changed: update CONCEPT_WATERMARK here')
CONCEPT_WATERMARK = WATERMARK.replace('string="CONCEPT"', '''string="{{ _('CONCEPT') }}"''').replace(
    'alt="CONCEPT"', '''alt="{{ _('CONCEPT') }}"''')
SEGMENT_RUNS = (  # (text, bold): one run per part of a sentence, bold where parents.py marked a key word
    ('{%r for d in PARTS %}', False), ('{%r if d.vet %}', False), ('{{ d.tekst }}', True), ('{%r else %}', False),
    ('{{ d.tekst }}', False), ('{%r endif %}', False), ('{%r endfor %}', False),
)


class LetterTemplate(Template):
    """The letter's template: the shared page and styles, the letter's own header, footer and paragraph styles."""

    def __init__(self, name: str, *, rtl: bool):
        self.rtl = rtl
        super().__init__(name, '', '')
        self._add_letter_styles()
        self.rtl_bullets = self._add_rtl_bullets() if rtl else None
        if rtl:
            _set_bidi(self.doc.sections[0]._sectPr, SECTPR_AFTER_BIDI)
        props = self.doc.core_properties
        props.comments = 'Sjabloon voor docxtpl; gemaakt door templates_docs/build_oudersamenvatting_docx.py.'

    def _setup_header(self, left: str, right: str) -> None:
        header = self.doc.sections[0].header
        header.is_linked_to_previous = False
        line = header.paragraphs[0]
        line.style = self.doc.styles['Header']
        # No tab stop: a right tab in a right-to-left paragraph points the other way; a dot reads in both.
        self._runs(line, (('{{ brief.titel }} · ', False), ('{{ brief.onderwerp }}', True)), self.rtl)
        header.add_paragraph('{%p if concept %}', style='Header')
        banner = header.add_paragraph(style='Concept')
        self._runs(banner, ((CONCEPT_BANNER, False),), self.rtl)
        banner._p.append(parse_xml(CONCEPT_WATERMARK))
        header.add_paragraph('{%p endif %}', style='Header')

    def _setup_footer(self) -> None:
        footer = self.doc.sections[0].footer
        footer.is_linked_to_previous = False
        line = footer.paragraphs[0]
        line.style = self.doc.styles['Footer']
        self._runs(line, (("{{ _('Vertrouwelijk') }}", True),
                          (" · {% if versie %}{{ _('versie %(nummer)s · definitief op %(datum)s', nummer=versie, "
                           "datum=vandaag|datum) }}{% else %}{{ _('Gemaakt op %(datum)s', datum=vandaag|datum) }}"
                           "{% endif %} · {{ _('pagina') }} ", False)),
                   self.rtl)
        _add_field(line, 'PAGE', '1')
        self._runs(line, ((" {{ _('van') }} ", False),), self.rtl)
        _add_field(line, 'NUMPAGES', '1')

    def _add_letter_styles(self) -> None:
        styles = self.doc.styles

        def style(name: str, *, size: float | None = None, bold: bool = False, color: RGBColor | None = None,
                  before: float = 0, after: float = 6, left_cm: float = 0, keep: bool = False):
            new = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            new.base_style = styles['Normal']
            new.quick_style = True
            font = new.font
            if size:
                font.size = Pt(size)
                new.element.get_or_add_rPr().insert_element_before(_szcs(size), *RPR_AFTER_SZCS)
            if bold:
                font.bold = True
                font.cs_bold = True
            if color:
                font.color.rgb = color
            fmt = new.paragraph_format
            fmt.space_before, fmt.space_after = Pt(before), Pt(after)
            if left_cm:
                fmt.left_indent = Cm(left_cm)
            fmt.keep_with_next = keep or None  # a label never ends a page without the text it labels
            return new

        style('Aan', size=9, color=MUTED, after=8)
        style('Aanhef', bold=True, before=4, after=6)
        melding = style('Melding', before=4, after=4)
        _shade(melding, 'FDF6E3', border='D9C38A')
        style('Nederlands label', size=8, bold=True, color=MUTED, before=6, after=2, keep=True)
        style('Vrij label', bold=True, color=ACCENT, before=4, after=1, keep=True)
        vrij = style('Vrije tekst', after=4, left_cm=0.3)
        _shade(vrij, 'F1F3F5')
        # The CLB worker's words are Dutch, whatever the letter's language: spelling check and hyphenation follow.
        lang = OxmlElement('w:lang')
        lang.set(qn('w:val'), 'nl-BE')
        vrij.element.get_or_add_rPr().insert_element_before(lang, 'w:eastAsianLayout', 'w:specVanish', 'w:oMath')
        style('Vrij detail', size=9, color=MUTED, after=2, left_cm=0.3)
        style('Gegevens', after=2)  # flush with the text, as in the PDF
        style('Groet', before=12, after=4)
        style('Ondertekening', bold=True, after=0)
        if self.rtl:
            # Arabic glyphs come from the complex-script font; Noto Sans has none.
            rpr = parse_xml(f'<w:rFonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
                            f'w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{ARABIC_FONT}"/>')
            defaults = self.doc.styles.element.find(qn('w:docDefaults')).find(qn('w:rPrDefault')).find(qn('w:rPr'))
            defaults.replace(defaults.find(qn('w:rFonts')), rpr)

    def _add_rtl_bullets(self) -> int:
        """Add a right-to-left copy of List Bullet's numbering and return its numId.

        Word puts a bullet at the start of a bidi paragraph anyway; LibreOffice needs the level itself marked bidi.
        A copy, because the Dutch letter of a bilingual document shares List Bullet and must stay left to right.
        """
        numbering = self.doc.part.numbering_part.element
        source = next(a for a in numbering.findall(qn('w:abstractNum'))
                      if (lvl := a.find(qn('w:lvl'))) is not None and lvl.find(qn('w:pStyle')) is not None
                      and lvl.find(qn('w:pStyle')).get(qn('w:val')) == 'ListBullet')
        copy = deepcopy(source)
        abstract_id = 1 + max(int(a.get(qn('w:abstractNumId'))) for a in numbering.findall(qn('w:abstractNum')))
        copy.set(qn('w:abstractNumId'), str(abstract_id))
        copy.find(qn('w:nsid')).set(qn('w:val'), f'{0x7A000000 + abstract_id:08X}')
        lvl = copy.find(qn('w:lvl'))
        lvl.remove(lvl.find(qn('w:pStyle')))  # only the List Bullet style's own numbering links to the style
        _set_bidi(lvl.find(qn('w:pPr')), PPR_AFTER_BIDI)
        # abstractNum elements come before every num element (OOXML order).
        numbering.findall(qn('w:abstractNum'))[-1].addnext(copy)
        num_id = 1 + max(int(n.get(qn('w:numId'))) for n in numbering.findall(qn('w:num')))
        num = OxmlElement('w:num')
        num.set(qn('w:numId'), str(num_id))
        ref = OxmlElement('w:abstractNumId')
        ref.set(qn('w:val'), str(abstract_id))
        num.append(ref)
        numbering.append(num)
        return num_id

    # ---- writing -----------------------------------------------------------------------------------------------

    def _runs(self, paragraph, runs: Sequence[tuple[str, bool]], rtl: bool) -> None:
        """Add runs to `paragraph`; in a right-to-left letter the paragraph is bidi and every run rtl."""
        if rtl:
            _set_bidi(paragraph._p.get_or_add_pPr(), PPR_AFTER_BIDI)
        for text, bold in runs:
            run = paragraph.add_run(text)
            if bold:
                run.bold = True
                run.font.cs_bold = True
            if rtl:
                run.font.rtl = True

    def line(self, text: str, style: str | None = None, *, rtl: bool, bold: bool = False):
        """Add a paragraph with one line of (Jinja) text."""
        paragraph = self.doc.add_paragraph(style=style)
        self._runs(paragraph, ((text, bold),), rtl)
        return paragraph

    def parts(self, expr: str, style: str | None = None, *, rtl: bool):
        """Add a paragraph that prints the parts `expr` ([{tekst, vet}]), bold where marked."""
        paragraph = self.doc.add_paragraph(style=style)
        if rtl and style == 'List Bullet':
            num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = 0
            num_pr.get_or_add_numId().val = self.rtl_bullets
        self._runs(paragraph, [(text.replace('PARTS', expr), bold) for text, bold in SEGMENT_RUNS], rtl)
        return paragraph

    def letter(self, rtl: bool) -> None:
        """Add the body of one letter `b`: title, greeting, sections of blocks and the closing."""
        self.tag('if not loop.first')
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        self.tag('endif')
        self.line('{{ b.titel }}', 'Title', rtl=rtl)
        self.line('{{ b.onderwerp }}', 'Subtitle', rtl=rtl)
        self.line("{{ b.kenmerken|join(' · ') }}", 'Documentgegevens', rtl=rtl)
        self.line('{{ b.aan }}', 'Aan', rtl=rtl)
        self.line('{{ b.aanhef }}', 'Aanhef', rtl=rtl)
        self.tag('for p in b.inleiding')
        self.parts('p', rtl=rtl)
        self.tag('endfor')
        self.tag('for p in b.kader')
        self.parts('p', 'Melding', rtl=rtl)
        self.tag('endfor')
        self.tag('for s in b.secties')
        self.line('{{ s.kop }}', 'Heading 1', rtl=rtl)
        self.tag('for blok in s.blokken')
        self.tag("if blok.soort == 'alinea'")
        self.parts('blok.delen', rtl=rtl)
        self.tag("elif blok.soort == 'tussenkop'")
        self.line('{{ blok.tekst }}', 'Heading 2', rtl=rtl)
        self.tag("elif blok.soort == 'lijst'")
        self.tag("for item in blok['items']")
        self.parts('item', 'List Bullet', rtl=rtl)
        self.tag('endfor')
        self.tag("elif blok.soort == 'gegevens'")
        self.tag('for regel in blok.regels')
        self.parts('regel', 'Gegevens', rtl=rtl)
        self.tag('endfor')
        self.tag("elif blok.soort == 'vrij'")
        self.tag('if b.vrije_tekst_nl')
        self.line('{{ b.nl_label }}', 'Nederlands label', rtl=rtl)
        self.tag('endif')
        self.tag("for item in blok['items']")
        self.tag('if item.label')
        self.line('{{ item.label }}', 'Vrij label', rtl=rtl)
        self.tag('endif')
        self.line('{{ item.tekst }}', 'Vrije tekst', rtl=False)  # Dutch, as typed: always left to right
        self.tag('for d in item.details')
        self.parts('d', 'Vrij detail', rtl=rtl)
        self.tag('endfor')
        self.tag('endfor')
        self.tag('endif')
        self.tag('endfor')
        self.tag('endfor')
        self.line('{{ b.groet }}', 'Groet', rtl=rtl)
        self.line("{{ b.ondertekening|join('\\n') }}", 'Ondertekening', rtl=rtl)


def _set_bidi(parent, successors: Sequence[str]) -> None:
    if parent.find(qn('w:bidi')) is None:
        parent.insert_element_before(OxmlElement('w:bidi'), *successors)


def _szcs(size: float):
    # Complex-script size: Word sizes Arabic text by w:szCs, not w:sz.
    element = OxmlElement('w:szCs')
    element.set(qn('w:val'), str(round(size * 2)))
    return element


def _shade(style, fill: str, border: str | None = None) -> None:
    ppr = style.element.get_or_add_pPr()
    if border:
        pbdr = parse_xml('<w:pBdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                         + ''.join(f'<w:{side} w:val="single" w:sz="6" w:space="4" w:color="{border}"/>'
                                   for side in ('top', 'left', 'bottom', 'right')) + '</w:pBdr>')
        ppr.insert_element_before(pbdr, 'w:shd', *PPR_AFTER_SHD)
    shd = OxmlElement('w:shd')
    shd.set(qn('w:val'), 'clear')
    shd.set(qn('w:color'), 'auto')
    shd.set(qn('w:fill'), fill)
    ppr.insert_element_before(shd, *PPR_AFTER_SHD)


def build(rtl: bool) -> LetterTemplate:
    """Return the letter's template: left to right, or right to left with a left-to-right layout for Dutch."""
    t = LetterTemplate('oudersamenvatting_rtl.docx' if rtl else 'oudersamenvatting.docx', rtl=rtl)
    t.tag('for b in brieven')
    if rtl:
        t.tag("if b.dir == 'rtl'")
        t.letter(rtl=True)
        t.tag('else')
        t.letter(rtl=False)
        t.tag('endif')
    else:
        t.letter(rtl=False)
    t.tag('endfor')
    return t


def build_all(out_dir: Path = DOCX_DIR) -> list[Path]:
    """Write both templates into `out_dir` and return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    return [build(rtl).save(out_dir) for rtl in (False, True)]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--out', type=Path, default=DOCX_DIR, help='output folder (default: templates_docs/docx)')
    args = parser.parse_args(argv)
    for path in build_all(args.out):
        print(path)


if __name__ == '__main__':
    main()
