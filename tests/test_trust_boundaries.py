"""The eleven trust-boundary findings of issue 12, one regression test (or more) each, on a real database."""
import copy
import csv
import io
import json
import os
import stat

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from tests.conftest import PASSWORD
from tests.helpers import example_cases
from webapp import create_app, db
from webapp.config import ConfigError
from webapp.models import AuditEvent, Case, LoginSession, Organisation, User
from webapp.services import grants


@pytest.fixture
def session(app):
    """Return a database session of the test's own, outside any request (see tests/wizard/conftest.py: `g` must
    not carry the logged-in user from one request to the next)."""
    with app.app_context():
        own = app.extensions['traject_db']()
    yield own
    own.close()


def read_csv(path) -> list[dict]:
    with path.open(encoding='utf-8') as handle:
        return list(csv.DictReader(handle))


def login(client, username: str):
    response = client.post('/login', data={'username': username, 'password': PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return client


def upload(client, doc: dict, *, replace: bool = False):
    data = {'file': (io.BytesIO(json.dumps(doc).encode()), 'dossier.json')}
    if replace:
        data['replace'] = '1'
    return client.post('/import', data=data, content_type='multipart/form-data')


def stored_doc(session, case_id: int) -> dict:
    session.expire_all()
    doc = session.get(Case, case_id).data
    session.rollback()
    return doc


@pytest.fixture
def other_doc(dummy_case) -> dict:
    """Return an example case of another CLB, school and leersteuncentrum than the dummy case."""
    return copy.deepcopy(next(d for d in example_cases().values() if d['clb']['naam'] != dummy_case['clb']['naam']
                              and d['school']['naam'] != dummy_case['school']['naam']))


# 1. Import "replace" overwrites anyone's case

@pytest.mark.parametrize('role', ['zorgcoordinator', 'leerondersteuner'])
def test_a_school_or_leersteuncentrum_cannot_import_at_all(client, create_user, create_case, dummy_case, session,
                                                           role):
    case = create_case(dummy_case)
    grants.grant(session, case, actor='test')
    session.commit()
    create_user('partner', role=role)
    login(client, 'partner')
    changed = {**copy.deepcopy(dummy_case), 'leerling': {**dummy_case['leerling'], 'voornaam': 'Overschreven'}}
    assert upload(client, changed, replace=True).status_code == 403
    assert stored_doc(session, case.id)['leerling']['voornaam'] == dummy_case['leerling']['voornaam']


def test_a_clb_of_another_region_cannot_replace_or_learn_about_a_case(client, create_user, create_case, dummy_case,
                                                                     other_doc, session):
    case = create_case(dummy_case)
    create_user('elders', role='clb-medewerker', organisation=None)  # dummy's CLB by default: make one elsewhere
    session.execute(text('DELETE FROM users WHERE username = :u'), {'u': 'elders'})
    session.commit()
    from webapp.services.cases import get_organisation
    get_organisation(session, 'clb', other_doc['clb'])
    session.commit()
    create_user('elders', role='clb-medewerker', organisation=other_doc['clb']['naam'])
    login(client, 'elders')

    # As it is: the file names another CLB.
    response = upload(client, {**copy.deepcopy(dummy_case), 'school': other_doc['school']}, replace=True)
    page = client.get(response.headers['Location']).get_data(as_text=True)
    assert 'ander CLB' in page
    # With its own CLB typed in: the id belongs to a case it may not touch, and nothing says whose or which.
    response = upload(client, {**copy.deepcopy(dummy_case), 'clb': other_doc['clb']}, replace=True)
    page = client.get(response.headers['Location']).get_data(as_text=True)
    assert 'niet kunt overschrijven' in page
    assert f'dossier {case.id}' not in page and dummy_case['leerling']['voornaam'] not in page
    after = stored_doc(session, case.id)
    assert after == dummy_case
    stored = session.get(Case, case.id)
    assert stored.clb.naam == dummy_case['clb']['naam']  # not moved into the uploader's organisation
    session.rollback()


def test_a_final_case_is_never_replaced_by_an_upload(logged_in, create_case, dummy_case, session):
    case = create_case(dummy_case)
    session.get(Case, case.id).is_final = True
    session.commit()
    changed = copy.deepcopy(dummy_case)
    changed['traject']['voorgeschiedenis'] = 'Overschreven'
    response = upload(logged_in, changed, replace=True)
    assert 'definitief' in logged_in.get(response.headers['Location']).get_data(as_text=True)
    assert stored_doc(session, case.id) == dummy_case


def test_the_own_clb_can_still_replace_its_own_draft_case(logged_in, create_case, dummy_case, session):
    case = create_case(dummy_case)
    changed = copy.deepcopy(dummy_case)
    changed['traject']['voorgeschiedenis'] = 'Nieuw'
    assert upload(logged_in, changed, replace=True).headers['Location'] == f'/cases/{case.id}'
    assert stored_doc(session, case.id)['traject']['voorgeschiedenis'] == 'Nieuw'


# 2. Export leaks the CLB-internal parts

def test_a_school_export_holds_only_what_the_school_may_see(client, create_user, create_case, dummy_case):
    doc = copy.deepcopy(dummy_case)
    doc['extra'] = {'geheim': 'EXTRA-CANARY'}
    doc['traject']['diagnosen'] = [{**doc['traject']['diagnosen'][0], 'omschrijving': 'NIET-GEDEELD',
                                    'delen_met_school': False, 'delen_met_ouders': True}]
    case = create_case(doc)
    create_user('zorg', role='zorgcoordinator')
    login(client, 'zorg')
    exported = client.get(f'/cases/{case.id}/export.json').get_json()
    text_of = json.dumps(exported, ensure_ascii=False)
    assert 'EXTRA-CANARY' not in text_of and 'NIET-GEDEELD' not in text_of
    assert 'toestemmingen' not in exported and 'onderzoek' not in exported['traject']
    assert exported['traject']['strategie']['hypothesen'] == []
    assert all('notulen' not in o for o in exported.get('overleg') or [])


# 4. Organisations renamed across tenants

def test_an_import_never_renames_a_stored_organisation(logged_in, create_case, dummy_case, session):
    create_case(dummy_case)
    school_before = dummy_case['school']['naam']
    other = copy.deepcopy(dummy_case)
    other['id'] = 'een-ander-dossier'
    other['school'] = {**dummy_case['school'], 'naam': 'Hernoemd Door Een Import'}
    response = upload(logged_in, other)
    assert response.status_code == 302
    names = session.scalars(select(Organisation.naam).where(Organisation.kind == 'school')).all()
    session.rollback()
    assert names == [school_before]
    page = logged_in.get(response.headers['Location']).get_data(as_text=True)
    assert 'Hernoemd Door Een Import' in page and 'schrijft een organisatie anders' in page


# 5. Sessions cannot be ended

def test_a_copied_cookie_stops_working_after_logout(app, logged_in):
    cookie = logged_in.get_cookie('session').value
    logged_in.post('/logout')
    thief = app.test_client()
    thief.set_cookie('session', cookie)
    assert thief.get('/').headers['Location'].startswith('/login')


def test_disabling_an_account_ends_its_logins_at_the_next_request(logged_in, session):
    assert logged_in.get('/').status_code == 200
    user = session.scalar(select(User).where(User.username == 'medewerker'))
    user.active = False
    session.commit()
    assert logged_in.get('/').headers['Location'].startswith('/login')


def test_a_login_ends_after_twelve_hours_whatever_happens(logged_in, session):
    from datetime import timedelta

    from webapp.models.case import utcnow
    login_row = session.scalar(select(LoginSession))
    login_row.created_at = utcnow() - timedelta(hours=12, minutes=1)
    session.commit()
    assert logged_in.get('/').headers['Location'].startswith('/login')


def test_production_cookies_are_secure_host_only_and_http_only(database_url, monkeypatch, tmp_path):
    app = create_app({'TESTING': True, 'DATABASE_URL': database_url, 'SECRET_KEY': 'k' * 64,
                      'TRAJECT_ENV': 'production', 'WTF_CSRF_ENABLED': False})
    response = app.test_client().post('/taal/fr', data={'next': '/login'})
    cookie = response.headers['Set-Cookie']
    assert cookie.startswith('__Host-traject=')
    assert 'Secure' in cookie and 'HttpOnly' in cookie and 'SameSite=Lax' in cookie and 'Domain' not in cookie


# 7. Security headers

def test_pages_and_downloads_carry_the_security_headers(logged_in, create_case, dummy_case):
    case = create_case(dummy_case)
    for url in ('/', f'/cases/{case.id}', f'/cases/{case.id}/export.json', f'/cases/{case.id}/documents/verslag.docx',
                '/login'):
        headers = logged_in.get(url).headers
        csp = headers['Content-Security-Policy']
        assert "script-src 'self'" in csp and 'unsafe-inline' not in csp.split('script-src')[1].split(';')[0]
        assert "frame-ancestors 'none'" in csp, url
        assert headers['X-Content-Type-Options'] == 'nosniff'
        assert headers['Referrer-Policy'] in ('same-origin', 'no-referrer', 'strict-origin')
        assert headers['Cache-Control'] == 'no-store', url


# 9 and 10. Stored input that breaks later, and one big case

def _deep(levels: int) -> dict:
    node: dict = {}
    top = node
    for _ in range(levels):
        node['a'] = {}
        node = node['a']
    return top


@pytest.mark.parametrize('change, field', [
    (lambda d: d.update(extra=_deep(900)), 'extra.a.a'),
    (lambda d: d.update(betrokkenen=d['betrokkenen'] * 201 or [{}] * 201), 'betrokkenen'),
])
def test_documents_past_the_limits_are_refused_with_their_path(logged_in, dummy_case, session, change, field):
    doc = copy.deepcopy(dummy_case)
    change(doc)
    response = upload(logged_in, doc)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and field in page
    assert session.scalar(select(func.count()).select_from(Case)) == 0


@pytest.mark.parametrize('raw', [
    '"n": 1e400', '"n": "a\\ud800b"', '"n": NaN',
])
def test_numbers_and_characters_that_cannot_be_stored_are_refused_without_a_500(logged_in, dummy_case, session, raw):
    body = json.dumps({**dummy_case, 'leerling': {**dummy_case['leerling'], 'voornaam': '@@'}})
    body = body.replace('"@@"', '"x"').rstrip('}') + ', "extra": {' + raw + '}}'
    response = logged_in.post('/import', data={'file': (io.BytesIO(body.encode()), 'x.json')},
                              content_type='multipart/form-data')
    assert response.status_code == 422, response.status_code
    assert 'Traceback' not in response.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(Case)) == 0


def test_a_lone_surrogate_in_a_field_is_named_not_a_500(logged_in, dummy_case, session):
    body = json.dumps(dummy_case).replace(json.dumps(dummy_case['leerling']['voornaam']), '"a\\ud800b"', 1)
    response = logged_in.post('/import', data={'file': (io.BytesIO(body.encode()), 'x.json')},
                              content_type='multipart/form-data')
    assert response.status_code == 422
    assert 'leerling.voornaam' in response.get_data(as_text=True)


@pytest.mark.parametrize('attached, message', [
    ('{"formaat": "traject-case/1", "formaat": "x"}', 'meer dan één keer'),
    ('{"formaat": "traject-case/1", "extra": {"n": NaN}}', 'niet toegelaten'),
    ('{"formaat": "traject-case/1", "extra": ' + '{"a": ' * 900 + '{}' + '}' * 900 + '}', 'te diep'),
])
def test_a_pdf_attachment_goes_through_the_same_checks_as_an_upload(runner, tmp_path, attached, message):
    from weasyprint import HTML, Attachment
    path = tmp_path / 'vreemd.pdf'
    HTML(string='<p>Een PDF met een dossier</p>').write_pdf(
        path, attachments=[Attachment(string=attached, name='traject-case.json')])
    result = runner.invoke(args=['import', str(path)])
    assert result.exit_code == 1, result.output
    assert message in result.output and 'Traceback' not in result.output


# 11. Weak defaults

def test_debug_without_a_key_signs_with_a_random_key_of_its_own(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv('TRAJECT_INSTANCE', str(tmp_path))
    keys = {create_app({'DEBUG': True, 'DATABASE_URL': database_url}).config['SECRET_KEY'] for _ in range(2)}
    assert len(keys) == 2 and all(len(key) >= 32 for key in keys)


def test_production_refuses_a_weak_key(database_url):
    with pytest.raises(ConfigError):
        create_app({'DATABASE_URL': database_url, 'SECRET_KEY': 'dev', 'TRAJECT_ENV': 'production'})


def test_the_demo_account_is_a_clb_worker_of_the_demo_clb(runner, session):
    assert runner.invoke(args=['demo']).exit_code == 0
    assert runner.invoke(args=['demo-account']).exit_code == 0
    user = session.scalar(select(User).where(User.username == 'demo'))
    assert user.role == 'clb-medewerker' and user.organisation.naam == 'Vrij CLB Bosveld-Meerhoven'
    session.rollback()


def test_the_instance_folder_and_database_are_private(tmp_path):
    url = 'sqlite:///' + str(tmp_path / 'nieuw' / 'traject.db')
    app = create_app({'TESTING': True, 'DATABASE_URL': url, 'SECRET_KEY': 'test'})
    with app.app_context():
        db.upgrade()
    db.get_engine(app).dispose()
    assert stat.S_IMODE(os.stat(tmp_path / 'nieuw').st_mode) == 0o700
    assert stat.S_IMODE(os.stat(tmp_path / 'nieuw' / 'traject.db').st_mode) == 0o600


# Audit: append-only, and what it records

def test_the_audit_trail_refuses_update_and_delete(logged_in, session):
    assert session.scalar(select(func.count()).select_from(AuditEvent)) >= 1  # the login
    session.rollback()
    for statement in ("UPDATE audit_events SET actor = 'iemand anders'", 'DELETE FROM audit_events'):
        with pytest.raises(DBAPIError):
            session.execute(text(statement))
        session.rollback()


def test_logins_failures_logouts_previews_and_denials_are_audited(client, create_user, create_case, dummy_case,
                                                                  session):
    case = create_case(dummy_case)
    create_user()
    client.post('/login', data={'username': 'medewerker', 'password': 'fout-wachtwoord'})
    login(client, 'medewerker')
    client.get(f'/cases/{case.id}/preview/verslag')
    client.get('/cases/424242')
    client.post('/logout')
    create_user('zorg', role='zorgcoordinator')
    login(client, 'zorg')
    client.post('/import')
    actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    session.rollback()
    for action in ('login-failed', 'login', 'preview', 'denied', 'logout'):
        assert action in actions, (action, actions)
    assert actions.count('denied') == 2  # the unknown case number, and the school's import


def test_audit_export_writes_csv_since_a_date(runner, logged_in, tmp_path):
    out = tmp_path / 'audit.csv'
    result = runner.invoke(args=['audit', 'export', '--since', '2020-01-01', '-o', str(out)])
    assert result.exit_code == 0, (result.output, result.exception)
    rows = read_csv(out)
    assert rows and rows[0]['actie'] == 'login' and rows[0]['gebruiker'] == 'medewerker'
    later = runner.invoke(args=['audit', 'export', '--since', '2999-01-01', '-o', str(out)])
    assert later.exit_code == 0 and read_csv(out) == []


def test_the_clb_sees_the_audit_trail_on_the_case_page_and_the_school_does_not(client, create_user, create_case,
                                                                               dummy_case):
    case = create_case(dummy_case)
    create_user()
    create_user('zorg', role='zorgcoordinator')
    login(client, 'medewerker')
    assert 'Wie deed wat met dit dossier' in client.get(f'/cases/{case.id}').get_data(as_text=True)
    client.post('/logout')
    login(client, 'zorg')
    assert 'Wie deed wat met dit dossier' not in client.get(f'/cases/{case.id}').get_data(as_text=True)


# The leersteuncentrum sees a case only once granted, and sees the grant history

def test_the_school_grants_and_revokes_the_leersteuncentrum_access(client, create_user, create_case, dummy_case):
    case = create_case(dummy_case)
    create_user('zorg', role='zorgcoordinator')
    create_user('lsc', role='leerondersteuner')
    login(client, 'lsc')
    assert client.get(f'/cases/{case.id}').status_code == 404
    client.post('/logout')
    login(client, 'zorg')
    assert client.post(f'/cases/{case.id}/toegang').status_code == 302
    assert 'ziet dit dossier sinds' in client.get(f'/cases/{case.id}').get_data(as_text=True)
    client.post('/logout')
    login(client, 'lsc')
    page = client.get(f'/cases/{case.id}')
    assert page.status_code == 200 and 'grant-access' not in page.get_data(as_text=True)
    assert client.get(f'/cases/{case.id}/documents/oudersamenvatting.pdf').status_code == 404  # the parents' letter
    client.post('/logout')
    login(client, 'zorg')
    client.post(f'/cases/{case.id}/toegang/intrekken')
    client.post('/logout')
    login(client, 'lsc')
    assert client.get(f'/cases/{case.id}').status_code == 404
