"""The parents' letter (oudersamenvatting): every example case in every language and both formats, privacy canaries,
plain Dutch, right-to-left Arabic, the bilingual letter, the fallback for other languages and the catalogs."""
import copy
import re
import shutil
import subprocess
import unicodedata
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from docx import Document
from docx.oxml.ns import qn

from tests.helpers import ROOT, example_cases
from webapp.documents import DocumentError, parents, render
from webapp.documents.context import build_document_context
from webapp.documents.env import ASSETS_DIR, DOCX_DIR, LOCALES_DIR, PDF_DIR, format_long_date, make_document_env
from webapp.services.readability import report


TODAY = date(2026, 3, 2)
EXAMPLES = example_cases()
LANGUAGES = parents.LANGUAGES
# Bidirectional controls and isolates (pdftotext wraps RTL words in U+202B...U+202C), and soft hyphens.
BIDI = re.compile('[\u200e\u200f\u202a-\u202e\u2066-\u2069\u00ad]')
needs_pdftotext = pytest.mark.skipif(shutil.which('pdftotext') is None, reason='pdftotext (poppler-utils) missing')


@pytest.fixture(scope='module', autouse=True)
def compiled_catalogs():
    """Compile the documents catalogs when a .mo is missing or older than its .po (`make install` does the same)."""
    for po in LOCALES_DIR.glob('*/LC_MESSAGES/documents.po'):
        mo = po.with_suffix('.mo')
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open('rb') as fh:
                catalog = read_po(fh, locale=po.parts[-3])
            with mo.open('wb') as fh:
                write_mo(fh, catalog)
    parents._translations.cache_clear()
    make_document_env.cache_clear()


def dummy(name: str) -> dict:
    """Return a deep copy of the example case `name`."""
    return copy.deepcopy(EXAMPLES[name])


def context(doc: dict, language: str) -> dict:
    """Return the context the templates get for the parents' letter in `language`."""
    ctx = build_document_context(doc, 'oudersamenvatting', audience='ouders', today=TODAY, language=language)
    ctx.setdefault('lang', language)
    return ctx


def html(doc: dict, language: str) -> str:
    """Return the letter's HTML, as WeasyPrint gets it."""
    ctx = context(doc, language)
    return make_document_env(ctx['lang']).get_template('oudersamenvatting.html').render(ctx)


def plain(text: str) -> str:
    """Return `text` without bidi controls, with single plain spaces (Babel writes U+202F in some dates)."""
    return ' '.join(BIDI.sub('', text).replace('\u202f', ' ').split())


def pdf_text(data: bytes, tmp_path: Path) -> str:
    """Return the PDF's text as `pdftotext -raw` reads it: lines in visual order, right-to-left words reversed."""
    path = tmp_path / 'letter.pdf'
    path.write_bytes(data)
    out = subprocess.run(['pdftotext', '-raw', str(path), '-'], capture_output=True, check=True).stdout
    return plain(out.decode('utf-8'))


def docx_text(data: bytes) -> str:
    """Return every paragraph of the DOCX: body, table cells, headers and footers."""
    document = Document(BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [p.text for table in document.tables for row in table.rows for cell in row.cells for p in cell.paragraphs]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs] + [p.text for p in section.footer.paragraphs]
    return plain('\n'.join(parts))


def evaluation_dates(doc: dict) -> list[date]:
    """Return the dates of section 6: leersteun evaluations, IAC evaluation moments, the planned review."""
    days = list((doc.get('leersteun') or {}).get('evaluatiedata') or [])
    days += (doc.get('iac_plan') or {}).get('evaluatiemomenten') or []
    if (doc.get('verslag') or {}).get('herzien_tegen'):
        days.append(doc['verslag']['herzien_tegen'])
    return [date.fromisoformat(day) for day in days]


def visual(phrase: str, language: str) -> str:
    """Return how `pdftotext -raw` prints `phrase`: a right-to-left phrase comes out with its words reversed."""
    return ' '.join(reversed(phrase.split())) if parents.direction(language) == 'rtl' else phrase


# ---- every example, every language, both formats ---------------------------------------------------------------

def test_summary_languages_are_the_parents_languages_plus_dutch():
    assert [item['taal'] for item in parents.summary_languages(dummy('case-milan-iac-basisaanbod'))] == ['nl', 'fr']
    assert [item['taal'] for item in parents.summary_languages(dummy('case-lina-ov4-type4'))] == ['nl', 'en']
    for name in EXAMPLES:
        assert all(item['taal'] in LANGUAGES for item in parents.summary_languages(dummy(name)))


@needs_pdftotext
@pytest.mark.parametrize('lang', LANGUAGES)
@pytest.mark.parametrize('name', sorted(EXAMPLES))
def test_pdf_names_the_child_and_the_dates_in_the_language(name, lang, tmp_path):
    doc = dummy(name)
    data = render(doc, 'oudersamenvatting', 'pdf', lang, today=TODAY)
    assert data.startswith(b'%PDF')
    text = pdf_text(data, tmp_path)
    assert doc['leerling']['voornaam'] in text
    for day in evaluation_dates(doc):
        assert visual(plain(format_long_date(day, lang)), lang) in text, (day, lang)
    # The letter is really written in its language: a heading that is in every letter.
    woordenlijst = context(doc, lang)['koppen']['woorden']
    assert visual(woordenlijst, lang) in text
    if lang != 'nl':
        assert woordenlijst != 'Woordenlijst'


@pytest.mark.parametrize('lang', LANGUAGES)
@pytest.mark.parametrize('name', sorted(EXAMPLES))
def test_docx_names_the_child_and_the_dates_in_the_language(name, lang):
    doc = dummy(name)
    data = render(doc, 'oudersamenvatting', 'docx', lang, today=TODAY)
    text = docx_text(data)
    ctx = context(doc, lang)
    assert doc['leerling']['voornaam'] in text
    for day in evaluation_dates(doc):
        assert plain(format_long_date(day, lang)) in text, (day, lang)
    for heading in ctx['secties']:
        assert plain(heading) in text
    assert plain(ctx['brief']['titel']) in text
    # The page furniture is translated from the same catalog as the PDF's (_base.html's msgids).
    confidential = parents._translations(lang).gettext('Vertrouwelijk')
    assert confidential in text
    assert (confidential == 'Vertrouwelijk') == (lang == 'nl')
    assert '{{' not in text and '{%' not in text


@pytest.mark.parametrize('name', sorted(EXAMPLES))
def test_docx_template_declares_nothing_the_context_lacks(name):
    from docxtpl import DocxTemplate
    for lang in ('nl', 'ar'):
        ctx = context(dummy(name), lang)
        template = DocxTemplate(DOCX_DIR / ('oudersamenvatting_rtl.docx' if lang == 'ar' else 'oudersamenvatting.docx'))
        env = make_document_env(lang)
        assert template.get_undeclared_template_variables(env, ctx) - set(env.globals) == set()


@pytest.mark.parametrize('name', sorted(EXAMPLES))
def test_toelichting_stays_as_written_and_non_dutch_letters_say_it_is_dutch(name):
    doc = dummy(name)
    toelichting = doc['oudersamenvatting']['toelichting']
    for lang in LANGUAGES:
        ctx = context(doc, lang)
        brief = ctx['brief']
        text = docx_text(render(doc, 'oudersamenvatting', 'docx', lang, today=TODAY))
        assert plain(toelichting) in text
        assert brief['vrije_tekst_nl'] is (lang != 'nl')
        if lang != 'nl':
            assert plain(brief['nl_label']) in text  # "Written in Dutch", on every box of the CLB's own words
            assert len(brief['kader']) == 3  # which parts are Dutch, the Dutch version exists, an interpreter
            woord = next(s for s in brief['secties'] if s['sleutel'] == 'woord')
            assert woord['blokken'][0]['soort'] == 'alinea'  # the sentence that introduces the Dutch text


def test_html_marks_the_clb_workers_words_as_dutch():
    doc = dummy('case-milan-iac-basisaanbod')
    page = html(doc, 'fr')
    assert '<html lang="fr" dir="ltr">' in page
    assert '<p class="tekst" lang="nl" dir="ltr">' + doc['verslag']['advies'][:40] in page


# ---- privacy ----------------------------------------------------------------------------------------------------

CANARIES = ('KANARIE-HYPOTHESE-7F3A', 'KANARIE-ONDERZOEKSVRAAG-19C2', 'KANARIE-ONDERZOEK-5B0D',
            'KANARIE-NOTULEN-E41A', 'KANARIE-DIAGNOSE-GEHEIM-22F9', 'KANARIE-EXTRA-0C77')
VISIBLE = 'ZICHTBAAR-DIAGNOSE-OUDERS-8D3E'


def with_canaries(doc: dict) -> dict:
    """Return `doc` with a canary in every place that parents may not see, and one diagnosis they may see."""
    traject = doc['traject']
    traject['strategie'] = {'onderzoek_nodig': True, 'hypothesen': [CANARIES[0]], 'onderzoeksvragen': [CANARIES[1]]}
    traject['onderzoek'] = [{'vraag': CANARIES[1], 'methode': CANARIES[2], 'uitvoerder': CANARIES[2],
                             'datum': '2026-01-10', 'resultaat': CANARIES[2]}]
    for overleg in doc['overleg']:
        overleg['notulen'] = CANARIES[3]
    traject['diagnosen'] = (traject.get('diagnosen') or []) + [
        {'omschrijving': CANARIES[4], 'gesteld_door': 'dr. X', 'datum': '2026-01-08', 'delen_met_school': True,
         'delen_met_ouders': False},
        {'omschrijving': VISIBLE, 'gesteld_door': 'dr. Y', 'datum': '2026-01-09', 'delen_met_school': False,
         'delen_met_ouders': True},
    ]
    doc['extra'] = {'intern': CANARIES[5]}
    return doc


@pytest.mark.parametrize('name', sorted(EXAMPLES))
def test_no_canary_reaches_the_letter_in_any_language(name):
    doc = with_canaries(dummy(name))
    for lang in LANGUAGES + ('ar+nl',):
        page = html(doc, lang)
        assert VISIBLE in page
        assert not [canary for canary in CANARIES if canary in page], lang


@needs_pdftotext
@pytest.mark.parametrize('lang', ('nl', 'ar', 'fr'))
@pytest.mark.parametrize('name', sorted(EXAMPLES))
def test_no_canary_reaches_the_rendered_files(name, lang, tmp_path):
    doc = with_canaries(dummy(name))
    for text in (pdf_text(render(doc, 'oudersamenvatting', 'pdf', lang, today=TODAY), tmp_path),
                 docx_text(render(doc, 'oudersamenvatting', 'docx', lang, today=TODAY))):
        assert VISIBLE in text
        assert not [canary for canary in CANARIES if canary in text]


# ---- plain Dutch --------------------------------------------------------------------------------------------------

def prose(brief: dict) -> str:
    """Return only the letter's paragraphs and the CLB worker's texts: no headings, labels or contact lines."""
    lines = []
    for section in brief['secties']:
        for block in section['blokken']:
            if block['soort'] == 'alinea':
                lines.append(''.join(part['tekst'] for part in block['delen']))
            elif block['soort'] == 'vrij':
                lines += [item['tekst'] for item in block['items']]
    return '\n'.join(lines)


@pytest.mark.parametrize('name', sorted(EXAMPLES))
def test_dutch_letter_reads_at_b1(name):
    # Measured on the whole generated letter, the CLB worker's own words included (they are in the letter), and
    # again without headings and short lines, so that short headings cannot carry a hard text over the line.
    brief = context(dummy(name), 'nl')['brief']
    for text in (parents.letter_text(brief), prose(brief)):
        result = report(text)
        assert result['score'] >= 60, result
        assert result['gemiddelde_zinslengte'] <= 15, result


def test_template_text_itself_has_no_long_sentences():
    brief = context(dummy('case-noor-gc-type9'), 'nl')['brief']
    own = [''.join(part['tekst'] for part in block['delen']) for section in brief['secties']
           for block in section['blokken'] if block['soort'] == 'alinea']
    assert report('\n'.join(own))['lange_zinnen'] == []


def test_word_list_explains_the_jargon_left_in_the_letter():
    brief = context(dummy('case-milan-iac-basisaanbod'), 'fr')['brief']
    assert {'CLB', 'leersteuncentrum', 'IAC', 'klassenraad'} <= set(brief['uitgelegd'])
    woorden = next(s for s in brief['secties'] if s['sleutel'] == 'woorden')
    items = woorden['blokken'][1]['items']
    assert items[0][0] == {'tekst': 'CLB', 'vet': True}
    assert 'centre' in items[0][1]['tekst']  # explained in French


# ---- right to left ------------------------------------------------------------------------------------------------

def test_arabic_html_is_right_to_left_with_dutch_kept_left_to_right():
    page = html(dummy('case-milan-iac-basisaanbod'), 'ar')
    assert '<html lang="ar" dir="rtl">' in page
    assert '<article class="brief" lang="ar" dir="rtl">' in page
    assert 'lang="nl" dir="ltr"' in page
    # A Dutch name inside Arabic text is isolated, so that it keeps its place in the sentence.
    assert '\u2068Milan\u2069' in page


@needs_pdftotext
def test_arabic_pdf_reads_right_to_left(tmp_path):
    import pdfplumber
    data = render(dummy('case-milan-iac-basisaanbod'), 'oudersamenvatting', 'pdf', 'ar', today=TODAY)
    # pdftotext -raw prints a line left to right: an Arabic heading whose words come out in reverse order was laid
    # out right to left.
    assert visual('قائمة الكلمات', 'ar') in pdf_text(data, tmp_path)
    # And measured: the first word of the title stands to the right of the last one.
    with pdfplumber.open(BytesIO(data)) as pdf:
        words = {w['text'][::-1]: w for w in pdf.pages[0].extract_words()}  # glyphs come out in visual order
    assert words['رسالة']['top'] == pytest.approx(words['الوالدين']['top'], abs=1)
    assert words['رسالة']['x0'] > words['الوالدين']['x1']


def test_arabic_docx_is_bidi_and_keeps_dutch_left_to_right():
    data = render(dummy('case-milan-iac-basisaanbod'), 'oudersamenvatting', 'docx', 'ar', today=TODAY)
    document = Document(BytesIO(data))
    body = document.element.body
    assert body.find(qn('w:sectPr')).find(qn('w:bidi')) is not None
    arabic = re.compile('[\u0600-\u06ff]')
    arabic_paragraphs = [p for p in document.paragraphs if arabic.search(p.text)]
    assert len(arabic_paragraphs) > 50
    for paragraph in arabic_paragraphs:
        ppr = paragraph._p.pPr
        assert ppr is not None and ppr.find(qn('w:bidi')) is not None, paragraph.text
        # Word reads jc=right in a bidi paragraph as "end", i.e. flush left: alignment stays the default start.
        jc = ppr.find(qn('w:jc'))
        assert jc is None or jc.get(qn('w:val')) not in ('right', 'end'), paragraph.text
        for run in paragraph.runs:
            if arabic.search(run.text):
                assert run.font.rtl is True, run.text
    dutch = [p for p in document.paragraphs if p.style.name == 'Vrije tekst']
    assert dutch and all(p._p.pPr is None or p._p.pPr.find(qn('w:bidi')) is None for p in dutch)


def test_bilingual_letter_has_the_parents_language_then_dutch(tmp_path):
    doc = dummy('case-milan-iac-basisaanbod')
    page = html(doc, 'ar+nl')
    assert '<html lang="ar" dir="rtl">' in page
    assert page.index('<article class="brief" lang="ar" dir="rtl">') < page.index(
        '<article class="brief volgende" lang="nl" dir="ltr">')
    ctx = context(doc, 'fr+nl')
    assert [b['taal'] for b in ctx['brieven']] == ['fr', 'nl']
    for brief in ctx['brieven']:  # both for the same parent, the French-speaking father
        assert 'Olivier Lemaire' in brief['aan'] and 'Evelien' not in brief['aan']
    docx = docx_text(render(doc, 'oudersamenvatting', 'docx', 'ar+nl', today=TODAY))
    assert 'Dit is dezelfde brief in het Nederlands.' in docx and 'رسالة إلى الوالدين' in docx
    if shutil.which('pdftotext'):
        text = pdf_text(render(doc, 'oudersamenvatting', 'pdf', 'fr+nl', today=TODAY), tmp_path)
        assert 'Lettre aux parents' in text and 'Brief voor de ouders' in text


# ---- languages Traject cannot write -------------------------------------------------------------------------------

def test_a_language_traject_cannot_write_falls_back_to_dutch_and_says_so():
    doc = dummy('case-milan-iac-basisaanbod')
    doc['ouders'][1]['voorkeurtaal'] = 'ku'  # Kurdish
    assert parents.summary_languages(doc) == [{'taal': 'nl', 'gevraagd': ['ku'], 'terugval': True}]
    message = parents.fallback_message('ku')
    assert 'Koerdisch' in message and 'Nederlandse versie' in message
    # The Kurdish-speaking father is among the readers of the Dutch letter.
    assert 'Olivier Lemaire' in context(doc, 'nl')['brief']['aan']
    with pytest.raises(DocumentError, match='ku'):
        render(doc, 'oudersamenvatting', 'pdf', 'ku', today=TODAY)


def test_talen_may_ask_for_more_languages_and_duplicates_do_not_matter():
    doc = dummy('case-noor-gc-type9')
    doc['oudersamenvatting']['talen'] = ['tr', 'nl', 'tr', 'uk', 'xx']
    assert [(i['taal'], i['terugval']) for i in parents.summary_languages(doc)] == \
        [('nl', True), ('tr', False), ('uk', False)]


def test_letter_without_parents_is_addressed_to_the_parents():
    doc = dummy('case-noor-gc-type9')
    doc['ouders'] = []
    brief = context(doc, 'nl')['brief']
    assert brief['aan'] == 'Aan: de ouders van Noor' and brief['aanhef'] == 'Beste ouders,'


# ---- catalogs, fonts, templates -----------------------------------------------------------------------------------

def catalog_ids() -> list[str]:
    with (LOCALES_DIR / 'documents.pot').open('rb') as fh:
        return [m.id for m in read_po(fh) if m.id]


def test_pot_holds_exactly_the_strings_of_the_letter():
    keywords = {name: None for name in ('_', 'N_', 't', 's', 'p', 'sub')}
    found = set()
    # The letter, and what comes with its link: the cover letter, the e-mail and the parents' pages (webapp/portal).
    portal = ROOT / 'webapp/portal/templates/portal'
    for method, path in (('python', ROOT / 'webapp/documents/parents.py'),
                         ('jinja2', PDF_DIR / 'oudersamenvatting.html'), ('jinja2', PDF_DIR / '_base.html'),
                         ('python', ROOT / 'webapp/documents/parentlink.py'), ('jinja2', PDF_DIR / 'ouderlink.html'),
                         ('jinja2', portal / 'letter.html'), ('jinja2', portal / 'dead.html'),
                         ('jinja2', portal / 'unavailable.html')):
        options = {'extensions': 'jinja2.ext.i18n'} if method == 'jinja2' else {}
        found |= {message for _line, message, _c, _ctx in extract_from_file(method, str(path), keywords=keywords,
                                                                            options=options)}
    assert found == set(catalog_ids()), 'run the extraction in locales/babel-documents.cfg'


@pytest.mark.parametrize('lang', [lang for lang in LANGUAGES if lang != 'nl'])
def test_every_catalog_translates_every_string(lang):
    placeholder = re.compile(r'\{\w+\}|%\(\w+\)s')
    with (LOCALES_DIR / lang / 'LC_MESSAGES' / 'documents.po').open('rb') as fh:
        catalog = read_po(fh, locale=lang)
    for msgid in catalog_ids():
        message = catalog.get(msgid)
        assert message is not None and message.string and not message.fuzzy, msgid
        for geslacht in ('meisje', 'jongen', None):  # the branches of a gender select are no placeholders
            text = parents.resolve_gender(message.string, geslacht)
            assert set(placeholder.findall(text)) <= set(placeholder.findall(msgid)), msgid
            assert text.count('**') % 2 == 0, msgid


def test_bundled_fonts_cover_every_character_of_every_catalog():
    from fontTools.ttLib import TTFont
    covered = set()
    for name in ('NotoSans-Regular.ttf', 'NotoSans-Bold.ttf', 'NotoSansArabic-Regular.ttf',
                 'NotoSansEthiopic-Regular.ttf'):
        covered |= set(TTFont(ASSETS_DIR / 'fonts' / name).getBestCmap())
    for po in LOCALES_DIR.glob('*/LC_MESSAGES/documents.po'):
        with po.open('rb') as fh:
            text = ''.join(m.string for m in read_po(fh) if m.id)
        missing = {ch for ch in text if ord(ch) not in covered and unicodedata.category(ch) not in ('Cf', 'Cc')}
        assert not missing, (po, sorted(missing))


def test_docx_templates_are_reproducible(tmp_path):
    import runpy
    builder = runpy.run_path(str(ROOT / 'templates_docs' / 'build_oudersamenvatting_docx.py'), run_name='builder')
    for path in builder['build_all'](tmp_path):
        assert path.read_bytes() == (DOCX_DIR / path.name).read_bytes(), \
            f'{path.name} is stale: run templates_docs/build_oudersamenvatting_docx.py'
