"""The web app without the wizard: login, the case list, scoping per organisation, upload import, downloads."""
import io
import json

import pytest
from sqlalchemy import func, select

from tests.conftest import PASSWORD
from tests.helpers import example_cases, example_files, load_example
from webapp import create_app
from webapp.config import ConfigError
from webapp.models import Case


CASES = example_cases()


def of_clb(docs, clb: dict) -> list[dict]:
    """Return copies of `docs` that belong to `clb` (the logged-in worker's CLB sees only its own cases)."""
    return [{**json.loads(json.dumps(doc)), 'clb': clb} for doc in docs]


def login(client, username):
    return client.post('/login', data={'username': username, 'password': PASSWORD})


def test_every_page_needs_a_login(client):
    for url in ('/', '/cases/1', '/cases/1/export.json', '/cases/1/documents/verslag.pdf'):
        response = client.get(url)
        assert response.status_code == 302
        assert '/login' in response.headers['Location']


def test_wrong_password_is_refused_in_dutch(client, create_user):
    create_user()
    response = client.post('/login', data={'username': 'medewerker', 'password': 'fout'})
    assert response.status_code == 200
    assert 'Gebruikersnaam of wachtwoord is niet juist.' in response.get_data(as_text=True)


def test_login_does_not_redirect_off_site(client, create_user):
    create_user()
    response = client.post('/login?next=//evil.example/x', data={'username': 'medewerker', 'password': PASSWORD})
    assert response.headers['Location'] == '/'


def test_case_list_shows_the_imported_cases(logged_in, create_case, dummy_case):
    docs = of_clb(CASES.values(), dummy_case['clb'])
    for doc in docs:
        create_case(doc)
    page = logged_in.get('/').get_data(as_text=True)
    for doc in docs:
        assert doc['leerling']['voornaam'] in page
        assert doc['school']['naam'] in page


def test_search_and_filters(logged_in, create_case, dummy_case):
    docs = of_clb(CASES.values(), dummy_case['clb'])
    for doc in docs:
        create_case(doc)
    first, other = docs[0], docs[1]
    page = logged_in.get('/?q=' + first['leerling']['achternaam'].lower()).get_data(as_text=True)
    assert first['leerling']['voornaam'] in page and other['leerling']['voornaam'] not in page
    soort = first['verslag']['soort']
    page = logged_in.get(f'/?verslag={soort}').get_data(as_text=True)
    for doc in docs:
        assert (doc['leerling']['voornaam'] in page) == ((doc.get('verslag') or {}).get('soort') == soort)


def test_a_long_case_list_comes_in_pages_that_keep_the_filters(logged_in, session, dummy_case):
    import copy
    import re
    from webapp.services.cases import import_document
    ids = []
    for number in range(53):
        ids.append(import_document(session, {**copy.deepcopy(dummy_case), 'id': f'pagina-{number}'}).id)
    session.commit()
    rows = re.compile(r'<th scope="row"><a href="/cases/(\d+)"')
    soort = dummy_case['verslag']['soort']
    first = logged_in.get(f'/?verslag={soort}').get_data(as_text=True)
    assert 'Dossiers 1 tot 50 van 53' in first and 'Pagina 1 van 2' in first
    assert len(rows.findall(first)) == 50 and 'Vorige pagina' not in first
    next_url = re.search(r'<a rel="next" href="([^"]+)"', first).group(1).replace('&amp;', '&')
    assert f'verslag={soort}' in next_url and 'pagina=2' in next_url
    second = logged_in.get(next_url).get_data(as_text=True)
    assert 'Dossiers 51 tot 53 van 53' in second and 'Volgende pagina' not in second
    # Each case on one page only: the pages together hold all 53.
    assert sorted(int(i) for i in rows.findall(first) + rows.findall(second)) == sorted(ids)
    # A page number past the end, or no number at all, shows a real page instead of an error.
    assert 'Dossiers 51 tot 53 van 53' in logged_in.get('/?pagina=99').get_data(as_text=True)
    assert logged_in.get('/?pagina=abc').status_code == 200


@pytest.mark.parametrize('role, sees_own, sees_other', [
    ('clb-medewerker', True, False),
    ('zorgcoordinator', True, False),
])
def test_users_see_only_their_organisations_cases(client, create_case, create_user, role, sees_own, sees_other):
    docs = list(CASES.values())
    own = next(d for d in docs if d.get('leersteuncentrum'))
    other = next(d for d in docs if d['clb']['naam'] != own['clb']['naam'] and d['school']['naam'] != own['school']['naam'])
    own_case, other_case = create_case(own), create_case(other)
    organisation = {'clb-medewerker': own['clb']['naam'], 'zorgcoordinator': own['school']['naam']}[role]
    create_user('iemand', role=role, organisation=organisation)
    login(client, 'iemand')
    page = client.get('/').get_data(as_text=True)
    assert (own['leerling']['voornaam'] in page) is sees_own
    assert (other['leerling']['voornaam'] in page) is sees_other
    assert client.get(f'/cases/{other_case.id}').status_code == (200 if sees_other else 404)
    assert client.get(f'/cases/{other_case.id}/export.json').status_code == (200 if sees_other else 404)
    assert client.get(f'/cases/{own_case.id}').status_code == 200


def test_upload_import_of_invalid_file_lists_problems_and_stores_nothing(logged_in, session):
    doc = next(iter(CASES.values()))
    doc = json.loads(json.dumps(doc))
    doc['verslag']['type'] = 'type-99'
    doc['leerling']['voornaam'] = 'x' * 20000
    response = logged_in.post('/import', data={'file': (io.BytesIO(json.dumps(doc).encode()), 'case.json')},
                              content_type='multipart/form-data')
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    # Labels for people, as the wizard names the fields; the JSON paths are for the command line.
    assert 'Besluit (verslag)' not in text and 'Type</strong>' in text and 'Leerling – Voornaam</strong>' in text
    assert '<code class="json-path">verslag.type</code>' in text  # the path after the label, for the file's author
    assert session.scalar(select(func.count()).select_from(Case)) == 0


def test_upload_import_then_duplicate(logged_in, session, dummy_case):
    body = json.dumps(dummy_case).encode()
    upload = lambda: logged_in.post('/import', data={'file': (io.BytesIO(body), 'case.json')},  # noqa
                                    content_type='multipart/form-data')
    first = upload()
    assert first.status_code == 302 and '/cases/' in first.headers['Location']
    second = upload()
    assert second.status_code == 302
    assert 'staat al in Traject' in logged_in.get('/').get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(Case)) == 1


def test_export_json_is_the_imported_document(logged_in, create_case, dummy_case):
    doc = dummy_case
    case = create_case(doc)
    response = logged_in.get(f'/cases/{case.id}/export.json')
    assert response.status_code == 200
    assert response.get_json() == doc


def test_unknown_pages_are_friendly_404s(logged_in):
    response = logged_in.get('/cases/999999')
    assert response.status_code == 404
    assert 'Traceback' not in response.get_data(as_text=True)
    assert 'bestaat niet' in response.get_data(as_text=True)


def test_production_refuses_to_start_without_secret_key(tmp_path, monkeypatch):
    monkeypatch.setenv('TRAJECT_INSTANCE', str(tmp_path))
    monkeypatch.delenv('SECRET_KEY', raising=False)
    monkeypatch.setenv('DATABASE_URL', f'sqlite:///{tmp_path}/x.db')
    with pytest.raises(ConfigError):
        create_app()
    (tmp_path / 'secret_key').write_text('a' * 64)
    assert create_app().config['SECRET_KEY'] == 'a' * 64


def test_forms_carry_a_csrf_token(database_url, tmp_path):
    app = create_app({'TESTING': True, 'DATABASE_URL': database_url, 'SECRET_KEY': 'test'})
    client = app.test_client()
    assert 'name="csrf_token"' in client.get('/login').get_data(as_text=True)
    response = client.post('/login', data={'username': 'x', 'password': 'y'})
    assert response.status_code == 400
    assert 'Sessie verlopen' in response.get_data(as_text=True) or 'formulier' in response.get_data(as_text=True)
