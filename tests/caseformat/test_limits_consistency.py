"""Which verslag goes with which IAC plan and opleidingsvorm: each soort against each rule, both ways.

test_validate.py refuses an IAC plan beside a GC verslag; an OV4 verslag with an IAC plan, or an IAC verslag in
secondary with opleidingsvorm 'ov4', would pass it. Here every soort and every opleidingsvorm is tried.
"""
import copy
import json
from pathlib import Path

import pytest

from webapp.caseformat import check


DATA = Path(__file__).resolve().parents[1] / 'data'
IAC = json.loads((DATA / 'case-jonas-iac-ov2-type2.json').read_text(encoding='utf-8'))  # secondary, ov2, with a plan


def _variant(soort: str, opleidingsvorm: str | None, plan: bool) -> dict:
    doc = copy.deepcopy(IAC)
    doc['verslag'].update(soort=soort, type='3', opleidingsvorm=opleidingsvorm, motivering_disproportioneel='Nodig.')
    if not plan:
        doc.pop('iac_plan')
    return doc


@pytest.mark.parametrize('soort, opleidingsvorm, plan_allowed', [
    ('iac', 'ov2', True),
    ('ov4', 'ov4', False),
    ('gc', None, False),
])
def test_an_iac_plan_goes_only_with_an_iac_verslag(soort, opleidingsvorm, plan_allowed):
    assert check(_variant(soort, opleidingsvorm, plan=False)) == []
    problems = check(_variant(soort, opleidingsvorm, plan=True))
    if plan_allowed:
        assert problems == []
    else:
        assert [(p.path, p.message) for p in problems] == [
            ('iac_plan', "een IAC-plan kan enkel bij een IAC-verslag (verslag.soort 'iac')")]


def test_an_iac_plan_without_any_verslag_is_refused():
    doc = copy.deepcopy(IAC)
    for key in ('verslag', 'leersteun'):
        doc.pop(key)
    assert [p.path for p in check(doc)] == ['iac_plan']


IAC_MESSAGE = "een IAC-verslag in het secundair onderwijs heeft opleidingsvorm 'ov1', 'ov2' of 'ov3' nodig"
OV4_MESSAGE = "een OV4-verslag heeft opleidingsvorm 'ov4' nodig"


@pytest.mark.parametrize('soort, opleidingsvorm, message', [
    ('iac', 'ov1', None),
    ('iac', 'ov2', None),
    ('iac', 'ov3', None),
    ('iac', 'ov4', IAC_MESSAGE),
    ('iac', None, IAC_MESSAGE),
    ('ov4', 'ov4', None),
    ('ov4', 'ov1', OV4_MESSAGE),
    ('ov4', 'ov2', OV4_MESSAGE),
    ('ov4', 'ov3', OV4_MESSAGE),
    ('ov4', None, OV4_MESSAGE),
])
def test_opleidingsvorm_in_secondary_follows_the_soort(soort, opleidingsvorm, message):
    problems = check(_variant(soort, opleidingsvorm, plan=False))
    assert [(p.path, p.message) for p in problems] == ([('verslag.opleidingsvorm', message)] if message else [])


@pytest.mark.parametrize('soort, opleidingsvorm, required', [('iac', 'ov2', True), ('ov4', 'ov4', True),
                                                             ('gc', None, False)])
def test_motivering_disproportioneel_is_required_for_iac_and_ov4(soort, opleidingsvorm, required):
    doc = _variant(soort, opleidingsvorm, plan=False)
    del doc['verslag']['motivering_disproportioneel']
    assert [p.path for p in check(doc)] == (['verslag.motivering_disproportioneel'] if required else [])


@pytest.mark.parametrize('soort, opleidingsvorm', [('gc', None), ('ov4', 'ov4'), ('iac', 'ov2')])
def test_basisaanbod_goes_only_with_an_iac_verslag(soort, opleidingsvorm):
    doc = _variant(soort, opleidingsvorm, plan=False)
    doc['verslag']['type'] = 'basisaanbod'
    doc['verslag']['opleidingsvorm'] = 'ov3' if soort == 'iac' else opleidingsvorm  # ov3 offers basisaanbod
    paths = [p.path for p in check(doc)]
    assert ('verslag.type' in paths) is (soort != 'iac')
