"""A case stored before the rules of December 2026 may combine what the regulations do not allow (here type
basisaanbod in kleuteronderwijs). It still opens and exports, the case list and `traject check` list it as needing
attention, and its documents wait for a correction instead of printing an impossible verslag."""
import copy
import json

import pytest

from tests.helpers import OWN_EXAMPLES, load_example
from tests.test_cli import traject
from webapp.caseformat import check
from webapp.services.cases import create_case as store_unchecked


MESSAGE = 'verslag.type: type basisaanbod wordt niet gegeven in het kleuteronderwijs'


@pytest.fixture
def impossible(dummy_case) -> dict:
    """Return the dummy case (of the logged-in worker's CLB) as a kleuter IAC-verslag of type basisaanbod."""
    doc = copy.deepcopy(dummy_case)
    doc['id'] = 'fictief-voor-december-2026'
    doc['leerling'].update(onderwijsniveau='kleuter', leerjaar='3de kleuterklas')
    doc['leerling'].pop('studierichting', None)
    doc['verslag'].update(type='basisaanbod')
    doc['verslag'].pop('opleidingsvorm', None)
    assert [str(p) for p in check(doc)] == [MESSAGE]
    return doc


@pytest.fixture
def stored_impossible(session, impossible):
    """Store the case as an older Traject did: without today's rules (the wizard's own save path)."""
    case = store_unchecked(session, copy.deepcopy(impossible), actor='test')
    session.commit()
    return case.id


def test_the_case_list_marks_it_and_the_case_page_says_why(logged_in, stored_impossible):
    listing = logged_in.get('/').get_data(as_text=True)
    assert f'id="attention-{stored_impossible}"' in listing and 'aandacht nodig' in listing
    page = logged_in.get(f'/cases/{stored_impossible}')
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'id="attention"' in text
    assert MESSAGE in text


def test_it_still_exports_unchanged(logged_in, stored_impossible):
    response = logged_in.get(f'/cases/{stored_impossible}/export.json')
    assert response.status_code == 200
    assert response.get_json()['leerling']['onderwijsniveau'] == 'kleuter'
    assert response.get_json()['verslag']['type'] == 'basisaanbod'


def test_its_documents_wait_for_a_correction(logged_in, stored_impossible):
    response = logged_in.get(f'/cases/{stored_impossible}/documents/verslag.pdf')
    assert response.status_code == 302
    page = logged_in.get(response.headers['Location']).get_data(as_text=True)
    assert 'Dit document kan nog niet gemaakt worden: het dossier heeft problemen.' in page


def test_a_valid_case_is_not_marked(logged_in, create_case, dummy_case):
    case = create_case(dummy_case)
    assert f'id="attention-{case.id}"' not in logged_in.get('/').get_data(as_text=True)
    assert 'id="attention"' not in logged_in.get(f'/cases/{case.id}').get_data(as_text=True)


def test_traject_check_lists_stored_cases_needing_attention(tmp_path, database_url, stored_impossible, impossible):
    result = traject('check', db_url=database_url, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    name = f"{impossible['leerling']['voornaam']} {impossible['leerling']['achternaam']}"
    assert f'dossier {stored_impossible} ({name}): aandacht nodig' in result.stdout
    assert MESSAGE in result.stdout
    assert '1 van 1 dossiers hebben aandacht nodig.' in result.stdout


def test_traject_check_prints_warnings_with_exit_code_0(tmp_path, database_url):
    path = OWN_EXAMPLES / 'case-lars-iac-type2-lager.json'
    result = traject('check', str(path), db_url=database_url, cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert 'geldig' in result.stdout
    assert 'iac_plan.studiebekrachtiging: hoort bij het secundair onderwijs' in result.stdout
