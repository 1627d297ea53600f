"""Who may see which diagnosis: every audience against every combination of `delen_met_school` and
`delen_met_ouders`, in the context every template reads and in the case attached to a PDF (DOMAIN.md §6.3).
"""
import copy
from datetime import date

import pytest

from tests.helpers import example_cases
from webapp.documents.context import build_document_context, may_see_diagnose, shareable_case


TODAY = date(2026, 3, 20)
EXAMPLES = example_cases()

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
    doc = copy.deepcopy(EXAMPLES[sorted(EXAMPLES)[0]])
    doc['traject']['diagnosen'] = [diagnose]
    # The context every template reads, and the case attached to the PDF, agree with the table.
    ctx = build_document_context(doc, 'verslag', audience=audience, today=TODAY)
    assert len(ctx['traject']['diagnosen']) == int(visible)
    assert len(shareable_case(doc, audience)['traject']['diagnosen']) == int(visible)
