"""DOCX documents: template contract, reproducible templates, content, hostile text and privacy."""
import copy
import importlib.util
import re
import zipfile
from io import BytesIO

import pytest
from docx import Document
from docx.oxml.ns import qn
from docxtpl import DocxTemplate

from tests.helpers import example_cases
from webapp.documents import DOCUMENTS, kinds_for, render
from webapp.documents.context import build_document_context
from webapp.documents.env import DOCX_DIR, TEMPLATES_DIR, format_long_date, make_document_env


SAMENWERKING = 'traject-samenwerking/1'
EXAMPLES = {**example_cases(), **example_cases(SAMENWERKING)}
# The oudersamenvatting is a letter that goes through HTML to PDF in the parents' language; it is tested elsewhere.
DOCX_KINDS = [(name, kind) for name, doc in EXAMPLES.items() for kind in kinds_for(doc) if kind != 'oudersamenvatting']
CASES_WITH_VERSLAG = [name for name, doc in example_cases().items() if doc.get('verslag')]
OWN_TEMPLATES = {'verslag_gc.docx', 'verslag_iac.docx', 'verslag_ov4.docx', 'iac_plan.docx',
                 'leersteunafspraken.docx', 'samenwerkingsafspraken.docx', 'ontbindende_voorwaarde.docx'}


def make_context(doc: dict, kind: str, *, final: bool = False) -> dict:
    """Return the context `render` hands to the templates, headings included."""
    spec = DOCUMENTS[kind]
    return build_document_context(doc, kind, audience=spec.audience, final=final)


def paragraphs(data: bytes) -> list[tuple[str, str]]:
    """Return (text, style name) of every paragraph: body, table cells (nested too), headers and footers."""
    document = Document(BytesIO(data))
    found: list[tuple[str, str]] = []

    def walk(container) -> None:
        for paragraph in container.paragraphs:
            found.append((paragraph.text, paragraph.style.name if paragraph.style is not None else ''))
        for table in container.tables:
            for row in table.rows:
                for cell in row.cells:
                    walk(cell)

    walk(document)
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer,
                     section.even_page_header, section.even_page_footer):
            if not part.is_linked_to_previous:
                walk(part)
    return found


def all_text(data: bytes) -> str:
    return '\n'.join(text for text, _style in paragraphs(data))


def raw_xml(data: bytes) -> str:
    """Return the text of every part of the DOCX package: nothing may hide in properties or unused parts."""
    with zipfile.ZipFile(BytesIO(data)) as package:
        return '\n'.join(package.read(name).decode('utf-8', 'replace') for name in package.namelist())


def load_builder():
    spec = importlib.util.spec_from_file_location('build_docx_templates',
                                                  TEMPLATES_DIR / 'build_docx_templates.py')
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- (a) contract ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize('name, kind', DOCX_KINDS)
def test_template_reads_only_context_keys(name, kind):
    ctx = make_context(EXAMPLES[name], kind)
    template = DocxTemplate(DOCX_DIR / DOCUMENTS[kind].docx(ctx))
    assert template.get_undeclared_template_variables(make_document_env('nl'), ctx) == set()


def test_examples_cover_every_template():
    used = {DOCUMENTS[kind].docx(make_context(EXAMPLES[name], kind)) for name, kind in DOCX_KINDS}
    assert used == OWN_TEMPLATES


# --- (b) reproducibility --------------------------------------------------------------------------------------------

def test_committed_templates_equal_builder_output(tmp_path):
    built = load_builder().build_all(tmp_path)
    assert {path.name for path in built} == OWN_TEMPLATES
    for path in built:
        with zipfile.ZipFile(path) as fresh, zipfile.ZipFile(DOCX_DIR / path.name) as committed:
            assert fresh.namelist() == committed.namelist(), path.name
            for member in fresh.namelist():
                assert fresh.read(member) == committed.read(member), (
                    f'{path.name}:{member} differs: run templates_docs/build_docx_templates.py')


def test_builder_is_deterministic(tmp_path):
    builder = load_builder()
    first = {p.name: p.read_bytes() for p in builder.build_all(tmp_path / 'a')}
    second = {p.name: p.read_bytes() for p in builder.build_all(tmp_path / 'b')}
    assert first == second


# --- (c) content ----------------------------------------------------------------------------------------------------

def expected_title(doc: dict, kind: str, ctx: dict) -> str:
    # The parents' own verslag is the verslag, titled as such.
    return ctx['verslag']['titel'] if kind in ('verslag', 'verslag-ouders') else str(DOCUMENTS[kind].title)


@pytest.mark.parametrize('name, kind', DOCX_KINDS)
def test_document_content(name, kind):
    doc = EXAMPLES[name]
    ctx = make_context(doc, kind)
    data = render(doc, kind, 'docx')
    found = paragraphs(data)
    text = '\n'.join(t for t, _s in found)

    who = ctx['samenwerking']['school']['naam'] if kind == 'samenwerkingsafspraken' else ctx['leerling']['naam']
    assert who in text
    assert expected_title(doc, kind, ctx) in text
    headings = {t for t, style in found if style == 'Heading 1'}
    for heading in ctx['secties']:
        assert heading in headings, heading
    if ctx.get('verslag'):
        assert format_long_date(ctx['verslag']['datum']) in text
    if kind == 'verslag':
        for behoefte in ctx['traject']['behoeften']['alle']:
            assert behoefte['formulering'] in text
    if kind == 'iac-plan':
        for doel in doc['iac_plan']['doelen']:
            assert doel['formulering'] in text
    assert 'Vertrouwelijk' in text
    assert 'CONCEPT' in text


@pytest.mark.parametrize('name, kind', DOCX_KINDS)
def test_final_document_has_no_concept_mark(name, kind):
    data = render(EXAMPLES[name], kind, 'docx', final=True)
    assert 'CONCEPT' not in raw_xml(data)


@pytest.mark.parametrize('name, kind', DOCX_KINDS)
def test_headings_are_outline_headings(name, kind):
    ctx = make_context(EXAMPLES[name], kind)
    found = paragraphs(render(EXAMPLES[name], kind, 'docx'))
    styles = {text: style for text, style in found if text in ctx['secties']}
    assert styles == {heading: 'Heading 1' for heading in ctx['secties']}
    document = Document(BytesIO(render(EXAMPLES[name], kind, 'docx')))
    assert document.styles['Heading 1'].element.pPr.find(qn('w:outlineLvl')).get(qn('w:val')) == '0'


@pytest.mark.parametrize('name, kind', DOCX_KINDS)
def test_page_setup_footer_and_properties(name, kind):
    data = render(EXAMPLES[name], kind, 'docx')
    document = Document(BytesIO(data))
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    footer_xml = section.footer._element.xml
    assert ' PAGE ' in footer_xml and ' NUMPAGES ' in footer_xml
    props = document.core_properties
    assert props.language == 'nl-BE'
    ctx = make_context(EXAMPLES[name], kind)
    who = ctx['samenwerking']['school']['naam'] if kind == 'samenwerkingsafspraken' else ctx['leerling']['naam']
    assert props.title.startswith(expected_title(EXAMPLES[name], kind, ctx))
    assert props.title.endswith(f' – {who}')
    assert props.content_status == 'Concept'


@pytest.mark.parametrize('name, kind', DOCX_KINDS)
def test_item_tables_are_never_empty(name, kind):
    # An empty list prints "Geen." instead of a table that has only its header row.
    for data in (render(EXAMPLES[name], kind, 'docx'), render(emptied(EXAMPLES[name], kind), kind, 'docx')):
        for table in Document(BytesIO(data)).tables:
            first = table.rows[0]._tr
            if first.trPr is not None and first.trPr.find(qn('w:tblHeader')) is not None:
                assert len(table.rows) > 1


def emptied(doc: dict, kind: str = '') -> dict:
    """Return `doc` with every optional key and list left out or empty, as far as the format allows (for the
    parents' own verslag: one diagnosis only the parents may read, without which that document does not exist)."""
    doc = copy.deepcopy(doc)
    if doc['formaat'] == SAMENWERKING:
        doc['overlegmomenten'] = []
        doc['contactpersonen'] = []
        doc['ondertekening'] = []
        for org in ('school', 'leersteuncentrum', 'clb'):
            doc[org] = {k: v for k, v in doc[org].items() if k in ('naam', 'soort')}
        return doc
    for key in ('klas', 'studierichting', 'thuistaal'):
        doc['leerling'].pop(key, None)
    for org in ('school', 'clb'):
        doc[org] = {k: v for k, v in doc[org].items() if k in ('naam', 'soort')}
    doc.pop('leersteuncentrum', None)
    doc.pop('aanpassingen', None)
    for person in doc['betrokkenen']:
        person.pop('organisatie', None)
    traject = doc['traject']
    for key in ('voorgeschiedenis', 'diagnosen', 'doelen'):
        traject.pop(key, None)
    traject['zorgcontinuum'] = []
    traject['beeldvorming'] = []
    traject['behoeften'] = [b for b in traject['behoeften'] if b['soort'] == 'onderwijsbehoefte']
    traject['hulpvragen'] = [h for h in traject['hulpvragen'] if h['van'] in ('leerling', 'ouders')][:1] or \
        traject['hulpvragen'][:1]
    for overleg in doc.get('overleg') or []:
        for key in ('notulen', 'standpunt_ouders', 'standpunt_leerling'):
            overleg.pop(key, None)
    doc['verslag'].pop('herzien_tegen', None)
    if doc.get('leersteun'):
        for key in ('opstartdatum', 'rollen', 'ouderbetrokkenheid'):
            doc['leersteun'].pop(key, None)
        doc['leersteun']['evaluatiedata'] = []
    if doc.get('iac_plan'):
        doc['iac_plan'].pop('netwerkpartners', None)
        doc['iac_plan']['evaluatiemomenten'] = []
        for doel in doc['iac_plan']['doelen']:
            doel['code'] = None
            doel.pop('evaluaties', None)
    if kind == 'verslag-ouders':
        traject['diagnosen'] = [{'omschrijving': 'Dyslexie', 'gesteld_door': 'CLB', 'datum': '2026-01-09',
                                 'delen_met_school': False, 'delen_met_ouders': True}]
    return doc


@pytest.mark.parametrize('name, kind', DOCX_KINDS)
def test_renders_without_optional_data(name, kind):
    doc = emptied(EXAMPLES[name], kind)
    ctx = make_context(doc, kind)
    text = all_text(render(doc, kind, 'docx'))
    assert 'Geen.' in text
    for heading in ctx['secties']:
        assert heading in text


# --- (d) hostile text -----------------------------------------------------------------------------------------------

HOSTILE = [
    'voor {{ 7*7 }} na',
    '{% if x %}',
    '<b>x</b>',
    '<img src="file:///etc/passwd">',
    ']]>',
    '&amp; & <',
    '\u202e\u200fمرحبا بالعالم\u200f',
    '😀 👩🏽‍🏫 🇧🇪',
    'W' * 300,
    'Ελληνικά κείμενο',
    '中文测试文本',
]
FORTY_BREAKS = '\n'.join(f'regel {n}' for n in range(41))


def hostile_case(doc: dict) -> tuple[dict, dict[str, str]]:
    """Return a copy of `doc` with hostile free text, and the values put into it."""
    doc = copy.deepcopy(doc)
    values = {
        'aanleiding': 'AANLEIDING ' + ' | '.join(HOSTILE) + '\n' + FORTY_BREAKS,
        'behoefte': doc['leerling']['voornaam'] + ' heeft ' + ' '.join(HOSTILE[:6]) + ' nodig.',
        'advies': 'ADVIES\n\n' + '\n'.join(HOSTILE),
        'motivering': 'MOTIVERING ' + ' '.join(reversed(HOSTILE)),
    }
    doc['traject']['aanleiding'] = values['aanleiding']
    doc['traject']['behoeften'][0]['formulering'] = values['behoefte']
    doc['verslag']['advies'] = values['advies']
    doc['verslag']['motivering'] = values['motivering']
    return doc, values


@pytest.mark.parametrize('name', CASES_WITH_VERSLAG)
def test_hostile_text_comes_out_literally(name):
    doc, values = hostile_case(EXAMPLES[name])
    data = render(doc, 'verslag', 'docx')
    texts = [text for text, _style in paragraphs(data)]  # python-docx re-opens the file: the XML is well-formed
    for key, value in values.items():
        assert value in texts, key
    text = '\n'.join(texts)
    for piece in HOSTILE + [FORTY_BREAKS]:
        assert piece in text
    assert 'voor 49 na' not in text
    assert '<img' not in raw_xml(data).replace('&lt;img', '')


# --- (e) privacy ----------------------------------------------------------------------------------------------------

SECRETS = ('CANARY-HYPOTHESE-7f3a', 'CANARY-ONDERZOEKSVRAAG-7f3a', 'CANARY-ONDERZOEK-7f3a', 'CANARY-NOTULEN-7f3a',
           'CANARY-DIAGNOSE-GEHEIM-7f3a', 'CANARY-EXTRA-7f3a')
SHARED_DIAGNOSE = 'CANARY-DIAGNOSE-GEDEELD-7f3a'


def canary_case(doc: dict) -> dict:
    doc = copy.deepcopy(doc)
    traject = doc['traject']
    traject['strategie'] = {'onderzoek_nodig': True, 'hypothesen': ['CANARY-HYPOTHESE-7f3a'],
                            'onderzoeksvragen': ['CANARY-ONDERZOEKSVRAAG-7f3a']}
    traject.setdefault('onderzoek', []).append({
        'vraag': 'Welke vraag?', 'methode': 'Observatie', 'uitvoerder': 'CLB', 'datum': '2026-01-10',
        'resultaat': 'CANARY-ONDERZOEK-7f3a'})
    for overleg in doc['overleg']:
        overleg['notulen'] = 'CANARY-NOTULEN-7f3a'
    traject.setdefault('diagnosen', []).extend([
        {'omschrijving': 'CANARY-DIAGNOSE-GEHEIM-7f3a', 'gesteld_door': 'extern', 'datum': '2026-01-08',
         'delen_met_school': False, 'delen_met_ouders': True},
        {'omschrijving': SHARED_DIAGNOSE, 'gesteld_door': 'CLB', 'datum': '2026-01-09',
         'delen_met_school': True, 'delen_met_ouders': False},
    ])
    doc['extra'] = {'notitie': 'CANARY-EXTRA-7f3a'}
    return doc


@pytest.mark.parametrize('name, kind', [(n, k) for n, k in DOCX_KINDS if n in CASES_WITH_VERSLAG])
def test_clb_internal_data_never_reaches_a_docx(name, kind):
    data = render(canary_case(EXAMPLES[name]), kind, 'docx')
    xml = raw_xml(data)
    # The canary case has a diagnosis for the parents only (GEHEIM) and one for the school only (GEDEELD): the
    # parents' own verslag shows the first and never the second, every other document the other way round.
    parents = kind == 'verslag-ouders'
    hidden = [s for s in SECRETS if not (parents and 'DIAGNOSE' in s)] + ([SHARED_DIAGNOSE] if parents else [])
    for secret in hidden:
        assert secret not in xml
    if kind in ('verslag', 'verslag-ouders'):
        assert ('CANARY-DIAGNOSE-GEHEIM-7f3a' if parents else SHARED_DIAGNOSE) in all_text(data)


@pytest.mark.parametrize('name, kind, language', [*[(name, kind, 'nl') for name, kind in DOCX_KINDS],
                                                   *[(name, 'oudersamenvatting', lang) for lang in ('fr', 'ar')
                                                     for name in sorted(EXAMPLES)[:1]]])
def test_concept_watermark_has_alt_text(name, kind, language):
    """The CONCEPT watermark shape says what it is to a screen reader and to Word's accessibility checker."""
    concept = raw_xml(render(EXAMPLES[name], kind, 'docx', language, final=False))
    final = raw_xml(render(EXAMPLES[name], kind, 'docx', language, final=True))
    shapes = re.findall(r'<v:shape id="TrajectConceptWatermark"[^>]*>.*?</v:shape>', concept, re.S)
    assert shapes, 'no watermark in the concept'
    for shape in shapes:
        word = re.search(r'string="([^"]+)"', shape).group(1)
        assert re.search(r'\balt="([^"]+)"', shape).group(1) == word
    assert 'TrajectConceptWatermark' not in final
