"""Fixtures of the wizard tests: CLB and school accounts, a new case, an IAC example case."""
import copy

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD
from tests.helpers import empty_database, example_cases
from tests.wizard.helpers import submit
from webapp import create_app
from webapp.models import Case, Organisation


@pytest.fixture
def session(app):
    """Return a database session of the test's own, outside any request.

    The shared fixture keeps an app context open for the whole test, and Flask then runs every request in it, so
    `g` (the logged-in user, the unit of work) would carry over from one request to the next: logging out and in
    again could not be tested. Reads end their transaction (see helpers.fetch), so the next one sees new commits.
    """
    with app.app_context():
        own = app.extensions['traject_db']()
    yield own
    own.close()


def login(client, username: str):
    """Log `client` in as `username`."""
    response = client.post('/login', data={'username': username, 'password': PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client


@pytest.fixture
def organisation(session):
    """Return a function that creates (or finds) an organisation, matched the way an import matches it."""
    def _create(kind: str, naam: str, nummer: str | None = None) -> Organisation:
        key = f'nr:{nummer}' if nummer else 'naam:' + naam.lower()
        org = session.scalar(select(Organisation).where(Organisation.kind == kind, Organisation.match_key == key))
        if org is None:
            org = Organisation(kind=kind, naam=naam, instellingsnummer=nummer, match_key=key)
            session.add(org)
        session.commit()  # also ends the read: the app's own writes must not wait for this session
        return org
    return _create


@pytest.fixture
def clb_client(client, create_user, organisation):
    """Return a client logged in as a CLB worker of 'CLB Zennevallei'."""
    organisation('clb', 'CLB Zennevallei', '131442')  # as in the IAC example case
    create_user('lotte', role='clb-medewerker', organisation='CLB Zennevallei')
    return login(client, 'lotte')


@pytest.fixture
def new_case(clb_client, session) -> int:
    """Return the id of a case just started: "Nieuw dossier", then "Bewaren en sluiten" on the empty step 1."""
    response = submit(clb_client, '/cases/nieuw', action='bewaren')
    assert response.status_code == 302
    return int(response.headers['Location'].split('/')[2])


@pytest.fixture
def iac_doc() -> dict:
    """Return an IAC example case whose CLB is 'CLB Zennevallei'."""
    return copy.deepcopy(next(d for d in example_cases().values()
                              if (d.get('verslag') or {}).get('soort') == 'iac'
                              and d['clb']['naam'] == 'CLB Zennevallei'))


@pytest.fixture
def iac_case(create_case, iac_doc) -> Case:
    """Return the stored IAC example case (imported, so never walked through the wizard)."""
    return create_case(iac_doc)


@pytest.fixture
def csrf_client(database_url, tmp_path):
    """Return a client of an app with CSRF protection on, as in production."""
    # The second factor is optional here, as in every test app: these tests are about the form token.
    app = create_app({'TESTING': True, 'DATABASE_URL': database_url, 'SECRET_KEY': 'csrf-test',
                      'TRAJECT_MFA': 'optional'})
    app.instance_path = str(tmp_path / 'instance')
    yield app.test_client()
    empty_database(app)
