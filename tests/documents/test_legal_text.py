"""The documents say what the regulations say, for the pupil in front of the CLB (issue 13).

Each test reads the rendered text of both formats (pdftotext of the PDF, every paragraph of the DOCX) of the fictional
cases in tests/data: one per level and verslag kind (kleuter GC, lager IAC basisaanbod, lager IAC type 2, secundair
IAC OV3, OV4, a conversion GC -> IAC, a move to secondary).
"""
import copy
from datetime import date
from functools import cache

import pytest

from tests.documents.test_parity import docx_paragraph_texts
from tests.documents.test_pdf import norm, pdf_text
from tests.helpers import OWN_EXAMPLES, load_example
from webapp.documents import render


TODAY = date(2026, 3, 20)
CASES = {p.stem: load_example(p) for p in sorted(OWN_EXAMPLES.glob('case-*.json'))}
KLEUTER_GC = 'case-mila-gc-kleuter'
LAGER_BASISAANBOD = 'case-ines-iac-basisaanbod-lager'
LAGER_TYPE2 = 'case-lars-iac-type2-lager'
OV3 = 'case-bram-iac-ov3-type9'
OV4 = 'case-zoe-ov4-type6'
OMZETTING = 'case-finn-omzetting-gc-iac'
SECUNDAIR = 'case-noah-overgang-secundair'


@cache
def _texts(name: str, kind: str) -> tuple[str, str]:
    doc = CASES[name]
    pdf = norm(pdf_text(render(doc, kind, 'pdf', final=True, today=TODAY)))
    docx = norm('\n'.join(docx_paragraph_texts(render(doc, kind, 'docx', final=True, today=TODAY))))
    return pdf, docx


def says(name: str, kind: str, sentence: str) -> bool:
    """Return whether both the PDF and the DOCX of `kind` say `sentence`; fail when only one of them does."""
    pdf, docx = _texts(name, kind)
    found = (norm(sentence) in pdf, norm(sentence) in docx)
    assert found[0] == found[1], f'only the {"PDF" if found[0] else "DOCX"} says: {sentence}'
    return found[0]


def render_text(doc: dict, kind: str) -> tuple[str, str]:
    """Return the normalised text of the PDF and the DOCX of a case made in the test."""
    return (norm(pdf_text(render(doc, kind, 'pdf', final=True, today=TODAY))),
            norm('\n'.join(docx_paragraph_texts(render(doc, kind, 'docx', final=True, today=TODAY)))))


def test_the_cases_cover_each_level_and_kind():
    kinds = {name: (d['leerling']['onderwijsniveau'], d['verslag']['soort'], d['verslag']['type'],
                    d['verslag'].get('opleidingsvorm'), (d['verslag'].get('vorig_verslag') or {}).get('reden'))
             for name, d in CASES.items()}
    assert kinds[KLEUTER_GC][:2] == ('kleuter', 'gc')
    assert kinds[LAGER_BASISAANBOD][:3] == ('lager', 'iac', 'basisaanbod')
    assert kinds[LAGER_TYPE2][:3] == ('lager', 'iac', '2')
    assert kinds[OV3][:4] == ('secundair', 'iac', '9', 'ov3')
    assert kinds[OV4][1] == 'ov4'
    assert kinds[OMZETTING][4] == 'omzetting' and CASES[OMZETTING]['verslag']['vorig_verslag']['soort'] == 'gc'
    assert kinds[SECUNDAIR][0] == 'secundair' and kinds[SECUNDAIR][4] == 'overgang-secundair'


# Item 9: titles lead with the short legal name; the long name is the subtitle.

@pytest.mark.parametrize('name, title, subtitle', [
    (KLEUTER_GC, 'GC-verslag', 'Verslag dat leidt tot een gemeenschappelijk traject'),
    (LAGER_BASISAANBOD, 'IAC-verslag', 'Verslag dat leidt tot een individueel traject'),
    (OV4, 'OV4-verslag', None),
])
def test_titles_lead_with_the_short_legal_name(name, title, subtitle):
    pdf, docx = _texts(name, 'verslag')
    for text in (pdf, docx):
        assert text.startswith(norm(title)) or text.startswith(norm('CONCEPT') + norm(title))
        assert norm(f'{subtitle} ({title})' if subtitle else 'x' * 50) not in text  # the old combined title
    if subtitle:
        assert says(name, 'verslag', subtitle)


# Item 8: labels in current wording.

def test_labels_of_opleidingsvorm_and_type_7_are_current():
    assert says(SECUNDAIR, 'verslag', 'opleidingsvorm 2 (voorbereiding op een leven en werk in een omgeving waar in '
                                      'ondersteuning voorzien is)')
    doc = copy.deepcopy(CASES[KLEUTER_GC])
    doc['verslag']['type'] = '7-stos'
    for text in render_text(doc, 'verslag'):
        assert norm('type 7 (spraak- of taalstoornis)') in text
        assert norm('taalontwikkelingsstoornis') not in text


# Item 4: the OV4-verslag asks why the GC is not feasible in this school, and why OV4 is needed.

def test_ov4_heading_asks_the_ov4_question():
    assert says(OV4, 'verslag', 'Waarom het gemeenschappelijk curriculum met redelijke aanpassingen in deze school '
                                'voor gewoon onderwijs niet haalbaar is, en waarom een OV4-setting nodig is')
    assert says(OV3, 'verslag', 'Waarom het gemeenschappelijk curriculum met redelijke aanpassingen niet haalbaar is')
    assert not says(OV3, 'verslag', 'waarom een OV4-setting nodig is')


# Item 5: what the verslag makes possible: staying, a new school, the parents' choice, part-time, the level.

@pytest.mark.parametrize('name, niveau', [
    (LAGER_BASISAANBOD, 'buitengewoon basisonderwijs, type basisaanbod'),
    (LAGER_TYPE2, 'buitengewoon basisonderwijs, type 2 (verstandelijke beperking)'),
    (OV3, 'buitengewoon secundair onderwijs (BuSO), opleidingsvorm 3, type 9 (autismespectrumstoornis)'),
    (OV4, 'buitengewoon secundair onderwijs (BuSO), opleidingsvorm 4, type 6 (visuele beperking)'),
])
def test_what_the_verslag_makes_possible(name, niveau):
    voornaam, school = CASES[name]['leerling']['voornaam'], CASES[name]['school']['naam']
    assert says(name, 'verslag', f'Buitengewoon onderwijs: {niveau}.')
    assert says(name, 'verslag', 'De ouders kiezen tussen twee mogelijkheden:')
    assert says(name, 'verslag', f'Blijft {voornaam} in de huidige school ({school}), dan bekijken de school')
    assert says(name, 'verslag', f'Schrijven de ouders {voornaam} met dit verslag in een andere school voor gewoon '
                                 'onderwijs in, dan gebeurt dat onder ontbindende voorwaarde: binnen 60 kalenderdagen')
    assert says(name, 'verslag', f'In beide gevallen kan {voornaam} ook deeltijds naar school gaan')


def test_a_gc_verslag_has_no_such_section():
    assert not says(KLEUTER_GC, 'verslag', 'Wat dit verslag mogelijk maakt')
    assert not says(KLEUTER_GC, 'verslag', 'ontbindende voorwaarde')


# Item 6: the verslag's scope instead of 'geen vervaldatum'.

def test_scope_instead_of_no_expiry_date():
    for name in CASES:
        assert not says(name, 'verslag', 'vervaldatum')
        assert says(name, 'verslag', 'Dit verslag blijft gelden tot het wordt omgezet of opgeheven.')
    for name, basis in ((KLEUTER_GC, True), (LAGER_TYPE2, True), (OV3, False)):
        assert says(name, 'verslag', 'Een verslag uit het basisonderwijs neemt geen type en geen opleidingsvorm mee '
                                     'naar het secundair onderwijs') == basis
    assert says(KLEUTER_GC, 'verslag', 'Gepland herzieningsmoment: 31 januari 2027.')


# Item 3: the IAC plan's certificate per level, never settled in advance.

@pytest.mark.parametrize('name', [LAGER_BASISAANBOD, LAGER_TYPE2])
def test_iac_plan_in_lager_states_the_basisonderwijs_rule(name):
    voornaam = CASES[name]['leerling']['voornaam']
    assert says(name, 'iac-plan', 'In het basisonderwijs beslist de klassenraad op het einde van het lager onderwijs '
                                  f'of {voornaam} het getuigschrift basisonderwijs krijgt.')
    assert says(name, 'iac-plan', f'dan krijgt {voornaam} een attest met de gevolgde schooljaren')
    assert not says(name, 'iac-plan', 'attest van verworven bekwaamheden')  # also for Lars, whose file says so


def test_iac_plan_in_secondary_leaves_the_decision_to_the_klassenraad():
    assert says(OV3, 'iac-plan', 'De klassenraad beslist op het einde van het traject over de studiebekrachtiging.')
    assert says(OV3, 'iac-plan', 'in de regel een attest van verworven bekwaamheden')
    assert says(OV3, 'iac-plan', 'In het secundair onderwijs kunnen doelen ook komen uit specifieke eindtermen en '
                                 'uit beroepskwalificaties')
    assert not says(LAGER_BASISAANBOD, 'iac-plan', 'beroepskwalificaties')


@pytest.mark.parametrize('name', [LAGER_BASISAANBOD, LAGER_TYPE2, OV3])
def test_iac_plan_never_says_hij_of_zij_and_agrees_with_itself(name):
    assert not says(name, 'iac-plan', 'hij of zij')
    assert not says(name, 'iac-plan', 'besprak')
    assert says(name, 'iac-plan', 'De klassenraad legde dit IAC-plan vast op 5 maart 2026.')


def test_iac_plan_names_the_areas_that_stay_on_the_gc():
    assert says(LAGER_BASISAANBOD, 'iac-plan', 'Ines blijft het gemeenschappelijk curriculum volgen in: '
                                               'lichamelijke opvoeding, muzische vorming.')
    assert says(LAGER_TYPE2, 'iac-plan', 'Er zijn geen leergebieden vermeld waarin Lars het gemeenschappelijk '
                                         'curriculum blijft volgen.')


# The verslag's life: conversion, move to secondary, opgeheven, ingangsdatum.

def test_a_verslag_that_replaces_another_says_so():
    assert says(OMZETTING, 'verslag', 'Dit verslag vervangt het vorige verslag (GC-verslag, type 9 '
                                      '(autismespectrumstoornis)) van 11 maart 2024. Reden: omzetting.')
    assert says(SECUNDAIR, 'verslag', 'Dit verslag vervangt het vorige verslag (IAC-verslag, type 2 (verstandelijke '
                                      'beperking)) van 1 februari 2021. Reden: overgang naar het secundair onderwijs.')
    assert not says(OV3, 'verslag', 'Dit verslag vervangt')


def test_the_ingangsdatum_is_printed_and_defaults_to_the_date():
    assert says(SECUNDAIR, 'verslag', 'Geldt vanaf 1 september 2025')
    assert says(OV3, 'verslag', 'Geldt vanaf 19 januari 2026')  # no ingangsdatum: the verslag's date


def test_an_opgeheven_verslag_says_so_on_every_page():
    doc = copy.deepcopy(CASES[OV3])
    doc['verslag']['status'] = 'opgeheven'
    data = render(doc, 'verslag', 'pdf', final=True, today=TODAY)
    from io import BytesIO

    import pdfplumber
    with pdfplumber.open(BytesIO(data)) as pdf:
        assert all('IAC-verslag (opgeheven)' in (page.extract_text() or '') for page in pdf.pages)
        assert 'Attest bij het IAC-verslag (opgeheven)' in pdf.pages[-1].extract_text()
    for text in render_text(doc, 'verslag'):
        assert norm('Dit verslag is opgeheven: het geeft geen toegang meer') in text
        assert norm('blijft gelden tot') not in text


# Evidence: the HGD summary and the parents' view in their own words.

def test_the_verslag_prints_the_hgd_summary_and_the_parents_words():
    assert says(OV4, 'verslag', 'Verloop van het handelingsgericht diagnostisch traject')
    assert says(OV4, 'verslag', CASES[OV4]['verslag']['hgd_samenvatting'])
    assert says(OV4, 'verslag', CASES[OV4]['overleg'][0]['standpunt_ouders_toelichting'])
    assert not says(KLEUTER_GC, 'verslag', 'Verloop van het handelingsgericht diagnostisch traject')


# The attest: names and addresses, ingangsdatum, the zorgcontinuüm, both signatories.

def test_the_attest_identifies_pupil_and_parents_and_has_two_signatures():
    doc = CASES[LAGER_BASISAANBOD]
    for line in (doc['leerling']['adres'], doc['ouders'][0]['naam'], doc['ouders'][1]['naam'],
                 'Het zorgcontinuüm werd doorlopen', 'Geldt vanaf 16 februari 2026',
                 'Voor het CLB: de directeur of een gemandateerde', 'Dirk Claeys', 'directeur CLB Voorbeeldstad',
                 'Verantwoordelijke voor het CLB'):
        assert says(LAGER_BASISAANBOD, 'verslag', line), line
    pdf, _docx = _texts(LAGER_BASISAANBOD, 'verslag')
    attest = pdf[pdf.index(norm('Attest bij het IAC-verslag')):]
    assert norm('Lindestraat 12, 9999 Voorbeeldstad') in attest and norm('Dirk Claeys') in attest


# Agreements: leersteun with period, stop criteria and sign-off, and no application named.

def test_leersteunafspraken_period_stop_criteria_and_sign_off():
    doc = CASES[LAGER_BASISAANBOD]
    assert says(LAGER_BASISAANBOD, 'leersteunafspraken', 'van 23 maart 2026 tot 30 juni 2026')
    assert says(LAGER_BASISAANBOD, 'leersteunafspraken', doc['leersteun']['stopcriteria'])
    assert says(LAGER_BASISAANBOD, 'leersteunafspraken', 'via het gebruikelijke aanvraagkanaal van de school')
    assert says(LAGER_BASISAANBOD, 'leersteunafspraken', 'Voor akkoord:')
    assert says(LAGER_BASISAANBOD, 'leersteunafspraken', 'Ruth Peeters')
    for name in (LAGER_BASISAANBOD, KLEUTER_GC):
        assert not says(name, 'leersteunafspraken', 'Diplon')


def test_samenwerkingsafspraken_name_the_pbd_the_sites_and_the_schoolbestuur():
    sw = load_example(OWN_EXAMPLES / 'samenwerking-de-linde-scholengroep.json')
    pdf, docx = render_text(sw, 'samenwerkingsafspraken')
    for text in (pdf, docx):
        for line in ('Pedagogische begeleidingsdienst', sw['pbd']['naam'], sw['schoolbestuur'], 'De Linde Noord',
                     '000102', 'Zuidlaan 2, 9999 Voorbeeldstad'):
            assert norm(line) in text, line


# The ontbindende voorwaarde: the overleg within 60 days, the written decision, how to object.

def test_the_ontbindende_voorwaarde_document():
    for sentence in ('Binnen 60 kalenderdagen overleggen de klassenraad, het CLB en de ouders',
                     'De school deelt haar beslissing schriftelijk en gemotiveerd mee aan de ouders.',
                     'De aanpassingen zijn redelijk: de inschrijving blijft behouden.',
                     'de inschrijving wordt ontbonden',
                     'Commissie inzake Leerlingenrechten', 'lokaal overlegplatform (LOP)',
                     'Directeur, namens de school'):
        assert says(OV4, 'ontbindende-voorwaarde', sentence), sentence


def test_the_ontbindende_voorwaarde_is_only_for_iac_and_ov4_in_a_gewone_school():
    from webapp.documents import kinds_for
    assert 'ontbindende-voorwaarde' in kinds_for(CASES[OV3])
    assert 'ontbindende-voorwaarde' not in kinds_for(CASES[KLEUTER_GC])
