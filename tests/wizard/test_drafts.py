"""Drafts: typed text survives a failed check, an idle timeout and a stale CSRF token; only its author sees it."""
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select, update

from tests.conftest import PASSWORD
from tests.wizard.conftest import login
from tests.wizard.helpers import fetch, read_form, stored, step_url
from webapp.models import Draft, LoginSession, User
from webapp.models.case import utcnow


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
    """Follow the login page a POST with an expired login was sent to, logging in as `username`."""
    assert response.status_code == 302
    login_url = response.headers['Location']
    assert login_url.startswith('/login?next=')
    next_url = parse_qs(urlsplit(login_url).query)['next'][0]
    response = client.post(login_url, data={'username': username, 'password': PASSWORD})
    assert response.headers['Location'] == next_url
    return client.get(next_url)


def _go_idle(session, minutes: int = 31) -> None:
    """Make every login look unused for `minutes` (the idle timeout is 30 minutes)."""
    for login in session.scalars(select(LoginSession)):
        login.last_seen_at = utcnow() - timedelta(minutes=minutes)
    session.commit()


def test_text_typed_when_the_login_ran_out_of_idle_time_is_back_after_logging_in(clb_client, new_case, session):
    url = step_url(new_case, 'intake')
    data = {**read_form(clb_client.get(url).get_data(as_text=True)), 'voorgeschiedenis': 'Een uur lang getypt'}
    _go_idle(session)

    response = clb_client.post(url, data={**data, 'action': 'volgende'})
    assert stored(session, new_case)['traject'] == {}
    draft = fetch(session, select(Draft).where(Draft.case_id == new_case))
    assert draft.user_id == fetch(session, select(User).where(User.username == 'lotte')).id  # hers, and only hers

    page = _resume_after_login(clb_client, response, 'lotte').get_data(as_text=True)
    assert read_form(page)['voorgeschiedenis'] == 'Een uur lang getypt'
    assert clb_client.post(url, data={**read_form(page), 'action': 'bewaren'}).status_code == 302
    assert stored(session, new_case)['traject']['voorgeschiedenis'] == 'Een uur lang getypt'


def test_nobody_plants_text_after_a_logout(clb_client, new_case, session, create_user, organisation):
    url = step_url(new_case, 'intake')
    data = {**read_form(clb_client.get(url).get_data(as_text=True)), 'voorgeschiedenis': 'Geplant'}
    clb_client.post('/logout')
    planted = clb_client.post(url, data={**data, 'action': 'volgende'})
    unknown = clb_client.post('/cases/424242/steps/intake', data={**data, 'action': 'volgende'})
    assert fetch(session, select(Draft)) is None
    # The answer does not tell an existing case number from one that does not exist.
    assert planted.status_code == unknown.status_code == 302
    assert planted.headers['Location'].split('?')[0] == unknown.headers['Location'].split('?')[0] == '/login'
    page = _resume_after_login(clb_client, planted, 'lotte').get_data(as_text=True)
    assert 'Geplant' not in page


def test_a_draft_is_kept_only_for_a_user_who_may_edit_the_case(client, clb_client, new_case, session,
                                                               create_user, organisation):
    organisation('clb', 'CLB Elders')
    create_user('pieter', role='clb-medewerker', organisation='CLB Elders')
    client.post('/logout')
    login(client, 'pieter')
    _go_idle(session)
    response = client.post(step_url(new_case, 'intake'), data={'voorgeschiedenis': 'Van elders', 'action': 'volgende'})
    assert response.status_code == 302 and response.headers['Location'].startswith('/login')
    assert fetch(session, select(Draft)) is None


def test_a_draft_expires_and_has_a_size_limit(clb_client, new_case, session):
    from webapp.wizard import drafts
    url = step_url(new_case, 'intake')
    data = {**read_form(clb_client.get(url).get_data(as_text=True)), 'voorgeschiedenis': 'Oud'}
    assert clb_client.post(url, data={**data, 'action': 'concept'}).status_code == 204
    session.execute(update(Draft).values(updated_at=utcnow() - drafts.DRAFT_LIFETIME - timedelta(minutes=1)))
    session.commit()
    assert read_form(clb_client.get(url).get_data(as_text=True))['voorgeschiedenis'] == ''
    huge = {**data, 'voorgeschiedenis': 'x' * (drafts.MAX_DRAFT_BYTES + 1)}
    assert clb_client.post(url, data={**huge, 'action': 'concept'}).status_code == 413
    assert fetch(session, select(Draft).where(Draft.updated_at > utcnow() - timedelta(minutes=5))) is None


def test_an_unknown_case_stashes_nothing(client, session):
    response = client.post('/cases/424242/steps/intake', data={'voorgeschiedenis': 'x', 'action': 'volgende'})
    assert response.status_code == 302 and '/login' in response.headers['Location']
    assert fetch(session, select(Draft)) is None


def test_a_post_without_csrf_token_is_refused_kindly_and_the_text_is_kept(csrf_client, create_user, organisation,
                                                                         session):
    organisation('clb', 'CLB Zennevallei', '131442')
    create_user('lotte', role='clb-medewerker', organisation='CLB Zennevallei')
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
    draft = fetch(session, select(Draft))
    assert ['leerling-voornaam', 'Typed before the token went stale'] in draft.data
    assert draft.user_id == fetch(session, select(User).where(User.username == 'lotte')).id

    resume = re.search(r'id="resume-input" href="([^"]+)"', page).group(1).replace('&amp;', '&')
    assert resume == url
    assert read_form(csrf_client.get(url).get_data(as_text=True))['leerling-voornaam'] == \
        'Typed before the token went stale'


def _csrf(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
