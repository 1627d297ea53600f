"""The step registry: steps that do not apply are skipped both ways; unknown steps and ids are 404s."""
import pytest

from tests.wizard.helpers import step_url, submit
from webapp.wizard.steps import CASE_FLOW


BASE = {'formaat': 'traject-case/1', 'traject': {'strategie': {'onderzoek_nodig': False}}}


@pytest.mark.parametrize('doc, current, following, previous', [
    (BASE, 'strategie', 'integratie', 'intake'),
    (BASE, 'integratie', 'advies', 'strategie'),
    ({**BASE, 'traject': {'strategie': {'onderzoek_nodig': True}}}, 'strategie', 'onderzoek', 'intake'),
    ({**BASE, 'traject': {'strategie': {'onderzoek_nodig': True}}}, 'integratie', 'advies', 'onderzoek'),
    ({**BASE, 'verslag': {'soort': 'gc'}}, 'besluit', 'ouders', 'advies'),
    ({**BASE, 'verslag': {'soort': 'gc'}}, 'ouders', 'nalezen', 'besluit'),
    ({**BASE, 'verslag': {'soort': 'iac'}}, 'besluit', 'iac-plan', 'advies'),
    ({**BASE, 'verslag': {'soort': 'iac'}}, 'ouders', 'nalezen', 'iac-plan'),
    ({**BASE, 'verslag': {'soort': 'iac'}, 'leersteuncentrum': {'naam': 'LSC'}}, 'iac-plan', 'leersteun', 'besluit'),
    ({**BASE, 'verslag': {'soort': 'gc'}, 'leersteuncentrum': {'naam': 'LSC'}}, 'ouders', 'nalezen', 'leersteun'),
    ({**BASE, 'leersteuncentrum': {'naam': 'LSC'}}, 'besluit', 'ouders', 'advies'),  # leersteun needs a verslag
])
def test_next_and_previous_skip_steps_that_do_not_apply(doc, current, following, previous):
    assert CASE_FLOW.next_step(current, doc) == following
    assert CASE_FLOW.prev_step(current, doc) == previous


def test_first_and_last_step():
    assert CASE_FLOW.prev_step('aanmelding', BASE) is None
    assert CASE_FLOW.next_step('nalezen', BASE) is None


def test_every_problem_path_has_a_step():
    for path, step in [(['leerling', 'voornaam'], 'aanmelding'), (['traject', 'aanleiding'], 'aanmelding'),
                       (['traject', 'hulpvragen', 0, 'vraag'], 'intake'), (['traject', 'strategie'], 'strategie'),
                       (['traject', 'behoeften'], 'integratie'), (['overleg'], 'advies'), (['verslag'], 'besluit'),
                       (['iac_plan', 'doelen', 0, 'evaluaties', 1, 'datum'], 'iac-plan'),
                       (['leersteun'], 'leersteun'), (['oudersamenvatting', 'talen', 0], 'ouders'),
                       (['traject'], 'aanmelding'), ([], 'aanmelding')]:
        assert CASE_FLOW.step_for_path(path)[0].name == step, path


def test_saving_strategie_without_onderzoek_skips_onderzoek(clb_client, iac_case, session):
    # The example case has onderzoek; once it is emptied, "nee" skips the onderzoek step both ways.
    url = step_url(iac_case.id, 'onderzoek')
    page = clb_client.get(url).get_data(as_text=True)
    rows = page.count('value="remove:onderzoek-')
    for _ in range(rows):
        assert submit(clb_client, url, action='remove:onderzoek-0').status_code == 200
        response = submit(clb_client, url, action='bewaren')
        assert response.status_code == 302
    response = submit(clb_client, step_url(iac_case.id, 'strategie'), {'onderzoek_nodig': 'nee'})
    assert response.headers['Location'] == step_url(iac_case.id, 'integratie')
    response = submit(clb_client, step_url(iac_case.id, 'integratie'), action='vorige')
    assert response.headers['Location'] == step_url(iac_case.id, 'strategie')
    # Asked for directly, a step that does not apply sends the user on to the nearest one that does.
    response = clb_client.get(step_url(iac_case.id, 'onderzoek'))
    assert response.status_code == 302 and response.headers['Location'] == step_url(iac_case.id, 'integratie')


def test_strategie_cannot_drop_onderzoek_that_has_results(clb_client, iac_case):
    response = submit(clb_client, step_url(iac_case.id, 'strategie'), {'onderzoek_nodig': 'nee'})
    assert response.status_code == 422
    assert 'Maak de stap Onderzoek eerst leeg' in response.get_data(as_text=True)


@pytest.mark.parametrize('url', ['/cases/{id}/steps/bestaat-niet', '/cases/999999/steps/aanmelding',
                                 '/cases/abc/steps/aanmelding', '/cases/{id}/preview/bestaat-niet',
                                 '/cases/999999/preview/verslag'])
def test_unknown_steps_and_ids_are_404(clb_client, new_case, url):
    response = clb_client.get(url.format(id=new_case))
    assert response.status_code == 404
    assert 'bestaat niet' in response.get_data(as_text=True)


def test_odd_buttons_never_fail(clb_client, new_case):
    url = step_url(new_case, 'intake')
    for action in ('remove:hulpvragen-7', 'up:hulpvragen-0', 'down:hulpvragen-0', 'remove:x-abc', 'add:bestaat_niet',
                   'vliegen'):
        assert submit(clb_client, url, action=action).status_code in (200, 302, 422), action
    assert clb_client.post(step_url(new_case, 'nalezen')).status_code == 405
