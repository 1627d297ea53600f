"""The samenwerkingsafspraken: their list and a short wizard of three steps."""
from sqlalchemy import select

from tests.wizard.conftest import login
from tests.wizard.helpers import fetch, read_form
from webapp.models import Samenwerking


PARTIJEN = {'schooljaar': '2026-2027', 'school-naam': 'Basisschool De Linde', 'school-soort': 'gewoon',
            'leersteuncentrum-naam': 'Leersteuncentrum Kempen'}
AFSPRAKEN = {key: f'Afspraak over {key}.' for key in (
    'procedure_leersteunvraag', 'toegang_verslag', 'vormen_van_leersteun', 'communicatie_ouders', 'gegevensdeling',
    'klachten', 'evaluatie_afspraken')}
CONTACTEN = {'contactpersonen-0-naam': 'Lotte Hermans', 'contactpersonen-0-rol': 'CLB-medewerker',
             'contactpersonen-0-organisatie': 'CLB Zennevallei', 'contactpersonen-0-email': 'lotte@clb.example',
             'contactpersonen-0-telefoon': '02 252 16 80',
             'overlegmomenten-0-wat': 'Zorgoverleg', 'overlegmomenten-0-wanneer': 'maandelijks',
             'overlegmomenten-0-wie': 'school, CLB en LSC',
             'ondertekening-0-naam': 'Kris Vandevelde', 'ondertekening-0-functie': 'directeur',
             'ondertekening-0-organisatie': 'Basisschool De Linde'}


def _fill(client, url, changes, action='volgende'):
    data = read_form(client.get(url).get_data(as_text=True))
    for name in changes:
        list_name = name.split('-')[0]
        if name not in data and name[len(list_name) + 1:].split('-')[0].isdigit():
            data = read_form(client.post(url, data={**data, 'action': f'add:{list_name}'}).get_data(as_text=True))
    return client.post(url, data={**data, **changes, 'action': action})


def test_a_new_samenwerking_in_three_steps(clb_client, session):
    assert 'id="new-samenwerking"' in clb_client.get('/samenwerkingen').get_data(as_text=True)
    page = clb_client.get('/samenwerkingen/nieuw').get_data(as_text=True)
    assert read_form(page)['clb-naam'] == 'CLB Zennevallei'  # the user's own organisation, filled in

    response = _fill(clb_client, '/samenwerkingen/nieuw', {**PARTIJEN, 'schooljaar': '2026-2028'})
    assert response.status_code == 422 and 'twee opeenvolgende jaren' in response.get_data(as_text=True)
    response = _fill(clb_client, '/samenwerkingen/nieuw', PARTIJEN, action='bewaren')
    assert response.status_code == 302
    item = fetch(session, select(Samenwerking))
    assert item.schooljaar == '2026-2027'

    url = f'/samenwerkingen/{item.id}/steps/afspraken'
    response = _fill(clb_client, f'/samenwerkingen/{item.id}/steps/partijen', {})
    assert response.headers['Location'] == url
    assert _fill(clb_client, url, AFSPRAKEN).headers['Location'] == f'/samenwerkingen/{item.id}/steps/contacten'
    response = _fill(clb_client, f'/samenwerkingen/{item.id}/steps/contacten', CONTACTEN)
    assert response.headers['Location'] == f'/samenwerkingen/{item.id}'

    doc = fetch(session, select(Samenwerking)).data
    assert doc['formaat'] == 'traject-samenwerking/1' and doc['contactpersonen'][0]['naam'] == 'Lotte Hermans'
    page = clb_client.get(f'/samenwerkingen/{item.id}').get_data(as_text=True)
    assert 'Nog aan te vullen' not in page
    assert clb_client.get(f'/samenwerkingen/{item.id}/documents/samenwerkingsafspraken.pdf').data.startswith(b'%PDF')
    assert 'Basisschool De Linde' in clb_client.get('/samenwerkingen').get_data(as_text=True)
    assert clb_client.get(f'/samenwerkingen/{item.id}/preview').status_code == 200


def test_an_incomplete_samenwerking_lists_what_it_misses(clb_client, session):
    _fill(clb_client, '/samenwerkingen/nieuw', PARTIJEN, action='bewaren')
    item = fetch(session, select(Samenwerking))
    page = clb_client.get(f'/samenwerkingen/{item.id}').get_data(as_text=True)
    assert 'Nog aan te vullen' in page
    assert f'/samenwerkingen/{item.id}/steps/afspraken#klachten' in page


def test_the_first_step_must_be_complete_to_create(clb_client, session):
    response = _fill(clb_client, '/samenwerkingen/nieuw', {'schooljaar': '2026-2027'}, action='bewaren')
    assert response.status_code == 422
    assert fetch(session, select(Samenwerking)) is None


def test_another_organisation_cannot_open_it(client, clb_client, session, create_user, organisation):
    _fill(clb_client, '/samenwerkingen/nieuw', PARTIJEN, action='bewaren')
    item = fetch(session, select(Samenwerking))
    clb_client.post('/logout')
    organisation('clb', 'CLB Elders')
    create_user('pieter', role='clb-medewerker', organisation='CLB Elders')
    login(client, 'pieter')
    assert client.get(f'/samenwerkingen/{item.id}/steps/afspraken').status_code == 404
    assert 'Basisschool De Linde' not in client.get('/samenwerkingen').get_data(as_text=True)


def test_a_school_cannot_make_an_agreement_without_itself(client, create_user, organisation, session):
    organisation('school', 'Basisschool Eigen')
    create_user('zorg', role='zorgcoordinator', organisation='Basisschool Eigen')
    login(client, 'zorg')
    page = client.get('/samenwerkingen/nieuw').get_data(as_text=True)
    assert read_form(page)['school-naam'] == 'Basisschool Eigen'
    response = _fill(client, '/samenwerkingen/nieuw', {**PARTIJEN, 'clb-naam': 'CLB X'}, action='bewaren')
    assert response.status_code == 422
    assert 'id="school-naam-error"' in response.get_data(as_text=True)
    assert 'action="/samenwerkingen/nieuw"' in response.get_data(as_text=True)  # still the new form
    assert fetch(session, select(Samenwerking)) is None
