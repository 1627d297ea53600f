"""Fixtures in flaskr's style: app, client, runner; a real database (SQLite, or PostgreSQL from with_postgres)."""
import copy
import os

import pytest

from tests.helpers import empty_database, example_cases
from webapp import create_app, db


PASSWORD = 'een-lang-wachtwoord'


@pytest.fixture(scope='session')
def database_url(tmp_path_factory) -> str:
    """Return the test database: TRAJECT_TEST_DATABASE_URL (PostgreSQL run) or a fresh SQLite file."""
    url = os.environ.get('TRAJECT_TEST_DATABASE_URL')
    if not url:
        url = 'sqlite:///' + str(tmp_path_factory.mktemp('db') / 'traject-test.db')
    app = create_app({'TESTING': True, 'DATABASE_URL': url, 'SECRET_KEY': 'test'})
    with app.app_context():
        db.upgrade()
    db.get_engine(app).dispose()
    return url


@pytest.fixture
def app(database_url, tmp_path):
    """Return an app on the test database, emptied after the test."""
    app = create_app({'TESTING': True, 'DATABASE_URL': database_url, 'SECRET_KEY': 'test',
                      'WTF_CSRF_ENABLED': False, 'TRAJECT_MFA': 'optional'})
    app.instance_path = str(tmp_path / 'instance')
    yield app
    empty_database(app)


@pytest.fixture
def client(app):
    """Return a test client (CSRF off; test_csrf.py switches it on)."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """Return a CLI runner for `flask --app webapp ...` commands."""
    return app.test_cli_runner()


@pytest.fixture
def session(app):
    """Return the database session inside an app context."""
    with app.app_context():
        yield db.session()


@pytest.fixture
def dummy_case() -> dict:
    """Return a deep copy of the first example case (an IAC case when there is one)."""
    cases = example_cases()
    name = next((n for n, d in cases.items() if (d.get('verslag') or {}).get('soort') == 'iac'), next(iter(cases)))
    return copy.deepcopy(cases[name])


@pytest.fixture
def create_case(session):
    """Return a function that imports a case document and returns the stored Case."""
    from webapp.services.cases import import_document

    def _create(doc: dict):
        item = import_document(session, doc)
        session.commit()
        return item
    return _create


@pytest.fixture
def create_user(session, dummy_case):
    """Return a function that creates an account (default: a CLB worker of the dummy case's CLB).

    Without `organisation`, the account belongs to the dummy case's organisation of the role's kind (its CLB, its
    school or its leersteuncentrum), created if needed.
    """
    from webapp.access import ORGANISATION_KIND
    from webapp.services.cases import get_organisation
    from webapp.services.users import create_user as _create_user

    def _create(username='medewerker', role='clb-medewerker', organisation=None):
        if organisation is None:
            org = get_organisation(session, ORGANISATION_KIND[role] or 'clb',
                                   dummy_case[ORGANISATION_KIND[role] or 'clb'])
            organisation = org.instellingsnummer or org.naam
        user = _create_user(session, username, PASSWORD, role=role, organisation=organisation)
        session.commit()
        return user
    return _create


@pytest.fixture
def logged_in(client, create_user):
    """Return a client logged in as a CLB worker of the dummy case's CLB."""
    create_user()
    response = client.post('/login', data={'username': 'medewerker', 'password': PASSWORD})
    assert response.status_code == 302
    return client


def pytest_collection_modifyitems(config, items):
    """On the PostgreSQL pass (`make test` runs the suite twice), run the tests that use the database.

    The others (rendering, the case format, catalogs, the letter's languages) never touch a database: they ran on
    the SQLite pass, and a second run would only repeat it. The browser tests drive the same routes the test client
    covers on both databases; they run once, on SQLite.
    """
    if not os.environ.get('TRAJECT_TEST_DATABASE_URL'):
        return
    keep, drop = [], []
    for item in items:
        uses_database = 'database_url' in getattr(item, 'fixturenames', ())
        (keep if uses_database and not item.nodeid.startswith('tests/browser/') else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
