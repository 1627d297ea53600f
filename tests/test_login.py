"""Login: throttling per username and per address, the same answer for unknown users, the password policy,
the second factor (TOTP and recovery codes) and "Mijn account"."""
import html
import re
import time
from contextlib import contextmanager
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD
from webapp import db
from webapp.models import AuditEvent, LoginAttempt, RecoveryCode, User
from webapp.services import throttle, users as user_service
from webapp.services.cases import get_organisation


# These tests hold no app context between requests (unlike the `session` fixture): each request gets its own, as in
# production, so a login that was ended is seen as ended by the next request.

@contextmanager
def database(app):
    """Open the database in a short app context of its own."""
    with app.app_context():
        yield db.session()


@pytest.fixture
def account(app):
    """Return a function that creates an account of 'CLB Test' (or `organisation`) and returns its id."""
    def _create(username='medewerker', role='clb-medewerker', organisation='CLB Test', kind='clb'):
        with database(app) as session:
            get_organisation(session, kind, {'naam': organisation})
            user = user_service.create_user(session, username, PASSWORD, role=role, organisation=organisation)
            session.commit()
            return user.id
    return _create


@pytest.fixture
def logged_in(client, account):
    """Return a client logged in as 'medewerker' (the second factor is optional in tests)."""
    account()
    assert login(client, 'medewerker').status_code == 302
    return client


def login(client, username, password=PASSWORD, **kwargs):
    return client.post('/login', data={'username': username, 'password': password}, **kwargs)


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def is_logged_in(client) -> bool:
    """Return whether the client's cookie opens the case list (a redirect means: to the login page)."""
    return client.get('/').status_code == 200


def audit_actions(app) -> list[str]:
    with database(app) as session:
        return [e.action for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def age_attempts(app, seconds: int) -> None:
    """Move every recorded login attempt `seconds` into the past, as if that time had gone by."""
    with database(app) as session:
        # In Python, not in SQL: SQLite stores these as text and cannot subtract an interval from them.
        for attempt in session.scalars(select(LoginAttempt)):
            attempt.at = attempt.at - timedelta(seconds=seconds)
        session.commit()


def fail_patiently(app, client, username, times: int, **kwargs) -> None:
    """Type a wrong password `times` times, each time waiting out the delay the previous failure brought."""
    for _i in range(times):
        assert login(client, username, 'fout-wachtwoord-123', **kwargs).status_code == 200
        age_attempts(app, 65)


def stored_user(app, username='medewerker') -> User:
    with database(app) as session:
        return session.scalar(select(User).where(User.username == username))


# Throttling

def test_fifty_wrong_passwords_then_the_right_one_is_refused(app, client, account):
    """On main, 50 wrong passwords and then the right one logged in. Here each try waits out the delay before it
    (65 s, the clock moved on in the database), so every failure counts: the tenth locks, and the lock holds."""
    account()
    for _i in range(50):
        assert login(client, 'medewerker', 'fout-wachtwoord-123').status_code in (200, 429)
        age_attempts(app, 65)
    response = login(client, 'medewerker')
    assert response.status_code == 429
    assert 'tijdelijk geblokkeerd' in text(response)
    assert not is_logged_in(client)
    # Tries during a lock are refused unchecked: 10 failures, then one more each time a lock ran out (24, 38).
    with database(app) as session:
        assert len(session.scalars(select(LoginAttempt)).all()) == 12


def test_patient_guessing_locks_the_account_for_fifteen_minutes(app, client, account):
    account()
    fail_patiently(app, client, 'medewerker', throttle.PER_USERNAME.lock_after)
    response = login(client, 'medewerker')   # 65 s after the tenth failure
    assert response.status_code == 429
    assert 'tijdelijk geblokkeerd' in text(response) and '14 min' in text(response)
    assert audit_actions(app).count('login-locked') == 1
    age_attempts(app, 13 * 60)
    assert login(client, 'medewerker').status_code == 429
    age_attempts(app, 2 * 60)
    assert login(client, 'medewerker').status_code == 302
    assert is_logged_in(client)


def test_the_wait_between_attempts_grows():
    from datetime import datetime, timezone
    last = datetime(2026, 12, 6, 10, 0, tzinfo=timezone.utc)
    waits = [throttle._verdict(n, last, throttle.PER_USERNAME, last).wait.total_seconds() for n in range(2, 11)]
    assert waits == [0, 1, 2, 4, 8, 16, 32, 64, 15 * 60]
    assert throttle._verdict(10, last, throttle.PER_USERNAME, last).locked
    assert not throttle._verdict(10, last, throttle.PER_USERNAME, last + timedelta(minutes=16)).locked
    # An address: ten free, then waits that stop growing at about a minute, locked at thirty.
    waits = [throttle._verdict(n, last, throttle.PER_ADDRESS, last).wait.total_seconds() for n in (9, 10, 16, 29, 30)]
    assert waits == [0, 1, 64, 64, 15 * 60]


def test_a_quick_retry_after_three_failures_has_to_wait(client, account):
    account()
    for _i in range(throttle.PER_USERNAME.delay_after):
        assert login(client, 'medewerker', 'fout-wachtwoord-123').status_code == 200
    response = login(client, 'medewerker')
    assert response.status_code == 429
    assert 'Wacht 1 s' in text(response)


def seed_failures(app, username: str, address: str, times: int) -> None:
    """Record `times` failures of `username` from `address`, each 65 s apart and ending 65 s ago (no hashing)."""
    from webapp.models.case import utcnow
    with database(app) as session:
        now = utcnow()
        for i in range(times):
            throttle.record(session, username, address, success=False, now=now - timedelta(seconds=65 * (times - i)))
        session.commit()


def test_an_unknown_username_gets_the_same_answers_as_a_known_one(app, client, account):
    account()

    def answers(username, address):
        # Each from its own address: the per-address count must not mix into this comparison. The first failure,
        # the one that locks (the tenth) and the one after it go through the form; the others are recorded directly.
        env = {'environ_base': {'REMOTE_ADDR': address}}
        out = [login(client, username, 'fout-wachtwoord-123', **env)]
        age_attempts(app, 65)
        seed_failures(app, username, address, throttle.PER_USERNAME.lock_after - 2)
        out.append(login(client, username, 'fout-wachtwoord-123', **env))
        age_attempts(app, 65)
        out.append(login(client, username, 'fout-wachtwoord-123', **env))
        return out
    known, unknown = answers('medewerker', '192.0.2.1'), answers('niemand-hier', '192.0.2.2')
    strip = lambda r: re.sub(r'(csrf_token|name="username")[^>]*', '', text(r))  # noqa: E731
    assert [r.status_code for r in known] == [r.status_code for r in unknown] == [200, 200, 429]
    assert [strip(r) for r in known] == [strip(r) for r in unknown]
    assert 'tijdelijk geblokkeerd' in text(unknown[-1])
    with database(app) as session:
        locked = [e.actor for e in session.scalars(select(AuditEvent).where(AuditEvent.action == 'login-locked'))]
    assert sorted(locked) == ['medewerker', 'niemand-hier']


def test_many_usernames_from_one_address_lock_that_address_only(app, client, account):
    account()
    guesser = {'REMOTE_ADDR': '203.0.113.7'}
    for i in range(throttle.PER_ADDRESS.lock_after - 1):
        seed_failures(app, f'gok{i}', '203.0.113.7', 1)
        age_attempts(app, 65)
    assert login(client, 'gok-laatste', 'fout-wachtwoord-123', environ_base=guesser).status_code == 200  # the 30th
    response = login(client, 'medewerker', environ_base=guesser)
    assert response.status_code == 429 and 'tijdelijk geblokkeerd' in text(response)
    assert login(client, 'medewerker', environ_base={'REMOTE_ADDR': '198.51.100.2'}).status_code == 302


def test_an_unknown_username_costs_a_password_hash_too(session, create_user, monkeypatch):
    """Structural: both paths verify a hash of the same kind; the time is measured, with a generous bound."""
    user = create_user()
    checked = []
    real = user_service.check_password_hash
    monkeypatch.setattr(user_service, 'check_password_hash', lambda h, p: checked.append(h) or real(h, p))
    assert user_service.authenticate(session, 'niemand-hier', 'fout-wachtwoord-123') is None
    assert len(checked) == 1
    method = lambda h: h.split('$')[0]  # noqa: E731  e.g. 'scrypt:32768:8:1': the algorithm and its cost
    assert method(checked[0]) == method(user.password_hash)

    def timed(username):
        start = time.perf_counter()
        user_service.authenticate(session, username, 'fout-wachtwoord-123')
        return time.perf_counter() - start
    known = sorted(timed('medewerker') for _i in range(3))[1]
    unknown = sorted(timed('niemand-hier') for _i in range(3))[1]
    # On main an unknown name answered about 25 times faster (5 ms against 136 ms); now both hash.
    assert unknown > known / 3, (known, unknown)


def test_a_disabled_account_cannot_log_in_and_is_told_nothing_more(app, client, account):
    user_id = account()
    with database(app) as session:
        user_service.set_active(session, session.get(User, user_id), False)
        session.commit()
    response = login(client, 'medewerker')
    assert response.status_code == 200
    assert 'Gebruikersnaam of wachtwoord is niet juist.' in text(response)
    assert not is_logged_in(client)


def test_logins_are_audited(app, client, account):
    account()
    login(client, 'medewerker', 'fout-wachtwoord-123')
    login(client, 'medewerker')
    assert audit_actions(app) == ['login-failed', 'login']


# Passwords

@pytest.mark.parametrize('password, message', [
    ('kort', 'minstens 12 tekens'),
    ('qwerty123456', 'veelgebruikte of gelekte wachtwoorden'),
    ('1q2w3e4r5t6y', 'veelgebruikte of gelekte wachtwoorden'),
    ('aaaaaaaaaaaaaaaa', 'te makkelijk te raden'),
    ('medewerker2026', 'te makkelijk te raden'),
    ('x' * 129, 'hoogstens 128 tekens'),
])
def test_weak_passwords_are_refused(app, password, message):
    with app.test_request_context():
        assert message in user_service.password_problem(password, username='medewerker')


def test_a_strong_password_passes(app):
    with app.test_request_context():
        assert user_service.password_problem('fiets-regen-bosveld-thee', username='medewerker') is None


def change_password(client, current, new, repeat=None):
    return client.post('/account', data={'current': current, 'new': new, 'repeat': new if repeat is None else repeat})


def test_mijn_account_refuses_a_breached_password_and_names_the_field(app, logged_in):
    response = change_password(logged_in, PASSWORD, 'qwerty123456')
    assert response.status_code == 200
    page = text(response)
    assert 'veelgebruikte of gelekte wachtwoorden' in page
    assert re.search(r'Nieuw wachtwoord</label>.*?error-message" id="new-error"', page, re.S)
    assert stored_user(app).check_password(PASSWORD)


def test_mijn_account_needs_the_current_password(app, logged_in):
    page = text(change_password(logged_in, 'niet-het-huidige', 'fiets-regen-bosveld-thee'))
    assert 'Het huidige wachtwoord is niet juist.' in page
    assert stored_user(app).check_password(PASSWORD)


def test_a_password_change_ends_every_other_login(app, logged_in):
    other = app.test_client()
    assert login(other, 'medewerker').status_code == 302 and is_logged_in(other)
    response = change_password(logged_in, PASSWORD, 'fiets-regen-bosveld-thee')
    assert response.status_code == 302
    assert is_logged_in(logged_in)           # this browser got a fresh login
    assert not is_logged_in(other)           # the other one is out
    assert login(other, 'medewerker', 'fiets-regen-bosveld-thee').status_code == 302
    assert 'password-changed' in audit_actions(app)


# The second factor

def enrol(client) -> tuple[str, list[str]]:
    """Set up TOTP from "Mijn account" as a user would; return the secret and the recovery codes shown."""
    page = text(client.get('/account/tweestapsverificatie'))
    assert '<svg' in page and 'qrline' in page  # the QR code, drawn inline
    assert not re.search(r'(src|href)="https?:', page)  # nothing fetched from elsewhere
    secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7 ]+)<', page)[1].replace(' ', '')
    assert 'niet juist' in text(client.post('/account/tweestapsverificatie', data={'code': '000000'}))
    response = client.post('/account/tweestapsverificatie', data={'code': pyotp.TOTP(secret).now()})
    assert response.status_code == 200 and response.headers['Cache-Control'] == 'no-store'
    codes = re.findall(r'<li><code>([a-z0-9-]+)</code></li>', text(response))
    return secret, codes


def test_enrolment_shows_ten_recovery_codes_once_and_stores_only_hashes(app, logged_in):
    secret, codes = enrol(logged_in)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert stored_user(app).totp_secret == secret
    with database(app) as session:
        stored = [r.code_hash for r in session.scalars(select(RecoveryCode))]
    assert len(stored) == 10 and not any(c in h or c.replace('-', '') in h for c in codes for h in stored)
    assert 'mfa-enrolled' in audit_actions(app)
    assert 'Ingesteld' in text(logged_in.get('/account'))


def test_after_enrolment_login_asks_the_code_and_opens_nothing_before(app, logged_in):
    secret, _codes = enrol(logged_in)
    client = app.test_client()
    response = login(client, 'medewerker')
    assert response.status_code == 302 and '/login/code' in response.headers['Location']
    assert not is_logged_in(client)
    assert client.get('/account').status_code == 302
    # The code just used at enrolment is refused (single use); the next one of the app is accepted.
    used = pyotp.TOTP(secret).now()
    refused = client.post('/login/code', data={'code': used})
    assert 'niet juist, of werd al gebruikt' in text(refused)
    response = client.post('/login/code', data={'code': pyotp.TOTP(secret).at(time.time() + 30)})
    assert response.status_code == 302
    assert is_logged_in(client)
    assert audit_actions(app)[-2:] == ['mfa-failed', 'login']


def test_a_totp_code_is_accepted_only_once(app, logged_in):
    secret, _codes = enrol(logged_in)
    code = pyotp.TOTP(secret).at(time.time() + 30)
    first, second = app.test_client(), app.test_client()
    login(first, 'medewerker')
    login(second, 'medewerker')
    assert first.post('/login/code', data={'code': code}).status_code == 302
    assert second.post('/login/code', data={'code': code}).status_code == 200
    assert not is_logged_in(second)


def test_wrong_codes_lock_the_account_like_wrong_passwords(app, logged_in):
    secret, _codes = enrol(logged_in)
    client = app.test_client()
    login(client, 'medewerker')
    # enrol() typed one wrong code already: nine more make ten.
    for i in range(1, throttle.PER_USERNAME.lock_after):
        assert client.post('/login/code', data={'code': f'{i:06d}'}).status_code == 200
        age_attempts(app, 65)
    response = client.post('/login/code', data={'code': pyotp.TOTP(secret).at(time.time() + 30)})
    assert response.status_code == 429 and 'tijdelijk geblokkeerd' in text(response)
    assert 'login-locked' in audit_actions(app)
    assert not is_logged_in(client)


def test_a_recovery_code_logs_in_once(app, logged_in):
    _secret, codes = enrol(logged_in)
    client = app.test_client()
    login(client, 'medewerker')
    response = client.post('/login/code', data={'code': codes[3].upper().replace('-', ' ')}, follow_redirects=True)
    assert 'nog 9' in text(response)
    assert is_logged_in(client)
    assert 'recovery-code-used' in audit_actions(app)
    again = app.test_client()
    login(again, 'medewerker')
    assert 'niet juist' in text(again.post('/login/code', data={'code': codes[3]}))
    assert not is_logged_in(again)


def test_required_mode_sends_an_account_without_totp_to_enrolment_first(app, client, account):
    app.config['TRAJECT_MFA'] = 'required'
    account()
    response = login(client, 'medewerker', query_string={'next': '/samenwerkingen'})
    assert response.status_code == 302 and '/account/tweestapsverificatie' in response.headers['Location']
    assert not is_logged_in(client)  # nothing else opens before enrolment
    page = text(client.get(response.headers['Location']))
    assert 'verplicht' in page and 'id="mfa-banner"' not in page
    secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7 ]+)<', page)[1].replace(' ', '')
    done = client.post(response.headers['Location'], data={'code': pyotp.TOTP(secret).now()})
    assert 'href="/samenwerkingen"' in text(done)
    assert is_logged_in(client)
    assert audit_actions(app)[-2:] == ['mfa-enrolled', 'login']


def test_optional_mode_shows_a_banner(client):
    assert 'Tweestapsverificatie is op deze installatie optioneel' in text(client.get('/login'))


def test_the_second_factor_page_needs_a_password_first(client):
    assert client.get('/login/code').headers['Location'].endswith('/login')
    assert client.post('/account/tweestapsverificatie', data={'code': '123456'}).headers['Location'].endswith('/login')


@pytest.mark.parametrize('mfa_passed', [True, False])
def test_a_half_finished_login_never_stands_for_the_user_after_it_idled(app, account, mfa_passed):
    from flask import session as cookie

    from webapp import auth
    from webapp.services import sessions
    user_id = account()
    with database(app) as session:
        token = sessions.start(session, session.get(User, user_id), mfa_passed=mfa_passed)
        row = sessions.find(session, token)
        row.last_seen_at = row.last_seen_at - timedelta(minutes=31)
        session.commit()
    with app.test_request_context('/'):
        cookie['sid'] = token
        expired = auth.expired_user()
        assert (expired is not None and expired.id == user_id) is mfa_passed


def test_a_request_never_inherits_the_user_of_the_request_before(app, session, logged_in):
    # One application context around several requests (the `session` fixture of tests/conftest.py holds one, as a
    # CLI command would): the login worked out for one request must not carry over to the next, from another browser.
    assert logged_in.get('/').status_code == 200
    response = app.test_client().get('/')
    assert response.status_code == 302 and response.headers['Location'].startswith('/login')
