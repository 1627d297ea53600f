"""A case stored before the rules of December 2026 may combine what the regulations do not allow (here type 2 with
opleidingsvorm 3). It still opens and exports, the case list and `traject check` list it as needing attention, and
its documents wait for a correction instead of printing an impossible verslag."""
import copy
import json

import pytest

from tests.helpers import OWN_EXAMPLES, load_example
from tests.test_cli import traject
from webapp.caseformat import check
from webapp.services.cases import create_case as store_unchecked


IMPOSSIBLE = load_example(OWN_EXAMPLES / 'case-jonas-iac-ov2-type2.json')
IMPOSSIBLE['verslag']['opleidingsvorm'] = 'ov3'
IMPOSSIBLE['id'] = 'fictief-voor-december-2026'


@pytest.fixture
def stored_impossible(session):
    """Store the case as an older Traject did: without today's rules (the wizard's own save path)."""
    assert [p.path for p in check(IMPOSSIBLE)] == ['verslag.opleidingsvorm']
    case = store_unchecked(session, copy.deepcopy(IMPOSSIBLE), actor='test')
    session.commit()
    return case.id


def test_the_case_list_marks_it_and_the_case_page_says_why(logged_in, stored_impossible):
    listing = logged_in.get('/').get_data(as_text=True)
    assert f'id="attention-{stored_impossible}"' in listing and 'aandacht nodig' in listing
    page = logged_in.get(f'/cases/{stored_impossible}')
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'id="attention"' in text
    assert 'verslag.opleidingsvorm: ov3 kan niet met type 2' in text


def test_it_still_exports_unchanged(logged_in, stored_impossible):
    response = logged_in.get(f'/cases/{stored_impossible}/export.json')
    assert response.status_code == 200
    assert response.get_json()['verslag']['opleidingsvorm'] == 'ov3'


def test_its_documents_wait_for_a_correction(logged_in, stored_impossible):
    response = logged_in.get(f'/cases/{stored_impossible}/documents/verslag.pdf')
    assert response.status_code == 302
    page = logged_in.get(response.headers['Location']).get_data(as_text=True)
    assert 'Dit document kan nog niet gemaakt worden: het dossier heeft problemen.' in page


def test_a_valid_case_is_not_marked(logged_in, create_case):
    case = create_case(load_example(OWN_EXAMPLES / 'case-jonas-iac-ov2-type2.json'))
    assert f'id="attention-{case.id}"' not in logged_in.get('/').get_data(as_text=True)
    assert 'id="attention"' not in logged_in.get(f'/cases/{case.id}').get_data(as_text=True)


def test_traject_check_lists_stored_cases_needing_attention(tmp_path, database_url, stored_impossible):
    result = traject('check', db_url=database_url, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert f'dossier {stored_impossible} (Jonas Verbeke): aandacht nodig' in result.stdout
    assert 'verslag.opleidingsvorm: ov3 kan niet met type 2' in result.stdout
    assert '1 van 1 dossiers hebben aandacht nodig.' in result.stdout


def test_traject_check_prints_warnings_with_exit_code_0(tmp_path, database_url):
    path = OWN_EXAMPLES / 'case-lars-iac-type2-lager.json'
    result = traject('check', str(path), db_url=database_url, cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert 'geldig' in result.stdout
    assert 'iac_plan.studiebekrachtiging: hoort bij het secundair onderwijs' in result.stdout
