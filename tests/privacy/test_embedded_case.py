"""What each audience receives inside a PDF: the case attached to every school and parents' PDF, read back as
`traject import x.pdf` reads it, and the table of who may see which diagnosis (DOMAIN.md §6.1, §6.3).

The page text has its own canary tests (documents/test_pdf.py, documents/test_oudersamenvatting.py); the embedded
JSON is as readable as the page, so it is checked here for every parent-facing PDF and every school PDF.
"""
import copy
import json
from datetime import date
from functools import cache

import pytest

from tests.helpers import example_cases
from webapp.caseformat import validate
from webapp.documents import DOCUMENTS, kinds_for, render
from webapp.documents.context import build_document_context, may_see_diagnose, shareable_case
from webapp.documents.pdf import extract_case


TODAY = date(2026, 3, 20)
EXAMPLES = example_cases()
# Every PDF a parent can be handed: the letter in each language Traject writes, and each bilingual letter.
PARENTS_LANGUAGES = DOCUMENTS['oudersamenvatting'].languages
SCHOOL_KINDS = [kind for kind, spec in DOCUMENTS.items() if spec.audience == 'school']

# One diagnosis per combination of the two flags; each is named after who may read it.
FLAGS = {  # omschrijving: (delen_met_school, delen_met_ouders)
    'DIAGNOSE-SCHOOL-EN-OUDERS-4T1': (True, True),
    'DIAGNOSE-ALLEEN-SCHOOL-8R2': (True, False),
    'DIAGNOSE-ALLEEN-OUDERS-6Y3': (False, True),
    'DIAGNOSE-NIEMAND-2U4': (False, False),
}
SEES = {
    'school': {'DIAGNOSE-SCHOOL-EN-OUDERS-4T1', 'DIAGNOSE-ALLEEN-SCHOOL-8R2'},
    'ouders': {'DIAGNOSE-SCHOOL-EN-OUDERS-4T1', 'DIAGNOSE-ALLEEN-OUDERS-6Y3'},
}
# Text that only the CLB may read, one per CLB-internal place (DOMAIN.md §6.1, §6.7).
CANARIES = {
    'hypothese': 'KANARIE-HYPOTHESE-1A1',
    'onderzoeksvraag': 'KANARIE-ONDERZOEKSVRAAG-2B2',
    'onderzoek': 'KANARIE-ONDERZOEK-3C3',
    'notulen': 'KANARIE-NOTULEN-4D4',
    'extra': 'KANARIE-EXTRA-5E5',
    'toestemming': '1999-09-09',  # a consent's only free field is a parent's name, so its date is the canary
}


def with_canaries(doc: dict) -> dict:
    """Return a copy of `doc` with a canary in every CLB-internal place and one diagnosis per flag combination."""
    doc = copy.deepcopy(doc)
    traject = doc['traject']
    traject['strategie'] = {'onderzoek_nodig': True, 'hypothesen': [CANARIES['hypothese']],
                            'onderzoeksvragen': [CANARIES['onderzoeksvraag']]}
    traject['onderzoek'] = [{'vraag': 'Vraag', 'methode': 'Observatie', 'uitvoerder': 'CLB', 'datum': '2025-11-13',
                             'resultaat': CANARIES['onderzoek']}]
    traject['diagnosen'] = [{'omschrijving': text, 'gesteld_door': 'dr. X', 'datum': '2025-12-01',
                             'delen_met_school': school, 'delen_met_ouders': ouders}
                            for text, (school, ouders) in FLAGS.items()]
    for overleg in doc['overleg']:
        overleg['notulen'] = CANARIES['notulen']
    parent = doc['ouders'][0]['naam']
    doc['toestemmingen'] = (doc.get('toestemmingen') or []) + [
        {'onderwerp': 'delen-met-school', 'gegeven_door': parent, 'datum': CANARIES['toestemming']}]
    doc['extra'] = {'notitie': CANARIES['extra']}
    validate(doc)
    return doc


@cache
def _pdf(name: str, kind: str, language: str = 'nl') -> bytes:
    return render(with_canaries(EXAMPLES[name]), kind, 'pdf', language, final=True, today=TODAY)


def assert_only_shared(embedded: dict | None, audience: str, kind: str | None = None) -> None:
    """Fail unless `embedded` is a valid case holding nothing CLB-internal and exactly `audience`'s diagnoses.

    The leersteunafspraken show no diagnosis, so they carry none (issue 12: a document embeds only what it shows).
    """
    assert embedded is not None, 'the PDF carries no case'
    validate(embedded)  # `traject import` of the PDF must still work
    text = json.dumps(embedded, ensure_ascii=False)
    assert [name for name, canary in CANARIES.items() if canary in text] == []
    assert 'toestemmingen' not in embedded
    # The CLB's own `extra` never leaves; Traject's note of what the document left out may stand in its place.
    assert embedded.get('extra', {}) in ({}, {'traject': {'weggelaten': ['ouders']}},
                                         {'traject': {'weggelaten': ['traject.diagnosen']}})
    traject = embedded['traject']
    assert 'onderzoek' not in traject
    assert traject['strategie']['hypothesen'] == [] and traject['strategie']['onderzoeksvragen'] == []
    assert [o for o in embedded['overleg'] if 'notulen' in o] == []
    assert {d['omschrijving'] for d in traject['diagnosen']} == (set() if kind == 'leersteunafspraken' else SEES[audience])


# Every letter variant of one case, and every case in Dutch: the attachment does not depend on the language (pdf.py
# attaches the same filtered case to each), so this covers every path a parents' PDF is made by, at a third of the
# rendering time of every case in every language.
PARENTS_PDFS = [(sorted(EXAMPLES)[0], language) for language in PARENTS_LANGUAGES] + \
    [(name, 'nl') for name in sorted(EXAMPLES)[1:]]


@pytest.mark.parametrize('name, language', PARENTS_PDFS)
def test_every_parents_pdf_embeds_only_what_parents_may_see(name, language):
    assert_only_shared(extract_case(_pdf(name, 'oudersamenvatting', language)), 'ouders')


@pytest.mark.parametrize('name, kind', [(name, kind) for name, doc in sorted(EXAMPLES.items())
                                        for kind in kinds_for(doc) if kind in SCHOOL_KINDS])
def test_every_school_pdf_embeds_only_what_the_school_may_see(name, kind):
    assert_only_shared(extract_case(_pdf(name, kind)), 'school', kind)


# ---------- Who may see which diagnosis ----------

AUDIENCES = ('clb', 'school', 'leersteuncentrum', 'ouders')
FLAG_VALUES = (True, False, None)  # None: the flag is left out, which must never mean "shared"


def _may_see(audience: str, school: bool | None, ouders: bool | None) -> bool:
    # The rule written out once more, independently: the CLB reads everything, the leersteuncentrum what the
    # school may, the parents what is shared with them.
    return {'clb': True, 'school': school is True, 'leersteuncentrum': school is True,
            'ouders': ouders is True}[audience]


TABLE = [(audience, school, ouders, _may_see(audience, school, ouders))
         for audience in AUDIENCES for school in FLAG_VALUES for ouders in FLAG_VALUES]


def _diagnose(school: bool | None, ouders: bool | None) -> dict:
    found = {'omschrijving': 'Diagnose', 'gesteld_door': 'dr. X', 'datum': '2025-12-01'}
    if school is not None:
        found['delen_met_school'] = school
    if ouders is not None:
        found['delen_met_ouders'] = ouders
    return found


def test_the_table_is_the_rule_of_the_domain():
    # A few rows spelled out, so the table above cannot drift from DOMAIN.md §6.3 unnoticed.
    assert ('leersteuncentrum', False, True, False) in TABLE
    assert ('leersteuncentrum', True, False, True) in TABLE
    assert ('ouders', True, False, False) in TABLE
    assert ('school', False, True, False) in TABLE
    assert ('clb', False, False, True) in TABLE
    assert sum(row[3] for row in TABLE) == 9 + 3 + 3 + 3


@pytest.mark.parametrize('audience, school, ouders, visible', TABLE)
def test_who_may_see_a_diagnosis(audience, school, ouders, visible):
    diagnose = _diagnose(school, ouders)
    assert may_see_diagnose(diagnose, audience) is visible
    doc = with_canaries(EXAMPLES[sorted(EXAMPLES)[0]])
    doc['traject']['diagnosen'] = [diagnose]
    # The context every template reads, and the case attached to the PDF, agree with the table.
    ctx = build_document_context(doc, 'verslag', audience=audience, today=TODAY)
    assert len(ctx['traject']['diagnosen']) == int(visible)
    assert len(shareable_case(doc, audience)['traject']['diagnosen']) == int(visible)
