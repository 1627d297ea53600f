"""The case attached to a PDF, compared with the expected document written out here in full.

Comparing the attachment with `shareable_case()` would only show that the PDF embeds what that function returns;
a fault inside it would pass. These documents are typed out by hand instead, key by key (DOMAIN.md §6.1).
"""
import copy
from datetime import date

import pytest

from webapp.caseformat import validate
from webapp.documents import render
from webapp.documents.pdf import extract_case


TODAY = date(2026, 3, 20)

CASE = {
    'formaat': 'traject-case/1',
    'id': 'letterlijk-1',
    'leerling': {'voornaam': 'Wout', 'achternaam': 'Claes', 'geboortedatum': '2016-04-02', 'onderwijsniveau': 'lager',
                 'leerjaar': '4'},
    'ouders': [{'naam': 'Els Claes', 'relatie': 'moeder', 'voorkeurtaal': 'nl'}],
    'school': {'naam': 'Basisschool De Wilg', 'soort': 'gewoon'},
    'clb': {'naam': 'CLB Rivierenland'},
    'betrokkenen': [{'naam': 'Sara Peeters', 'rol': 'clb-medewerker'}],
    'toestemmingen': [{'onderwerp': 'delen-met-school', 'gegeven_door': 'Els Claes', 'datum': '2026-01-05'}],
    'traject': {
        'aanmeldingsdatum': '2025-10-01',
        'aanmelder': 'school',
        'aanleiding': 'Wout leest traag.',
        'hulpvragen': [{'van': 'leerkracht', 'vraag': 'Hoe helpen we Wout bij het lezen?'}],
        'zorgcontinuum': [],
        'strategie': {'onderzoek_nodig': True, 'hypothesen': ['Misschien dyslexie.'],
                      'onderzoeksvragen': ['Is er een leesstoornis?']},
        'onderzoek': [{'vraag': 'Is er een leesstoornis?', 'methode': 'Leestest', 'uitvoerder': 'CLB',
                       'datum': '2025-12-01', 'resultaat': 'Zwak technisch lezen.'}],
        'beeldvorming': [],
        'diagnosen': [
            {'omschrijving': 'Dyslexie', 'gesteld_door': 'CLB', 'datum': '2025-12-10', 'delen_met_school': True,
             'delen_met_ouders': True},
            {'omschrijving': 'Slaapprobleem', 'gesteld_door': 'huisarts', 'datum': '2025-12-11',
             'delen_met_school': True, 'delen_met_ouders': False},
            {'omschrijving': 'Angst', 'gesteld_door': 'psychiater', 'datum': '2025-12-12', 'delen_met_school': False,
             'delen_met_ouders': True},
            {'omschrijving': 'Werkhypothese ADHD', 'gesteld_door': 'CLB-arts', 'datum': '2025-12-13',
             'delen_met_school': False, 'delen_met_ouders': False},
        ],
        'behoeften': [{'soort': 'onderwijsbehoefte', 'formulering': 'Wout heeft voorleessoftware nodig.'}],
    },
    'overleg': [{'soort': 'adviesgesprek', 'datum': '2026-01-20', 'deelnemers': ['Els Claes', 'Sara Peeters'],
                 'notulen': 'Moeder twijfelt nog.', 'standpunt_ouders': 'akkoord'}],
    'verslag': {'soort': 'gc', 'type': '9', 'datum': '2026-02-01', 'verantwoordelijke': 'Sara Peeters',
                'motivering': 'Redelijke aanpassingen volstaan.', 'advies': 'Gewoon onderwijs met aanpassingen.'},
    'extra': {'dossiernummer': 'INTERN-77'},
}

# What the school may read: no consents, no onderzoek, an empty strategie, no notulen, no `extra`, and only the
# diagnoses shared with the school.
EXPECTED_SCHOOL = {
    'formaat': 'traject-case/1',
    'id': 'letterlijk-1',
    'leerling': {'voornaam': 'Wout', 'achternaam': 'Claes', 'geboortedatum': '2016-04-02', 'onderwijsniveau': 'lager',
                 'leerjaar': '4'},
    'ouders': [{'naam': 'Els Claes', 'relatie': 'moeder', 'voorkeurtaal': 'nl'}],
    'school': {'naam': 'Basisschool De Wilg', 'soort': 'gewoon'},
    'clb': {'naam': 'CLB Rivierenland'},
    'betrokkenen': [{'naam': 'Sara Peeters', 'rol': 'clb-medewerker'}],
    'traject': {
        'aanmeldingsdatum': '2025-10-01',
        'aanmelder': 'school',
        'aanleiding': 'Wout leest traag.',
        'hulpvragen': [{'van': 'leerkracht', 'vraag': 'Hoe helpen we Wout bij het lezen?'}],
        'zorgcontinuum': [],
        'strategie': {'onderzoek_nodig': True, 'hypothesen': [], 'onderzoeksvragen': []},
        'beeldvorming': [],
        'diagnosen': [
            {'omschrijving': 'Dyslexie', 'gesteld_door': 'CLB', 'datum': '2025-12-10', 'delen_met_school': True,
             'delen_met_ouders': True},
            {'omschrijving': 'Slaapprobleem', 'gesteld_door': 'huisarts', 'datum': '2025-12-11',
             'delen_met_school': True, 'delen_met_ouders': False},
        ],
        'behoeften': [{'soort': 'onderwijsbehoefte', 'formulering': 'Wout heeft voorleessoftware nodig.'}],
    },
    'overleg': [{'soort': 'adviesgesprek', 'datum': '2026-01-20', 'deelnemers': ['Els Claes', 'Sara Peeters'],
                 'standpunt_ouders': 'akkoord'}],
    'verslag': {'soort': 'gc', 'type': '9', 'datum': '2026-02-01', 'verantwoordelijke': 'Sara Peeters',
                'motivering': 'Redelijke aanpassingen volstaan.', 'advies': 'Gewoon onderwijs met aanpassingen.'},
}

# What the parents may read: the same, with the diagnoses shared with the parents instead.
EXPECTED_OUDERS = {
    'formaat': 'traject-case/1',
    'id': 'letterlijk-1',
    'leerling': {'voornaam': 'Wout', 'achternaam': 'Claes', 'geboortedatum': '2016-04-02', 'onderwijsniveau': 'lager',
                 'leerjaar': '4'},
    'ouders': [{'naam': 'Els Claes', 'relatie': 'moeder', 'voorkeurtaal': 'nl'}],
    'school': {'naam': 'Basisschool De Wilg', 'soort': 'gewoon'},
    'clb': {'naam': 'CLB Rivierenland'},
    'betrokkenen': [{'naam': 'Sara Peeters', 'rol': 'clb-medewerker'}],
    'traject': {
        'aanmeldingsdatum': '2025-10-01',
        'aanmelder': 'school',
        'aanleiding': 'Wout leest traag.',
        'hulpvragen': [{'van': 'leerkracht', 'vraag': 'Hoe helpen we Wout bij het lezen?'}],
        'zorgcontinuum': [],
        'strategie': {'onderzoek_nodig': True, 'hypothesen': [], 'onderzoeksvragen': []},
        'beeldvorming': [],
        'diagnosen': [
            {'omschrijving': 'Dyslexie', 'gesteld_door': 'CLB', 'datum': '2025-12-10', 'delen_met_school': True,
             'delen_met_ouders': True},
            {'omschrijving': 'Angst', 'gesteld_door': 'psychiater', 'datum': '2025-12-12', 'delen_met_school': False,
             'delen_met_ouders': True},
        ],
        'behoeften': [{'soort': 'onderwijsbehoefte', 'formulering': 'Wout heeft voorleessoftware nodig.'}],
    },
    'overleg': [{'soort': 'adviesgesprek', 'datum': '2026-01-20', 'deelnemers': ['Els Claes', 'Sara Peeters'],
                 'standpunt_ouders': 'akkoord'}],
    'verslag': {'soort': 'gc', 'type': '9', 'datum': '2026-02-01', 'verantwoordelijke': 'Sara Peeters',
                'motivering': 'Redelijke aanpassingen volstaan.', 'advies': 'Gewoon onderwijs met aanpassingen.'},
}


def test_the_case_and_the_expected_documents_are_valid():
    for doc in (CASE, EXPECTED_SCHOOL, EXPECTED_OUDERS):
        validate(doc)


@pytest.mark.parametrize('kind, language, expected', [
    ('verslag', 'nl', EXPECTED_SCHOOL),
    ('oudersamenvatting', 'nl', EXPECTED_OUDERS),
    ('oudersamenvatting', 'fr+nl', EXPECTED_OUDERS),
])
def test_the_attached_case_is_exactly_what_the_reader_may_see(kind, language, expected):
    case = copy.deepcopy(CASE)
    embedded = extract_case(render(case, kind, 'pdf', language, final=True, today=TODAY))
    assert embedded == expected
    assert list(embedded) == list(expected)  # the order of the stored document, as `traject export` writes it
    assert case == CASE  # filtering for the reader left the stored case alone
