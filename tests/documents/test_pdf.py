"""PDF documents: contract per example and kind, CONCEPT mark, tagging and PDF/A, the embedded case, privacy, hostile
text and the locked-down asset fetcher.

Every (case, kind, final) PDF is rendered once per test session (`_pdf`): WeasyPrint needs a few hundred ms each.
"""
import copy
import json
import re
import shutil
import socket
import subprocess
from datetime import date
from functools import cache
from io import BytesIO
from pathlib import Path
from types import SimpleNamespace

import pdfplumber
import pytest
from jinja2 import ChoiceLoader, DictLoader
from jinja2.sandbox import SandboxedEnvironment
from pypdf import PdfReader
from weasyprint.urls import FatalURLFetchingError

from tests.helpers import example_cases, example_files
from webapp.caseformat import validate
from webapp.documents import kinds_for, render
from webapp.documents.context import verslag_title
from webapp.documents.env import ASSETS_DIR, format_long_date, make_document_env
from webapp.documents.context import shareable_case
from webapp.documents.pdf import AssetFetcher, extract_case, render_pdf
from webapp.documents.sections import sections_for


TODAY = date(2026, 3, 20)
DOCS = {**example_cases(), **example_cases('traject-samenwerking/1')}
# The parents' summary has its own tests; the other kinds all come from this module's templates.
CASES = [(name, kind) for name, doc in sorted(DOCS.items()) for kind in kinds_for(doc) if kind != 'oudersamenvatting']
TITLES = {
    'iac-plan': 'Individueel aangepast curriculum (IAC-plan)',
    'leersteunafspraken': 'Leersteunafspraken',
    'samenwerkingsafspraken': 'Samenwerkingsafspraken',
    'ontbindende-voorwaarde': 'Inschrijving onder ontbindende voorwaarde',
}
# pdftotext crop box in PDF points (A4 is 595 x 842): the body only, so running headers and footers never land
# inside a paragraph that continues on the next page.
BODY_CROP = ['-r', '72', '-x', '0', '-y', '68', '-W', '595', '-H', '714']
# Whitespace (line wrapping), hyphens WeasyPrint may insert, soft hyphens and bidi controls that pdftotext adds.
_IGNORED = re.compile('[\\s\u2010\u00ad\u200e\u200f\u202a-\u202e\u2066-\u2069]+')


def norm(text: str) -> str:
    """Return `text` without whitespace, inserted hyphens and bidi controls, for layout-independent searching."""
    return _IGNORED.sub('', text)


def pdf_text(data: bytes, crop: bool = True) -> str:
    """Return the text of PDF `data` in reading order (pdftotext -raw keeps a table cell's lines together)."""
    if shutil.which('pdftotext') is None:
        pytest.fail('pdftotext is missing: install Debian poppler-utils')
    args = ['pdftotext', '-raw', '-enc', 'UTF-8', *(BODY_CROP if crop else []), '-', '-']
    return subprocess.run(args, input=data, capture_output=True, check=True).stdout.decode('utf-8')


@cache
def _pdf(name: str, kind: str, final: bool = True) -> bytes:
    return render(DOCS[name], kind, 'pdf', final=final, today=TODAY)


@cache
def _text(name: str, kind: str, final: bool = True) -> str:
    return norm(pdf_text(_pdf(name, kind, final)))


def expected_title(doc: dict, kind: str) -> str:
    return verslag_title(doc['verslag']['soort']) if kind in ('verslag', 'verslag-ouders') else TITLES[kind]


def test_every_example_is_covered():
    assert len(DOCS) == len(example_files())
    assert {kind for _name, kind in CASES} >= {'verslag', 'iac-plan', 'leersteunafspraken', 'samenwerkingsafspraken'}


@pytest.mark.parametrize('name, kind', CASES)
def test_pdf_contract(name, kind):
    doc = DOCS[name]
    data = _pdf(name, kind)
    text = _text(name, kind)
    assert data.startswith(b'%PDF')
    assert norm(expected_title(doc, kind)) in text
    who = doc['school']['naam'] if kind == 'samenwerkingsafspraken' else f"{doc['leerling']['voornaam']} " \
        f"{doc['leerling']['achternaam']}"
    assert norm(who) in text
    # Every numbered heading, in the order sections.py gives (the DOCX follows the same list).
    positions = [text.find(norm(f'{n}. {title}')) for n, (_key, title) in enumerate(sections_for(kind, doc), 1)]
    assert -1 not in positions, positions
    assert positions == sorted(positions)
    if kind == 'verslag':
        for behoefte in doc['traject']['behoeften']:
            assert norm(behoefte['formulering']) in text
        assert norm(format_long_date(date.fromisoformat(doc['verslag']['datum']))) in text
    if kind == 'iac-plan':
        for doel in doc['iac_plan']['doelen']:
            assert norm(doel['formulering']) in text
    if kind == 'samenwerkingsafspraken':
        for signer in doc['ondertekening']:
            assert norm(signer['naam']) in text


def test_verslag_weighs_adjustments_by_soort():
    gc_text = _text('case-noor-gc-type9', 'verslag')
    noor = DOCS['case-noor-gc-type9']
    for aanpassing in noor['aanpassingen']:
        shown = norm(aanpassing['beschrijving']) in gc_text
        assert shown == (aanpassing['oordeel'] == 'redelijk')  # a GC-verslag lists only the reasonable ones
    for name in ('case-milan-iac-basisaanbod', 'case-lina-ov4-type4'):
        text = _text(name, 'verslag')
        for aanpassing in DOCS[name]['aanpassingen']:
            assert norm(aanpassing['beschrijving']) in text
            if aanpassing.get('motivering'):
                assert norm(aanpassing['motivering']) in text
        assert norm('60 kalenderdagen') in text
        assert norm('Attest bij het') in text


def test_attest_starts_on_its_own_page():
    with pdfplumber.open(BytesIO(_pdf('case-lina-ov4-type4', 'verslag'))) as pdf:
        last = norm(pdf.pages[-1].extract_text() or '')
        before = norm(pdf.pages[-2].extract_text() or '')
    assert norm('Attest bij het OV4-verslag') in last
    assert norm('12. Verantwoordelijke') not in last
    assert norm('Attest bij het OV4-verslag') not in before


@pytest.mark.parametrize('name, kind', CASES)
def test_concept_mark_only_on_drafts(name, kind):
    assert 'CONCEPT' not in pdf_text(_pdf(name, kind, final=True), crop=False)
    # The mark lives in _base.html, shared by every kind: one draft per example keeps this module fast.
    if kind == kinds_for(DOCS[name])[0]:
        assert 'CONCEPT' in pdf_text(_pdf(name, kind, final=False), crop=False)


def test_base_template_takes_language_and_direction_from_the_context():
    env = make_document_env('ar').overlay(loader=ChoiceLoader([
        DictLoader({'brief.html': "{% extends '_base.html' %}{% block title %}T{% endblock %}"
                                  "{% block content %}<p>x</p>{% endblock %}"}),
        make_document_env('ar').loader]))
    html = env.get_template('brief.html').render(concept=False, vandaag=TODAY, dir='rtl', lang='ar')
    assert '<html lang="ar" dir="rtl">' in html
    html = env.get_template('brief.html').render(concept=True, vandaag=TODAY, lang='nl')
    assert '<html lang="nl" dir="ltr">' in html and 'class="concept-mark"' in html


def test_pdf_is_tagged_pdfa3_with_metadata():
    reader = PdfReader(BytesIO(_pdf('case-noor-gc-type9', 'verslag')))
    catalog = reader.trailer['/Root']
    assert '/StructTreeRoot' in catalog
    assert bool(catalog['/MarkInfo']['/Marked'])
    assert catalog['/Lang'] == 'nl'
    assert '/OutputIntents' in catalog
    xmp = catalog['/Metadata'].get_object().get_data().decode('utf-8')
    assert re.search(r'pdfaid:part(>|=")3', xmp) and re.search(r'pdfaid:conformance(>|=")U', xmp)
    title = reader.metadata.title
    assert title == 'GC-verslag – Noor Verstraeten'


def test_fonts_are_embedded():
    reader = PdfReader(BytesIO(_pdf('case-noor-gc-type9', 'verslag')))
    fonts = set()
    for page in reader.pages:
        for font in page['/Resources']['/Font'].values():
            descendant = font.get_object()['/DescendantFonts'][0].get_object()
            descriptor = descendant['/FontDescriptor'].get_object()
            assert '/FontFile2' in descriptor or '/FontFile3' in descriptor
            fonts.add(str(descriptor['/FontName']).split('+')[-1])
    # The @font-face family of print.css (the bundled Noto Sans), not whatever fontconfig would pick.
    assert {'Traject-Sans', 'Traject-Sans-Bold'} <= fonts, fonts


def test_streams_are_deflated_at_the_default_level():
    # The zlib header says the level: 78 9C is the default (6), 78 DA is pydyf's own level 9, three times slower.
    reader = PdfReader(BytesIO(_pdf('case-noor-gc-type9', 'verslag')))
    content = reader.pages[0]['/Contents'].get_object()
    assert content['/Filter'] == '/FlateDecode'
    assert content._data[:2] == b'\x78\x9c'
    assert 'Noor Verstraeten' in reader.pages[0].extract_text()


@pytest.mark.parametrize('name, kind', CASES)
def test_embedded_case_round_trips(name, kind):
    doc = DOCS[name]
    embedded = extract_case(_pdf(name, kind))
    # Still a valid document for `traject import`, and nothing the school may see is lost on the way. What it may
    # not see is checked against documents typed out in full in tests/privacy/test_embedded_literal.py.
    validate(embedded)
    internal = {'toestemmingen', 'extra'} if doc['formaat'] == 'traject-case/1' else set()
    if internal:
        # The case's own `extra` is CLB-internal; the PDF's says only what this document left out.
        assert embedded.get('extra') in (None, {'traject': {'weggelaten': ['traject.diagnosen']}})
    assert [key for key in embedded if key not in internal] == [key for key in doc if key not in internal]
    assert {k: v for k, v in embedded.items() if k not in ('traject', 'overleg', *internal)} == \
        {k: v for k, v in doc.items() if k not in ('traject', 'overleg', *internal)}
    if 'traject' in doc:
        unfiltered = ('onderzoek', 'strategie', 'diagnosen')
        assert {k: v for k, v in embedded['traject'].items() if k not in unfiltered} == \
            {k: v for k, v in doc['traject'].items() if k not in unfiltered}
        assert [{k: v for k, v in o.items() if k != 'notulen'} for o in doc.get('overleg') or []] == \
            embedded.get('overleg', [])


def test_embedded_case_is_the_whole_document_when_nothing_is_internal():
    samenwerking = DOCS['samenwerking-de-linde']
    assert extract_case(_pdf('samenwerking-de-linde', 'samenwerkingsafspraken')) == samenwerking
    noor = DOCS['case-noor-gc-type9']
    assert shareable_case(noor, 'clb') == noor


def test_extract_case_of_something_else_is_none():
    assert extract_case(b'not a pdf') is None
    assert extract_case(b'%PDF-1.7\n%%EOF') is None


def minimal_case() -> dict:
    """Return a valid IAC case with every optional key left out and every list that may be empty, empty."""
    doc = copy.deepcopy(DOCS['case-milan-iac-basisaanbod'])
    for key in ('id', 'leersteuncentrum', 'toestemmingen', 'aanpassingen', 'oudersamenvatting'):
        doc.pop(key, None)
    doc.update(ouders=[], betrokkenen=[], school={'naam': 'School', 'soort': 'gewoon'}, clb={'naam': 'CLB'},
               overleg=[{'soort': 'adviesgesprek', 'datum': '2026-02-19', 'deelnemers': []}])
    doc['leerling'] = {k: v for k, v in doc['leerling'].items() if k not in ('klas', 'thuistaal')}
    traject = doc['traject']
    for key in ('voorgeschiedenis', 'diagnosen', 'doelen', 'onderzoek'):
        traject.pop(key, None)
    traject.update(strategie={'onderzoek_nodig': False, 'hypothesen': [], 'onderzoeksvragen': []}, zorgcontinuum=[],
                   beeldvorming=[], behoeften=[{'soort': 'onderwijsbehoefte', 'formulering': 'Milan heeft rust.'}])
    doc['verslag'].pop('herzien_tegen', None)
    doc['iac_plan'].pop('netwerkpartners', None)
    doc['iac_plan']['evaluatiemomenten'] = []
    for doel in doc['iac_plan']['doelen']:
        doel.pop('evaluaties', None)
        doel['code'] = None
    for key in ('opstartdatum', 'rollen', 'ouderbetrokkenheid'):
        doc['leersteun'].pop(key, None)
    doc['leersteun']['evaluatiedata'] = []
    return doc


@pytest.mark.parametrize('kind', ['verslag', 'iac-plan', 'leersteunafspraken'])
def test_minimal_case_renders_with_short_sentences_for_empty_lists(kind):
    # StrictUndefined: a template that reads an optional key without .get() fails here.
    text = norm(pdf_text(render(minimal_case(), kind, 'pdf', final=True, today=TODAY)))
    assert norm('Geen') in text
    if kind == 'verslag':
        assert norm('Geen maatregelen vermeld.') in text and norm('Dit verslag vermeldt geen diagnosen.') in text


# ---------- Page breaks ----------

DEMO_DIR = Path(__file__).resolve().parents[2] / 'webapp' / 'demo'
VERSLAGEN = {name: doc for name, doc in {**DOCS, **{p.stem: json.loads(p.read_text(encoding='utf-8'))
                                                    for p in DEMO_DIR.glob('case-*.json')}}.items()
             if doc.get('formaat') == 'traject-case/1' and doc.get('verslag')}


@pytest.mark.parametrize('final', [True, False], ids=['final', 'concept'])
@pytest.mark.parametrize('name', sorted(VERSLAGEN))
def test_page_breaks_keep_headings_and_verdicts_with_their_text(name, final):
    data = render(VERSLAGEN[name], 'verslag', 'pdf', final=final, today=TODAY)
    pages = [[line for line in page.splitlines() if line.strip()] for page in pdf_text(data).split('\f')]
    for lines in pages:
        # A verdict stays with the weighing it concludes.
        assert not (lines and lines[0].startswith('Oordeel:')), lines[:2]
        # The heading of the weighing and its note never end a page without the first adjustment.
        text = norm(''.join(lines))
        if norm('Afweging van de aanpassingen') in text:
            assert norm('Aanpassing 1') in text


# ---------- Privacy ----------

CANARIES = {
    'hypothese': 'KANARIE-HYPOTHESE-7Q2',
    'onderzoeksvraag': 'KANARIE-ONDERZOEKSVRAAG-4K8',
    'onderzoek': 'KANARIE-ONDERZOEK-RESULTAAT-9X1',
    'notulen': 'KANARIE-NOTULEN-3M5',
    'diagnose': 'KANARIE-GEHEIME-DIAGNOSE-5Z3',
    'extra': 'KANARIE-EXTRA-8W6',
}
SHARED_DIAGNOSE = 'Gedeelde diagnose GEDEELD-2P9'


def with_canaries(doc: dict) -> dict:
    """Return `doc` with a unique string in every CLB-internal place a school document must not show."""
    doc = copy.deepcopy(doc)
    traject = doc['traject']
    traject['strategie']['onderzoek_nodig'] = True
    traject['strategie']['hypothesen'].append(CANARIES['hypothese'])
    traject['strategie']['onderzoeksvragen'].append(CANARIES['onderzoeksvraag'])
    traject['onderzoek'] = traject.get('onderzoek') or []
    traject['onderzoek'].append({'vraag': 'Vraag', 'methode': 'Observatie', 'uitvoerder': 'CLB', 'datum': '2025-11-13',
                                 'resultaat': CANARIES['onderzoek']})
    for i, overleg in enumerate(doc['overleg']):
        overleg['notulen'] = f"{CANARIES['notulen']}-{i}"
    traject['diagnosen'] = [
        {'omschrijving': CANARIES['diagnose'], 'gesteld_door': 'dr. X', 'datum': '2026-01-08',
         'delen_met_school': False, 'delen_met_ouders': True},
        {'omschrijving': SHARED_DIAGNOSE, 'gesteld_door': 'dr. Y', 'datum': '2025-01-08',
         'delen_met_school': True, 'delen_met_ouders': True},
    ]
    doc['extra'] = {'notitie': CANARIES['extra']}
    return doc


@cache
def _canary_pdfs() -> dict[str, bytes]:
    pdfs = {}
    for name in ('case-noor-gc-type9', 'case-milan-iac-basisaanbod'):
        doc = with_canaries(DOCS[name])
        for kind in kinds_for(doc):
            if kind != 'oudersamenvatting':
                pdfs[f'{name}/{kind}'] = render(doc, kind, 'pdf', final=True, today=TODAY)
    return pdfs


@pytest.mark.parametrize('which', ['case-noor-gc-type9/verslag', 'case-noor-gc-type9/leersteunafspraken',
                                   'case-milan-iac-basisaanbod/verslag', 'case-milan-iac-basisaanbod/iac-plan',
                                   'case-milan-iac-basisaanbod/leersteunafspraken'])
def test_school_documents_hide_clb_internal_data(which):
    data = _canary_pdfs()[which]
    text = pdf_text(data, crop=False)
    embedded = json.dumps(extract_case(data), ensure_ascii=False)
    for canary in CANARIES.values():
        assert canary not in text
        assert canary not in embedded  # the attached JSON is as readable as the page
    assert 'KANARIE' not in text and 'KANARIE' not in embedded
    if which.endswith('/verslag'):
        assert norm(SHARED_DIAGNOSE) in norm(text)
        assert SHARED_DIAGNOSE in embedded


# ---------- Hostile text ----------

LONG_WORD = ''.join(f'Zorgcontinuum{i:03d}' for i in range(19))[:300]
HOSTILE = ('BEGIN-{{ 7*7 }}-EINDE {% if %} <b>x</b> <img src="file:///etc/passwd"> ]]> &amp; & < '
           '\u202e\u0645\u062f\u0631\u0633\u0629\u200f Ελληνικά Українська 中文 😀 ')
LINES = '\n'.join(f'regel{i:02d}' for i in range(40))


@cache
def _hostile_pdf() -> bytes:
    doc = copy.deepcopy(DOCS['case-noor-gc-type9'])
    doc['traject']['aanleiding'] = f'{HOSTILE}\n{LONG_WORD}\n{LINES}'
    doc['traject']['behoeften'][0]['formulering'] = f'Noor heeft {HOSTILE} nodig. {LONG_WORD}'
    doc['verslag']['advies'] = f'{HOSTILE}{LONG_WORD}'
    doc['verslag']['motivering'] = f'{LINES}\n{HOSTILE}'
    return render(doc, 'verslag', 'pdf', final=True, today=TODAY)


def test_hostile_text_comes_out_literally():
    raw = pdf_text(_hostile_pdf())
    text = norm(raw)
    assert norm('BEGIN-{{ 7*7 }}-EINDE') in text
    assert 'BEGIN-49-EINDE' not in text
    assert norm('{% if %}') in text
    assert norm('<b>x</b>') in text
    assert norm('<img src="file:///etc/passwd">') in text
    assert norm(']]> &amp; & <') in text
    assert norm('Ελληνικά Українська') in text
    assert re.search('[\u0645\u062f\u0631\u0633\u0629]{5}', text)
    assert norm(LINES) in text  # forty lines, in order
    assert LONG_WORD in text
    assert 'root:' not in raw  # /etc/passwd was not read
    if has_cjk_font():
        assert '中文' in text  # CJK is not bundled; it needs a system font (Debian fonts-noto-cjk)


def has_cjk_font() -> bool:
    """Return whether fontconfig knows a font for Chinese (the bundled fonts cover Latin, Greek, Cyrillic, Arabic)."""
    if shutil.which('fc-list') is None:
        return False
    return bool(subprocess.run(['fc-list', ':lang=zh', 'family'], capture_output=True, text=True).stdout.strip())


def test_hostile_text_stays_on_the_page():
    with pdfplumber.open(BytesIO(_hostile_pdf())) as pdf:
        for page in pdf.pages:
            for char in page.chars:
                assert -0.5 <= char['x0'] and char['x1'] <= page.width + 0.5, (page.page_number, char['text'])


# ---------- Asset fetcher ----------

@pytest.mark.parametrize('url', [
    'file:///etc/passwd',
    'FILE:///etc/passwd',
    'file://localhost/etc/passwd',
    'file://otherhost/' + ASSETS_DIR.as_posix().lstrip('/') + '/fonts/OFL.txt',
    ASSETS_DIR.as_uri() + '/../pdf/print.css',
    ASSETS_DIR.as_uri() + '/fonts/../../../webapp/config.py',
    'http://127.0.0.1:9/x',
    'https://example.org/font.ttf',
    'ftp://example.org/x',
    'javascript:alert(1)',
])
def test_asset_fetcher_refuses_everything_outside_the_assets(url, caplog):
    with pytest.raises(FatalURLFetchingError):
        AssetFetcher().fetch(url)
    assert 'Refused document asset' in caplog.text


def test_asset_fetcher_serves_assets_and_data_uris():
    response = AssetFetcher().fetch(ASSETS_DIR.as_uri() + '/fonts/OFL.txt')
    try:
        assert b'SIL OPEN FONT LICENSE' in response.read()
    finally:
        response.close()
    response = AssetFetcher().fetch('data:text/plain;base64,VHJhamVjdA==')
    assert response.read() == b'Traject'


@pytest.mark.parametrize('markup', [
    '<img src="file:///etc/passwd">',
    '<link rel="attachment" href="file:///etc/passwd">',
    '<img src="http://127.0.0.1:9/x">',
    '<div style="background: url(http://127.0.0.1:9/x)">x</div>',
    '<link rel="stylesheet" href="http://127.0.0.1:9/x.css">',
])
def test_render_pdf_fetches_nothing_outside_the_assets(markup, monkeypatch):
    # A template that forgot to escape (or a future one with images) must still not read files or the network.
    def no_network(*args, **kwargs):
        raise AssertionError('WeasyPrint tried to open a network connection')

    monkeypatch.setattr(socket.socket, 'connect', no_network)
    monkeypatch.setattr(socket, 'create_connection', no_network)
    env = SandboxedEnvironment(loader=DictLoader({'evil.html': f'<html><body><p>x</p>{markup}</body></html>'}))
    spec = SimpleNamespace(pdf='evil.html')
    with pytest.raises(FatalURLFetchingError):
        render_pdf(spec, {'audience': 'school'}, env, attachment=None)
