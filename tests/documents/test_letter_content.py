"""What the parents' letter says, and how it lies on the page (issues 13, 14 and 17).

The Vlaamse Bemiddelingscommissie and the enrolment rights only for a verslag that gives access to buitengewoon
onderwijs (IAC, OV4); the explanation of a diagnosis instead of a test report's words; "u" for the parents; the
child's grammatical gender; planned dates in the future tense; labels that never end a page alone; bullets that
follow each letter's direction; contact lines flush with the text.
"""
import subprocess
from io import BytesIO

import pytest

from tests.documents.test_oudersamenvatting import (  # noqa: F401 (compiled_catalogs is an autouse fixture)
    EXAMPLES, TODAY, compiled_catalogs, context, docx_text, dummy, needs_pdftotext, pdf_text, plain)
from webapp.documents import parents, render


def letter_of(doc: dict, language: str = 'nl') -> str:
    """Return the letter as plain text, in reading order."""
    return parents.letter_text(context(doc, language)['brief'])


def as_soort(name: str, soort: str) -> dict:
    """Return example `name` with its verslag of `soort`: only the letter's wording depends on it."""
    doc = dummy(name)
    doc['verslag']['soort'] = soort
    return doc


def secondary_girl() -> dict:
    """Return the first example as a girl of 13 in secondary school, so that every part about age applies."""
    doc = dummy(sorted(EXAMPLES)[0])
    doc['leerling'].update(geslacht='meisje', geboortedatum='2012-09-01', onderwijsniveau='secundair')
    return doc


# ---- rights (issue 13, item 1 and "The letter's rights") --------------------------------------------------------

@pytest.mark.parametrize('name', sorted(EXAMPLES))
def test_gc_letter_offers_no_bemiddelingscommissie_and_no_enrolment_rights(name):
    for lang in parents.LANGUAGES:
        text = letter_of(as_soort(name, 'gc'), lang)
        assert 'Bemiddelingscommissie' not in text and parents.VBC_URL not in text, lang
        assert 'Leerlingenrechten' not in text and 'LOP' not in text, lang


@pytest.mark.parametrize('soort', ('iac', 'ov4'))
@pytest.mark.parametrize('name', sorted(EXAMPLES))
def test_iac_and_ov4_letters_name_the_school_as_a_party_to_mediation(name, soort):
    text = letter_of(as_soort(name, soort))
    assert 'Die commissie praat met u, met de school en met het CLB.' in text
    assert parents.VBC_URL in text
    assert 'Commissie inzake Leerlingenrechten' in text and 'LOP (lokaal overlegplatform)' in text
    assert 'U kiest de school.' in text
    for lang in parents.LANGUAGES:  # the Flemish names stay, beside a translation, in every language
        translated = letter_of(as_soort(name, soort), lang)
        assert 'Vlaamse Bemiddelingscommissie' in translated and 'Commissie inzake Leerlingenrechten' in translated


@pytest.mark.parametrize('name', sorted(EXAMPLES))
def test_every_letter_points_to_the_infopunt_and_says_u(name):
    brief = context(dummy(name), 'nl')['brief']
    assert 'Het leersteuncentrum heeft een infopunt voor ouders.' in parents.letter_text(brief)
    # Traject's own sentences (the CLB worker's words are theirs to choose) never say "jullie".
    own = ' '.join(part['tekst'] for section in brief['secties'] for block in section['blokken']
                   for part in block.get('delen', []) + [p for item in block.get('items', [])
                                                         if isinstance(item, list) for p in item])
    assert 'Vraag dan een gesprek' in own and 'jullie' not in own.lower()


def test_what_changes_at_18_only_for_an_older_pupil():
    young = dummy(sorted(EXAMPLES)[0])
    young['leerling'].update(geboortedatum='2018-01-01', onderwijsniveau='lager')
    assert '18 jaar' not in letter_of(young)
    assert 'is {0} meerderjarig'.format(secondary_girl()['leerling']['voornaam']) in letter_of(secondary_girl())


@needs_pdftotext
@pytest.mark.parametrize('name', sorted(EXAMPLES))
def test_rendered_letters_follow_the_soort(name, tmp_path):
    doc = dummy(name)
    for text in (pdf_text(render(doc, 'oudersamenvatting', 'pdf', 'nl', today=TODAY), tmp_path),
                 docx_text(render(doc, 'oudersamenvatting', 'docx', 'nl', today=TODAY))):
        assert ('Bemiddelingscommissie' in text) is (doc['verslag']['soort'] != 'gc')
        if doc['verslag']['soort'] != 'gc':
            assert 'praat met u, met de school en met het CLB' in text


# ---- plain words for parents (issue 13, item 7) -------------------------------------------------------------------

def test_the_explanation_for_parents_replaces_the_diagnosis():
    doc = dummy(sorted(EXAMPLES)[0])
    doc['traject']['diagnosen'] = [
        {'omschrijving': 'Zwakbegaafd cognitief functioneren (totaal IQ 73, WISC-V-NL)', 'gesteld_door': 'CLB',
         'datum': '2025-10-21', 'delen_met_school': True, 'delen_met_ouders': True,
         'uitleg_voor_ouders': 'Leren gaat trager dan bij leeftijdsgenoten. Herhalen en voorbeelden helpen.'},
        {'omschrijving': 'Dyslexie', 'gesteld_door': 'CLB', 'datum': '2022-06-14', 'delen_met_school': True,
         'delen_met_ouders': True},
    ]
    for lang in ('nl', 'ar'):
        text = letter_of(doc, lang)
        assert 'Leren gaat trager dan bij leeftijdsgenoten.' in text and 'Dyslexie' in text
        assert 'IQ' not in text and 'WISC' not in text


def test_a_need_of_the_parents_is_written_to_them():
    doc = dummy(sorted(EXAMPLES)[0])
    doc['traject']['behoeften'] += [
        {'soort': 'ondersteuningsbehoefte-ouders', 'formulering': 'De ouders hebben informatie nodig over het IAC.'},
        {'soort': 'ondersteuningsbehoefte-ouders',
         'formulering': 'De ouders hebben terugkoppeling nodig, zodat ze thuis kunnen helpen.'},
    ]
    text = letter_of(doc)
    assert 'U heeft informatie nodig over het IAC.' in text
    # Rewriting the first words only would leave "U heeft ..., zodat ze": such a text stays as written.
    assert 'De ouders hebben terugkoppeling nodig, zodat ze thuis kunnen helpen.' in text


# ---- the child's grammatical gender (issue 17) --------------------------------------------------------------------

def test_arabic_speaks_of_a_daughter_a_son_or_a_child():
    girl, boy, unknown = secondary_girl(), secondary_girl(), secondary_girl()
    boy['leerling']['geslacht'] = 'jongen'
    del unknown['leerling']['geslacht']
    girl_text, boy_text, unknown_text = (letter_of(d, 'ar') for d in (girl, boy, unknown))
    assert 'ابنتكم' in girl_text and 'ابنكم' not in girl_text
    assert 'ابنكم' in boy_text and 'ابنتكم' not in boy_text
    assert 'طفلكم' in unknown_text and 'ابنتكم' not in unknown_text
    assert 'تحتاج' in girl_text and 'تبلغ' in girl_text and 'راشدة' in girl_text
    assert 'راشداً' in boy_text
    assert 'select' not in girl_text + boy_text + unknown_text


def test_polish_agrees_with_a_girl_and_needs_no_gender_without_one(tmp_path):
    girl = secondary_girl()
    name = girl['leerling']['voornaam']
    assert f'{name} będzie wtedy pełnoletnia i sama będzie decydować' in letter_of(girl, 'pl')
    boy = secondary_girl()
    boy['leerling']['geslacht'] = 'jongen'
    assert 'pełnoletni i sam będzie' in letter_of(boy, 'pl')
    unknown = secondary_girl()
    unknown['leerling']['geslacht'] = 'x'
    assert f'{name} osiągnie wtedy pełnoletność i samodzielnie będzie decydować' in letter_of(unknown, 'pl')


@needs_pdftotext
def test_gender_reaches_the_rendered_files(tmp_path):
    girl = secondary_girl()
    assert 'pełnoletnia i sama' in pdf_text(render(girl, 'oudersamenvatting', 'pdf', 'pl', today=TODAY), tmp_path)
    assert 'ابنتكم' in docx_text(render(girl, 'oudersamenvatting', 'docx', 'ar', today=TODAY))


def test_arabic_and_stands_apart_from_a_latin_name():
    doc = dummy(sorted(EXAMPLES)[0])
    doc['ouders'] = [{'naam': 'Katrien Maes', 'relatie': 'moeder'}, {'naam': 'Bart Peeters', 'relatie': 'vader'}]
    aanhef = context(doc, 'ar')['brief']['aanhef']
    assert 'و \u2068Bart Peeters\u2069' in aanhef


# ---- dates ahead, in the future tense ------------------------------------------------------------------------------

def test_review_dates_are_in_the_future_tense_in_english_and_french():
    doc = dummy(sorted(EXAMPLES)[0])
    doc['verslag']['herzien_tegen'] = '2027-02-26'
    english, french = letter_of(doc, 'en'), letter_of(doc, 'fr')
    assert 'The CLB will look at the report again.' in english
    assert 'We will check together regularly' in english
    assert 'Le CLB réexaminera le rapport.' in french
    assert 'Nous regarderons régulièrement ensemble' in french


def test_dates_that_have_passed_are_not_announced():
    doc = dummy(sorted(EXAMPLES)[0])
    doc['verslag']['herzien_tegen'] = '2026-01-15'  # before TODAY
    (doc.get('leersteun') or {})['evaluatiedata'] = []
    if doc.get('iac_plan'):
        doc['iac_plan']['evaluatiemomenten'] = []
    text = letter_of(doc)
    assert '15 januari 2026' not in text
    assert 'Er zijn nog geen nieuwe data afgesproken.' in text


# ---- layout (issue 14, items 15, 16 and 17a) ----------------------------------------------------------------------

@needs_pdftotext
def test_bilingual_letter_puts_each_letters_bullets_at_its_own_start():
    import pdfplumber
    doc = dummy(sorted(EXAMPLES)[0])
    data = render(doc, 'oudersamenvatting', 'pdf', 'ar+nl', today=TODAY)
    with pdfplumber.open(BytesIO(data)) as pdf:
        dutch_from = next(i for i, page in enumerate(pdf.pages)
                          if 'Brief voor de ouders' in (page.extract_text() or ''))
        sides = [(i >= dutch_from, bullet['x0'] < page.width / 2)
                 for i, page in enumerate(pdf.pages) for bullet in page.curves]
    assert {dutch for dutch, _left in sides} == {True, False}  # bullets in both letters
    assert all(left is dutch for dutch, left in sides)  # Dutch: left margin; Arabic: right margin


def page_ends(data: bytes, furniture: tuple[str, ...], tmp_path) -> list[str]:
    """Return the last line of each page's body, as pdftotext -raw reads it: page furniture (the running header and
    footer, whose lines contain one of `furniture`) and the letters of the CONCEPT watermark left out."""
    path = tmp_path / 'pages.pdf'
    path.write_bytes(data)
    text = subprocess.run(['pdftotext', '-raw', str(path), '-'], capture_output=True, check=True).stdout.decode()
    ends = []
    for page in text.split('\f'):
        body = [plain(line) for line in page.splitlines()
                if len(plain(line)) > 1 and not any(f in line for f in furniture)]
        if body:
            ends.append(body[-1])
    return ends


@needs_pdftotext
@pytest.mark.parametrize('name', sorted(EXAMPLES))
def test_a_label_never_ends_a_page_without_its_text(name, tmp_path, lang='fr'):
    # The break falls somewhere else for each length of the first need; each time, no label is left behind.
    doc = dummy(name)
    brief = context(doc, lang)['brief']
    labels = {brief['nl_label']} | {parents._translations(lang).gettext(m) for m in parents.CONTEXT_LABELS.values()}
    labels = {plain(label.format(kind=doc['leerling']['voornaam'])) for label in labels if label}
    first = doc['traject']['behoeften'][0]['formulering']
    furniture = (brief['titel'], parents._translations(lang).gettext('Vertrouwelijk'))
    for extra in (0, 3, 6, 9):  # on main, two of the three shared examples left a label behind at one of these
        doc['traject']['behoeften'][0]['formulering'] = first + ' En dat lukt al beter.' * (extra * 3)
        ends = page_ends(render(doc, 'oudersamenvatting', 'pdf', lang, today=TODAY), furniture, tmp_path)
        assert not [end for end in ends if end in labels], (extra, ends)


@needs_pdftotext
def test_contact_lines_line_up_with_the_text_above_them():
    import pdfplumber
    doc = dummy(sorted(EXAMPLES)[0])
    data = render(doc, 'oudersamenvatting', 'pdf', 'nl', today=TODAY)
    with pdfplumber.open(BytesIO(data)) as pdf:
        words = [w for page in pdf.pages for w in page.extract_words()]
    heading = next(w for w in words if w['text'] == 'Contact')  # the section's heading, flush with the text
    lines = [w for w in words if w['text'] in ('Telefoon:', 'E-mail:', 'Adres:')]
    assert lines and all(w['x0'] == pytest.approx(heading['x0'], abs=0.5) for w in lines), (heading, lines)


def test_docx_keeps_labels_with_their_text_and_contact_lines_flush():
    from docx import Document
    data = render(dummy(sorted(EXAMPLES)[0]), 'oudersamenvatting', 'docx', 'fr', today=TODAY)
    document = Document(BytesIO(data))
    labels = [p for p in document.paragraphs if p.style.name in ('Nederlands label', 'Vrij label')]
    assert labels and all(p.style.paragraph_format.keep_with_next is True for p in labels)
    contact = [p for p in document.paragraphs if p.style.name == 'Gegevens']
    assert contact and all(not p.style.paragraph_format.left_indent for p in contact)
