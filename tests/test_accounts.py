"""The beheerder of one organisation: its accounts and nothing else; every change that matters ends the logins."""
import html
import re

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD
from tests.test_login import database, enrol, is_logged_in, login
from webapp.models import AuditEvent, RecoveryCode, User
from webapp.services import users as user_service
from webapp.services.cases import get_organisation


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def accounts(app):
    """CLB Test: beheerder 'bea', workers 'lotte' and 'jan'; CLB Elders: worker 'pieter'. Return {username: id}."""
    with database(app) as session:
        get_organisation(session, 'clb', {'naam': 'CLB Test'})
        get_organisation(session, 'clb', {'naam': 'CLB Elders'})
        ids = {name: user_service.create_user(session, name, PASSWORD, role=role, organisation=org).id
               for name, role, org in [('bea', 'beheerder', 'CLB Test'), ('lotte', 'clb-medewerker', 'CLB Test'),
                                       ('jan', 'clb-arts', 'CLB Test'), ('pieter', 'clb-medewerker', 'CLB Elders')]}
        session.commit()
    return ids


@pytest.fixture
def beheerder(client, accounts):
    """Return a client logged in as 'bea', beheerder of CLB Test."""
    response = login(client, 'bea')
    assert response.status_code == 302 and response.headers['Location'] == '/beheer/accounts'
    return client


def stored(app, username) -> User:
    with database(app) as session:
        return session.scalar(select(User).where(User.username == username))


def logged_in_as(app, username, password=PASSWORD):
    client = app.test_client()
    assert login(client, username, password).status_code == 302
    assert is_logged_in(client)
    return client


def test_the_list_shows_only_the_own_organisations_accounts(beheerder):
    page = text(beheerder.get('/beheer/accounts'))
    assert all(name in page for name in ('bea', 'lotte', 'jan'))
    assert 'pieter' not in page


def test_another_organisations_account_does_not_exist_for_the_beheerder(app, beheerder, accounts):
    assert beheerder.get(f'/beheer/accounts/{accounts["pieter"]}').status_code == 404
    assert beheerder.post(f'/beheer/accounts/{accounts["pieter"]}', data={'action': 'disable'}).status_code == 404
    assert stored(app, 'pieter').active
    assert beheerder.get('/beheer/accounts/99999').status_code == 404


def test_a_beheerder_sees_no_case_data(beheerder):
    assert beheerder.get('/').status_code == 403
    assert beheerder.get('/samenwerkingen').status_code == 403


@pytest.mark.parametrize('role', ['clb-medewerker', 'zorgcoordinator', 'leerondersteuner'])
def test_other_roles_cannot_manage_accounts(app, client, accounts, role):
    with database(app) as session:
        kind = {'clb-medewerker': 'clb', 'zorgcoordinator': 'school', 'leerondersteuner': 'leersteuncentrum'}[role]
        get_organisation(session, kind, {'naam': 'Eigen ' + kind})
        user_service.create_user(session, 'iemand', PASSWORD, role=role, organisation='Eigen ' + kind)
        session.commit()
    login(client, 'iemand')
    assert client.get('/beheer/accounts').status_code == 403
    assert client.post(f'/beheer/accounts/{accounts["lotte"]}', data={'action': 'disable'}).status_code == 403


def test_disabling_ends_the_accounts_logins_and_enabling_lets_it_in_again(app, beheerder, accounts):
    lotte = logged_in_as(app, 'lotte')
    response = beheerder.post(f'/beheer/accounts/{accounts["lotte"]}', data={'action': 'disable'},
                              follow_redirects=True)
    assert 'uitgeschakeld' in text(response)
    assert not is_logged_in(lotte)
    assert login(lotte, 'lotte').status_code == 200
    beheerder.post(f'/beheer/accounts/{accounts["lotte"]}', data={'action': 'enable'})
    assert login(lotte, 'lotte').status_code == 302


def test_a_password_reset_shows_a_temporary_password_once_that_must_be_changed(app, beheerder, accounts):
    lotte = logged_in_as(app, 'lotte')
    response = beheerder.post(f'/beheer/accounts/{accounts["lotte"]}', data={'action': 'reset-password'})
    assert response.headers['Cache-Control'] == 'no-store'
    temporary = re.search(r'id="temporary-password">([^<]+)<', text(response))[1]
    assert len(temporary) == 20
    assert temporary not in text(beheerder.get(f'/beheer/accounts/{accounts["lotte"]}'))  # shown once
    assert not is_logged_in(lotte)
    assert login(lotte, 'lotte').status_code == 200  # the old password is gone
    assert login(lotte, 'lotte', temporary).status_code == 302
    # Only "Mijn account" opens until she chose her own password.
    assert lotte.get('/').headers['Location'] == '/account'
    assert 'tijdelijk wachtwoord' in text(lotte.get('/account'))
    lotte.post('/account', data={'current': temporary, 'new': 'fiets-regen-bosveld-thee',
                                 'repeat': 'fiets-regen-bosveld-thee'})
    assert lotte.get('/').status_code == 200


def test_a_totp_reset_forgets_the_factor_and_the_recovery_codes(app, beheerder, accounts):
    lotte = logged_in_as(app, 'lotte')
    enrol(lotte)
    assert stored(app, 'lotte').totp_secret
    page = text(beheerder.post(f'/beheer/accounts/{accounts["lotte"]}', data={'action': 'reset-totp'},
                               follow_redirects=True))
    assert 'opnieuw in' in page
    assert stored(app, 'lotte').totp_secret is None
    with database(app) as session:
        assert session.scalars(select(RecoveryCode)).all() == []
    assert not is_logged_in(lotte)


def test_a_role_change_ends_the_logins_and_stays_within_the_organisations_kind(app, beheerder, accounts):
    jan = logged_in_as(app, 'jan')
    beheerder.post(f'/beheer/accounts/{accounts["jan"]}', data={'action': 'role', 'role': 'clb-directeur'})
    assert stored(app, 'jan').role == 'clb-directeur'
    assert not is_logged_in(jan)
    page = text(beheerder.post(f'/beheer/accounts/{accounts["jan"]}',
                               data={'action': 'role', 'role': 'zorgcoordinator'}, follow_redirects=True))
    assert 'Rol: Kies een rol uit de lijst.' in page
    assert stored(app, 'jan').role == 'clb-directeur'


def test_a_beheerder_cannot_lock_themselves_out(app, beheerder, accounts):
    beheerder.post(f'/beheer/accounts/{accounts["bea"]}', data={'action': 'disable'})
    assert stored(app, 'bea').active
    assert beheerder.get('/beheer/accounts').status_code == 200


def test_every_change_is_audited_with_who_did_it(app, beheerder, accounts):
    for action in ('disable', 'enable', 'reset-password'):
        beheerder.post(f'/beheer/accounts/{accounts["lotte"]}', data={'action': action})
    with database(app) as session:
        events = [(e.action, e.actor, (e.detail or {}).get('account'))
                  for e in session.scalars(select(AuditEvent).where(AuditEvent.actor == 'bea'))]
    assert events[-3:] == [('account-disabled', 'bea', 'lotte'), ('account-enabled', 'bea', 'lotte'),
                           ('password-reset', 'bea', 'lotte')]


def test_every_new_form_carries_a_csrf_token_and_refuses_a_post_without(app, accounts):
    app.config['WTF_CSRF_ENABLED'] = True
    client = app.test_client()

    def token(path):
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', text(client.get(path)))[1]
    assert client.post('/login', data={'username': 'bea', 'password': PASSWORD,
                                       'csrf_token': token('/login')}).status_code == 302
    for path in ('/account', '/account/tweestapsverificatie', f'/beheer/accounts/{accounts["lotte"]}'):
        assert token(path)
    assert client.post(f'/beheer/accounts/{accounts["lotte"]}', data={'action': 'disable'}).status_code == 400
    assert client.post('/account', data={'current': PASSWORD, 'new': 'fiets-regen-bosveld-thee',
                                         'repeat': 'fiets-regen-bosveld-thee'}).status_code == 400
    assert stored(app, 'lotte').active and stored(app, 'bea').check_password(PASSWORD)
