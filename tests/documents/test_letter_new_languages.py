"""The parents' letter in the languages added for the large language groups of Flemish families (issue 17).

Russian, Bulgarian, Farsi, Dari, Spanish, Portuguese, Pashto, Somali and Tigrinya: each writes its own text (no Dutch
sentence of Traject's left in it) for every example, in the PDF and in the DOCX; Farsi, Dari and Pashto run right to
left; Tigrinya is drawn with the bundled Ethiopic font. The every-example render tests, the catalog completeness and
the font coverage of test_oudersamenvatting.py run over these languages too (they read parents.LANGUAGES).
"""
import re
import subprocess
from io import BytesIO

import pytest
from babel.messages.pofile import read_po
from docx import Document
from docx.oxml.ns import qn

from tests.documents.test_oudersamenvatting import (  # noqa: F401 (compiled_catalogs is an autouse fixture)
    EXAMPLES, TODAY, compiled_catalogs, context, docx_text, dummy, html, needs_pdftotext, pdf_text, plain, visual)
from webapp.documents import parents, render
from webapp.documents.env import ASSETS_DIR, LOCALES_DIR


NEW = ('ru', 'bg', 'fa', 'prs', 'es', 'pt', 'ps', 'so', 'ti')
RTL = ('fa', 'prs', 'ps')
PLACEHOLDER = re.compile(r'\{\w+\}|%\(\w+\)s')
ETHIOPIC = re.compile('[\u1200-\u139f\u2d80-\u2ddf\uab00-\uab2f]')
# Words that only Dutch uses; none of them may be left in a translated sentence of Traject's.
DUTCH_WORDS = re.compile(r'\b(het|uw|een|niet|wordt|moet|jullie|deze|krijgt|hulp|school|leerkracht|ouders)\b',
                         re.IGNORECASE)


def as_pdftotext(phrase: str, lang: str) -> str:
    """Return `phrase` as `pdftotext -raw` prints it: right-to-left words reversed, no zero-width non-joiner, and the
    lam-alef ligature (لا) as its glyph order (ال)."""
    text = visual(plain(phrase), lang)
    return text.replace('\u200c', '').replace('لا', 'ال') if lang in RTL else text


def traject_lines(brief: dict) -> list[str]:
    """Return what Traject wrote in the letter: greeting, notice, headings, paragraphs, lists; not the CLB's words.

    The word list's Dutch terms (in bold) are left out: they are Dutch on purpose.
    """
    lines = [brief['titel'], brief['aan'], brief['aanhef'], brief['groet'], brief['nl_label']]
    lines += [parents._plain(p) for p in brief['inleiding'] + brief['kader']]
    for section in brief['secties']:
        lines.append(section['kop'])
        for block in section['blokken']:
            if block['soort'] == 'alinea':
                lines.append(parents._plain(block['delen']))
            elif block['soort'] == 'tussenkop':
                lines.append(block['tekst'])
            elif block['soort'] in ('lijst', 'gegevens'):
                items = block['items'] if block['soort'] == 'lijst' else block['regels']
                lines += [''.join(part['tekst'] for part in item if not part['vet']) for item in items]
            else:
                lines += [item['label'] for item in block['items'] if item['label']]
    return [parents.strip_isolates(line) for line in lines]


def without_data(line: str, doc: dict) -> str:
    """Return `line` without the names, organisations and URL the case brings in (they stay as written)."""
    names = [doc['leerling']['voornaam'], doc['leerling']['achternaam'], doc['clb']['naam'], doc['school']['naam'],
             parents.VBC_URL, 'Vlaamse Bemiddelingscommissie', 'centrum voor leerlingenbegeleiding']
    names += [o['naam'] for o in doc.get('ouders') or []]
    names += [value for org in (doc.get('leersteuncentrum'), doc.get('leersteun')) if org
              for value in org.values() if isinstance(value, str)]
    for name in sorted(names, key=len, reverse=True):
        line = line.replace(name, ' ')
    return line


@pytest.mark.parametrize('lang', NEW)
@pytest.mark.parametrize('name', sorted(EXAMPLES))
def test_every_sentence_traject_writes_is_in_the_language(name, lang):
    doc = dummy(name)
    dutch = {without_data(line, doc).strip() for line in traject_lines(context(doc, 'nl')['brief'])}
    for line in traject_lines(context(doc, lang)['brief']):
        text = without_data(line, doc)
        if re.search(r'[^\W\d_]{3}', text.replace('CLB', '')):  # more than names, numbers and 'CLB'
            assert text.strip() not in dutch, (lang, line)
        assert not DUTCH_WORDS.findall(text), (lang, line)


@pytest.mark.parametrize('lang', NEW)
def test_catalog_keeps_every_placeholder_and_bold_marker(lang):
    with (LOCALES_DIR / 'documents.pot').open('rb') as fh:
        msgids = [m.id for m in read_po(fh) if m.id]
    with (LOCALES_DIR / lang / 'LC_MESSAGES' / 'documents.po').open('rb') as fh:
        catalog = read_po(fh, locale=lang)
    for msgid in msgids:
        for geslacht in ('meisje', 'jongen', None):  # each branch of a gender select, as the letter prints it
            translation = parents.resolve_gender(catalog.get(msgid).string, geslacht)
            assert set(PLACEHOLDER.findall(translation)) == set(PLACEHOLDER.findall(msgid)), (lang, msgid)
            assert translation.count('**') == msgid.count('**'), (lang, msgid)


@needs_pdftotext
@pytest.mark.parametrize('lang', NEW)
def test_pdf_and_docx_say_the_same_translated_headings(lang, tmp_path):
    doc = dummy('case-lina-ov4-type4')
    ctx = context(doc, lang)
    pdf = pdf_text(render(doc, 'oudersamenvatting', 'pdf', lang, today=TODAY), tmp_path)
    docx = docx_text(render(doc, 'oudersamenvatting', 'docx', lang, today=TODAY))
    for heading in [ctx['brief']['titel']] + ctx['secties']:
        if lang in RTL:  # a Latin word (CLB) inside a right-to-left line takes its own place: compare the words
            assert set(re.findall(r'\w+', as_pdftotext(heading, lang))) <= set(re.findall(r'\w+', pdf)), heading
        else:
            assert as_pdftotext(heading, lang) in pdf, heading
        assert plain(heading) in docx, heading
    for dutch in ('Waarom krijgt u deze brief?', 'Uw rechten', 'Brief voor de ouders'):
        assert dutch not in pdf and dutch not in docx


# ---- right to left: Farsi, Dari, Pashto ---------------------------------------------------------------------------

@pytest.mark.parametrize('lang', RTL)
def test_persian_and_pashto_html_is_right_to_left_with_dutch_left_to_right(lang):
    page = html(dummy('case-noor-gc-type9'), lang)
    assert f'<html lang="{lang}" dir="rtl">' in page
    assert f'<article class="brief" lang="{lang}" dir="rtl">' in page
    assert 'lang="nl" dir="ltr"' in page  # the CLB worker's own Dutch words
    assert '\u2068Noor\u2069' in page  # a Latin name keeps its place in the right-to-left sentence


@pytest.mark.parametrize('lang', RTL)
def test_persian_and_pashto_pdf_lays_the_title_out_right_to_left(lang):
    import pdfplumber
    data = render(dummy('case-milan-iac-basisaanbod'), 'oudersamenvatting', 'pdf', lang, today=TODAY)
    title = context(dummy('case-milan-iac-basisaanbod'), lang)['brief']['titel'].split()
    with pdfplumber.open(BytesIO(data)) as pdf:
        words, width = pdf.pages[0].extract_words(), pdf.pages[0].width
    # The title is the highest line holding its first and last word (glyphs come out in visual order: reversed).
    first = min((w for w in words if w['text'][::-1] == title[0]), key=lambda w: w['top'])
    last = min((w for w in words if w['text'][::-1] == title[-1]), key=lambda w: w['top'])
    assert first['top'] == pytest.approx(last['top'], abs=1)
    assert first['x0'] > last['x1']  # the first word of the title stands to the right of the last
    assert first['x1'] > 0.8 * width  # and the title starts at the right margin


@pytest.mark.parametrize('lang', RTL)
def test_persian_and_pashto_docx_is_bidi(lang):
    data = render(dummy('case-milan-iac-basisaanbod'), 'oudersamenvatting', 'docx', lang, today=TODAY)
    document = Document(BytesIO(data))
    assert document.element.body.find(qn('w:sectPr')).find(qn('w:bidi')) is not None
    arabic_script = re.compile('[\u0600-\u06ff]')
    paragraphs = [p for p in document.paragraphs if arabic_script.search(p.text)]
    assert len(paragraphs) > 50
    for paragraph in paragraphs:
        assert paragraph._p.pPr.find(qn('w:bidi')) is not None, paragraph.text
        assert all(run.font.rtl for run in paragraph.runs if arabic_script.search(run.text)), paragraph.text


# ---- Tigrinya: the Ethiopic script ---------------------------------------------------------------------------------

@needs_pdftotext
def test_tigrinya_pdf_draws_every_ethiopic_letter_with_the_bundled_ethiopic_font(tmp_path):
    import pdfplumber
    from fontTools.ttLib import TTFont
    data = render(dummy('case-noor-gc-type9'), 'oudersamenvatting', 'pdf', 'ti', today=TODAY)
    path = tmp_path / 'ti.pdf'
    path.write_bytes(data)
    fonts = subprocess.run(['pdffonts', str(path)], capture_output=True, text=True, check=True).stdout
    assert 'Traject-Ethiopic' in fonts
    assert 'ደብዳቤ ንወለዲ' in pdf_text(data, tmp_path)
    covered = set(TTFont(ASSETS_DIR / 'fonts' / 'NotoSansEthiopic-Regular.ttf').getBestCmap())
    with pdfplumber.open(BytesIO(data)) as pdf:
        chars = [c for page in pdf.pages for c in page.chars if ETHIOPIC.match(c['text'])]
    assert len(chars) > 1000
    # Drawn from the Ethiopic font, which has a glyph for each of them: no empty boxes (.notdef).
    assert {c['fontname'].split('+')[-1] for c in chars} <= {'Traject-Ethiopic', 'Traject-Ethiopic-Bold'}
    assert {ord(c['text']) for c in chars} <= covered


# ---- the child's gender ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize('lang, girl, boy, unknown', [
    ('es', 'acompaña a su hija', 'acompaña a su hijo', 'acompaña a su hijo o hija'),
    ('pt', 'acompanha a sua filha', 'acompanha o seu filho', 'acompanha o seu filho ou a sua filha'),
    ('ru', 'чтобы Noor могла хорошо учиться', 'чтобы Noor мог хорошо учиться', 'чтобы ребёнок (Noor) мог'),
])
def test_a_girl_and_a_boy_are_named_as_such(lang, girl, boy, unknown):
    texts = {}
    for geslacht in ('meisje', 'jongen', None):
        doc = dummy('case-noor-gc-type9')
        if geslacht:
            doc['leerling']['geslacht'] = geslacht
        texts[geslacht] = parents.strip_isolates(parents.letter_text(context(doc, lang)['brief']))
    assert girl in texts['meisje'] and boy not in texts['meisje']
    assert boy in texts['jongen'] and girl not in texts['jongen']
    assert unknown in texts[None]
