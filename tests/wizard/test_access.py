"""Who may open which step: scopes per organisation, CLB-internal steps, read-only roles, login everywhere."""
import pytest

from tests.wizard.conftest import login
from tests.wizard.helpers import read_form, stored, step_url


@pytest.mark.parametrize('method, path', [
    ('get', '/cases/{id}/steps/aanmelding'), ('post', '/cases/{id}/steps/aanmelding'),
    ('get', '/cases/{id}/steps/nalezen'), ('get', '/cases/{id}/steps'), ('get', '/cases/{id}/preview/verslag'),
    ('get', '/cases/{id}/definitief'), ('post', '/cases/{id}/definitief'), ('post', '/cases/{id}/nieuwe-versie'),
])
def test_a_user_of_another_clb_gets_404(client, iac_case, create_user, organisation, method, path):
    organisation('clb', 'CLB Elders')
    create_user('pieter', role='clb-medewerker', organisation='CLB Elders')
    login(client, 'pieter')
    response = getattr(client, method)(path.format(id=iac_case.id), data={'action': 'volgende'})
    assert response.status_code == 404


@pytest.mark.parametrize('path', ['/cases/{id}/steps/intake', '/cases/{id}/steps/nalezen',
                                  '/cases/{id}/preview/verslag', '/samenwerkingen', '/samenwerkingen/nieuw',
                                  '/cases/nieuw', '/cases/{id}/definitief'])
def test_every_page_needs_a_login(client, iac_case, path):
    response = client.get(path.format(id=iac_case.id))
    assert response.status_code == 302 and '/login' in response.headers['Location']


def test_a_school_sees_only_the_steps_it_fills_in(client, iac_case, iac_doc, create_user):
    create_user('zorg', role='zorgcoordinator', organisation=iac_doc['school']['naam'])
    login(client, 'zorg')
    response = client.get(step_url(iac_case.id, 'aanmelding'))  # CLB-internal: consents, the referral
    assert response.status_code == 302 and response.headers['Location'] == step_url(iac_case.id, 'intake')
    for step in ('strategie', 'onderzoek', 'integratie'):
        assert client.get(step_url(iac_case.id, step)).headers['Location'] == step_url(iac_case.id, 'iac-plan')
    page = client.get(step_url(iac_case.id, 'intake')).get_data(as_text=True)
    assert '>Strategie<' not in page and 'Stap 1 van 4' in page  # intake, iac-plan, leersteun, nalezen
    review = client.get(step_url(iac_case.id, 'nalezen')).get_data(as_text=True)
    assert 'id="stap-strategie"' not in review and 'id="finalize"' not in review
    assert client.post('/cases/nieuw').status_code == 403
    assert 'id="new-case"' not in client.get('/').get_data(as_text=True)


def test_a_leersteuncentrum_reads_but_does_not_write(client, iac_case, iac_doc, create_user, session):
    from webapp.services import grants
    grants.grant(session, iac_case, actor='lotte')
    session.commit()
    create_user('lsc', role='leerondersteuner', organisation=iac_doc['leersteuncentrum']['naam'])
    login(client, 'lsc')
    url = step_url(iac_case.id, 'leersteun')
    page = client.get(url).get_data(as_text=True)
    assert 'id="read-only-notice"' in page and '<fieldset class="plain" disabled>' in page
    before = stored(session, iac_case.id)
    response = client.post(url, data={**read_form(page), 'leerondersteuner': 'Iemand anders', 'action': 'volgende'})
    assert response.status_code == 302
    assert stored(session, iac_case.id) == before


def test_a_clb_cannot_hand_its_case_to_another_clb(clb_client, new_case, session):
    url = step_url(new_case, 'aanmelding')
    data = read_form(clb_client.get(url).get_data(as_text=True))
    response = clb_client.post(url, data={**data, 'clb-naam': 'CLB Elders', 'clb-instellingsnummer': '',
                                          'action': 'bewaren'})
    assert response.status_code == 422
    assert 'id="clb-naam-error"' in response.get_data(as_text=True)
    assert stored(session, new_case)['clb']['naam'] == 'CLB Zennevallei'
