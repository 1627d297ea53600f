"""The wizard fields the parents' letter reads: the pupil's gender and a diagnosis explained for parents."""
from tests.wizard.helpers import stored, step_url, submit


def test_gender_is_stored_and_can_be_left_empty(clb_client, iac_case, session):
    url = step_url(iac_case.id, 'aanmelding')
    page = clb_client.get(url).get_data(as_text=True)
    assert 'name="leerling-geslacht"' in page and 'Zonder keuze gebruiken de documenten de voornaam.' in page
    assert submit(clb_client, url, {'leerling-geslacht': 'meisje'}, action='bewaren').status_code == 302
    assert stored(session, iac_case.id)['leerling']['geslacht'] == 'meisje'
    assert submit(clb_client, url, {'leerling-geslacht': ''}, action='bewaren').status_code == 302
    assert 'geslacht' not in stored(session, iac_case.id)['leerling']
    response = submit(clb_client, url, {'leerling-geslacht': 'vrouw'}, action='bewaren')
    assert response.status_code == 422 and 'Kies een waarde uit de lijst.' in response.get_data(as_text=True)


def test_a_diagnosis_gets_an_explanation_for_parents(clb_client, iac_case, session):
    url = step_url(iac_case.id, 'integratie')
    page = clb_client.get(url).get_data(as_text=True)
    assert 'name="diagnosen-0-uitleg_voor_ouders"' in page
    uitleg = 'Leren gaat trager dan bij leeftijdsgenoten. Herhalen helpt.'
    assert submit(clb_client, url, {'diagnosen-0-uitleg_voor_ouders': uitleg}, action='bewaren').status_code == 302
    assert stored(session, iac_case.id)['traject']['diagnosen'][0]['uitleg_voor_ouders'] == uitleg
