"""Drafts: typed text survives a failed check, an expired session, a logout and a stale CSRF token."""
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD
from tests.wizard.helpers import fetch, read_form, stored, step_url
from webapp import create_app, db
from webapp.db import Base
from webapp.models import Draft


def test_a_failed_check_leaves_a_draft_that_the_step_shows_again(clb_client, new_case, session):
    url = step_url(new_case, 'intake')
    data = {**read_form(clb_client.get(url).get_data(as_text=True)), 'voorgeschiedenis': 'Niet verloren'}
    assert clb_client.post(url, data={**data, 'action': 'volgende'}).status_code == 422
    page = clb_client.get(url).get_data(as_text=True)
    assert 'id="draft-notice"' in page
    assert read_form(page)['voorgeschiedenis'] == 'Niet verloren'
    clb_client.post(url, data={'action': 'verwerpen'})
    page = clb_client.get(url).get_data(as_text=True)
    assert 'id="draft-notice"' not in page and read_form(page)['voorgeschiedenis'] == ''


def test_the_autosave_keeps_a_draft(clb_client, new_case, session):
    url = step_url(new_case, 'intake')
    data = {**read_form(clb_client.get(url).get_data(as_text=True)), 'voorgeschiedenis': 'Halverwege'}
    assert clb_client.post(url, data={**data, 'action': 'concept'}).status_code == 204
    draft = fetch(session, select(Draft).where(Draft.case_id == new_case))
    assert ['voorgeschiedenis', 'Halverwege'] in draft.data
    assert not any(name == 'csrf_token' for name, _value in draft.data)
    assert stored(session, new_case)['traject'] == {}  # a draft is not a save


def _resume_after_login(client, response, username):
    """Follow the login page a POST with an expired session was sent to, logging in as `username`."""
    assert response.status_code == 302
    login_url = response.headers['Location']
    assert login_url.startswith('/login?next=')
    next_url = parse_qs(urlsplit(login_url).query)['next'][0]
    assert 'concept=' in next_url
    response = client.post(login_url, data={'username': username, 'password': PASSWORD})
    assert response.headers['Location'] == next_url
    return client.get(next_url)


def test_text_typed_before_a_logout_is_restored_after_logging_in(clb_client, new_case, session):
    url = step_url(new_case, 'intake')
    data = {**read_form(clb_client.get(url).get_data(as_text=True)), 'voorgeschiedenis': 'Een uur lang getypt'}
    clb_client.post('/logout')  # or the session cookie expired, or another tab logged out

    response = clb_client.post(url, data={**data, 'action': 'volgende'})
    assert stored(session, new_case)['traject'] == {}
    assert fetch(session, select(Draft).where(Draft.case_id == new_case)).user_id is None

    claimed = _resume_after_login(clb_client, response, 'lotte')
    assert claimed.status_code == 302 and claimed.headers['Location'] == url
    page = clb_client.get(url).get_data(as_text=True)
    assert 'Een uur lang getypt' in page and 'teruggezet' in page
    assert read_form(page)['voorgeschiedenis'] == 'Een uur lang getypt'
    assert clb_client.post(url, data={**read_form(page), 'action': 'bewaren'}).status_code == 302
    assert stored(session, new_case)['traject']['voorgeschiedenis'] == 'Een uur lang getypt'


def test_a_stashed_draft_only_goes_to_someone_who_may_see_the_case(client, clb_client, new_case, session,
                                                                   create_user, organisation):
    url = step_url(new_case, 'intake')
    data = {**read_form(clb_client.get(url).get_data(as_text=True)), 'voorgeschiedenis': 'Vertrouwelijk'}
    clb_client.post('/logout')
    response = clb_client.post(url, data={**data, 'action': 'volgende'})
    organisation('clb', 'CLB Elders')
    create_user('pieter', role='clb', organisation='CLB Elders')
    assert _resume_after_login(clb_client, response, 'pieter').status_code == 404
    draft = fetch(session, select(Draft).where(Draft.case_id == new_case))
    assert draft.user_id is None and draft.token  # still waiting for its author


def test_an_unknown_case_stashes_nothing(client, session):
    response = client.post('/cases/424242/steps/intake', data={'voorgeschiedenis': 'x', 'action': 'volgende'})
    assert response.status_code == 302 and '/login' in response.headers['Location']
    assert fetch(session, select(Draft)) is None


@pytest.fixture
def csrf_client(database_url, tmp_path):
    """Return a client of an app with CSRF protection on, as in production."""
    app = create_app({'TESTING': True, 'DATABASE_URL': database_url, 'SECRET_KEY': 'csrf-test'})
    app.instance_path = str(tmp_path / 'instance')
    yield app.test_client()
    with db.get_engine(app).begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())
    db.get_engine(app).dispose()


def test_a_post_without_csrf_token_is_refused_kindly_and_the_text_is_kept(csrf_client, create_user, organisation,
                                                                         session):
    organisation('clb', 'CLB Zennevallei', '131442')
    create_user('lotte', role='clb', organisation='CLB Zennevallei')
    login_page = csrf_client.get('/login').get_data(as_text=True)
    logged_in = csrf_client.post('/login', data={'username': 'lotte', 'password': PASSWORD,
                                                 'csrf_token': _csrf(login_page)})
    assert logged_in.status_code == 302
    step_1 = read_form(csrf_client.get('/cases/nieuw').get_data(as_text=True))
    new = csrf_client.post('/cases/nieuw', data={**step_1, 'action': 'bewaren'})  # creates the case
    assert new.status_code == 302, new.get_data(as_text=True)[:300]
    url = new.headers['Location'] + '/steps/aanmelding'
    data = read_form(csrf_client.get(url).get_data(as_text=True))
    assert data.pop('csrf_token')
    data['leerling-voornaam'] = 'Typed before the token went stale'

    response = csrf_client.post(url, data={**data, 'action': 'volgende'})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'Traceback' not in page and 'Wat u typte, is wel bewaard' in page
    draft = fetch(session, select(Draft).where(Draft.token.is_not(None)))
    assert ['leerling-voornaam', 'Typed before the token went stale'] in draft.data

    resume = re.search(r'id="resume-input" href="([^"]+)"', page).group(1).replace('&amp;', '&')
    assert csrf_client.get(resume).status_code == 302
    assert read_form(csrf_client.get(url).get_data(as_text=True))['leerling-voornaam'] == \
        'Typed before the token went stale'


def _csrf(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
