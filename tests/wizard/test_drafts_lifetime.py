"""Drafts that hold on to nothing they should not: a draft expires, and no draft ever holds a CSRF token.

test_drafts.py checks the token with CSRF protection switched off, when the form has no token to keep; here the app
runs with CSRF on, as in production.
"""
import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from tests.conftest import PASSWORD
from tests.wizard.helpers import fetch, read_form, step_url, submit
from webapp.models import Draft, User
from webapp.models.case import utcnow
from webapp.wizard import drafts


# How long an unsaved draft is kept (drafts.DRAFT_LIFETIME), written out so a change is noticed.
LIFETIME = timedelta(days=14)


def _age(session, draft_id: int, age: timedelta) -> None:
    session.execute(update(Draft).where(Draft.id == draft_id).values(updated_at=utcnow() - age))
    session.commit()


def _lotte(session) -> int:
    user_id = session.scalar(select(User.id).where(User.username == 'lotte'))
    session.rollback()
    return user_id


def _keep(session, user_id: int, case_id: int, text: str) -> int:
    draft_id = drafts.keep(session, user_id=user_id, step='intake', data=[['voorgeschiedenis', text]],
                           case_id=case_id).id
    session.commit()
    return draft_id


@pytest.mark.parametrize('age, found', [
    (timedelta(0), True),
    (LIFETIME - timedelta(hours=1), True),
    (LIFETIME + timedelta(hours=1), False),
    (timedelta(days=365), False),
])
def test_a_draft_is_found_only_within_its_lifetime(clb_client, new_case, session, age, found):
    draft_id = _keep(session, _lotte(session), new_case, 'Wachtend')
    _age(session, draft_id, age)
    assert (drafts.find(session, user_id=_lotte(session), step='intake', case_id=new_case) is not None) is found
    session.rollback()


def test_keeping_a_draft_removes_the_expired_ones_and_keeps_the_others(clb_client, new_case, session):
    lotte = _lotte(session)
    other_case = int(submit(clb_client, '/cases/nieuw', action='bewaren').headers['Location'].split('/')[2])
    old = _keep(session, lotte, new_case, 'Oud')
    recent = _keep(session, lotte, other_case, 'Recent')
    _age(session, old, LIFETIME + timedelta(hours=1))
    _age(session, recent, LIFETIME - timedelta(hours=1))
    drafts.keep(session, user_id=lotte, step='aanmelding', data=[['x', 'Nieuw']], case_id=new_case)
    session.commit()
    left = sorted(text for [[_name, text]] in session.scalars(select(Draft.data)))
    session.rollback()
    assert left == ['Nieuw', 'Recent']


def test_a_draft_read_back_from_the_database_is_kept_again(clb_client, new_case, session):
    # Reopening a step whose draft conflicts with a newer save keeps the draft again while it is loaded; SQLite hands
    # its time back without a zone, and the clean-up of expired drafts once compared it with an aware one: a 500.
    lotte = _lotte(session)
    _keep(session, lotte, new_case, 'Eerst')
    session.expire_all()
    loaded = drafts.find(session, user_id=lotte, step='intake', case_id=new_case)
    assert loaded is not None and loaded.updated_at is not None  # in the session, as read from the database
    drafts.keep(session, user_id=lotte, step='intake', data=[['voorgeschiedenis', 'Dan']], case_id=new_case)
    session.commit()
    assert [text for [[_name, text]] in session.scalars(select(Draft.data))] == ['Dan']


def test_a_draft_of_one_case_never_shows_on_another(clb_client, new_case, session):
    other_case = int(submit(clb_client, '/cases/nieuw', action='bewaren').headers['Location'].split('/')[2])
    _keep(session, _lotte(session), new_case, 'Alleen voor dit dossier')
    assert drafts.find(session, user_id=_lotte(session), step='intake', case_id=other_case) is None
    assert drafts.find(session, user_id=_lotte(session), step='intake', case_id=new_case) is not None
    session.rollback()


def test_a_users_draft_is_found_and_discarded_for_that_user_only(clb_client, new_case, session, create_user):
    lotte = _lotte(session)
    pieter = create_user('pieter', role='clb-medewerker', organisation='CLB Zennevallei').id
    session.commit()
    for user_id, text in ((lotte, 'Van Lotte'), (pieter, 'Van Pieter')):
        drafts.keep(session, user_id=user_id, step='intake', data=[['voorgeschiedenis', text]], case_id=new_case)
    session.commit()
    assert drafts.find(session, user_id=pieter, step='intake', case_id=new_case).data == [
        ['voorgeschiedenis', 'Van Pieter']]
    drafts.discard(session, user_id=lotte, step='intake', case_id=new_case)
    session.commit()
    assert drafts.find(session, user_id=lotte, step='intake', case_id=new_case) is None
    assert drafts.find(session, user_id=pieter, step='intake', case_id=new_case) is not None
    session.rollback()


# ---------- No CSRF token in any draft ----------

def _token(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


@pytest.fixture
def csrf_step(csrf_client, create_user, organisation):
    """Return (client, url) of the intake step of a new case, logged in as a CLB worker, CSRF protection on."""
    organisation('clb', 'CLB Zennevallei', '131442')
    create_user('lotte', role='clb-medewerker', organisation='CLB Zennevallei')
    page = csrf_client.get('/login').get_data(as_text=True)
    assert csrf_client.post('/login', data={'username': 'lotte', 'password': PASSWORD,
                                            'csrf_token': _token(page)}).status_code == 302
    step_1 = read_form(csrf_client.get('/cases/nieuw').get_data(as_text=True))  # the first save creates the case
    new = csrf_client.post('/cases/nieuw', data={**step_1, 'action': 'bewaren'})
    case_id = int(new.headers['Location'].split('/')[2])
    return csrf_client, step_url(case_id, 'intake')


@pytest.mark.parametrize('action, status', [('concept', 204), ('volgende', 422)], ids=['autosave', 'failed-check'])
def test_a_draft_never_holds_the_csrf_token(csrf_step, session, action, status):
    client, url = csrf_step
    data = read_form(client.get(url).get_data(as_text=True))
    assert data['csrf_token']  # the form posts one: there is something that must not be kept
    data['voorgeschiedenis'] = 'Met token gepost'  # 'volgende' then fails: the aanleiding is still empty
    response = client.post(url, data={**data, 'action': action})
    assert response.status_code == status
    draft = fetch(session, select(Draft))
    assert ['voorgeschiedenis', 'Met token gepost'] in draft.data
    assert [name for name, _value in draft.data if name in ('csrf_token', 'action')] == []
    assert data['csrf_token'] not in str(draft.data)


def test_a_draft_kept_after_a_stale_token_never_holds_that_token(csrf_step, session):
    client, url = csrf_step
    data = {**read_form(client.get(url).get_data(as_text=True)), 'voorgeschiedenis': 'Met oud token',
            'csrf_token': 'een-verlopen-token'}
    assert client.post(url, data={**data, 'action': 'volgende'}).status_code == 400
    draft = fetch(session, select(Draft))
    assert ['voorgeschiedenis', 'Met oud token'] in draft.data
    assert [name for name, _value in draft.data if name in ('csrf_token', 'action')] == []
