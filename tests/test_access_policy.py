"""The access policy as a table test: every route of the app × every role of two organisations × their records.

The expected status comes from the policy itself (webapp.access): anonymous → the login page, a role the action is
not for → 403, a record the user's organisation may not see (or that does not exist) → 404, otherwise the page works.
A route missing from the policy's ROUTES fails here, and so does an entry for a route that no longer exists.
"""
import copy

import pytest

from tests.conftest import PASSWORD
from tests.helpers import example_cases
from webapp.access import CASE_ROLES, PUBLIC, ROLES, ROUTES, permits
from webapp.auth import HALF_LOGIN_ROUTES
from webapp.models import User
from webapp.services import grants
from webapp.services import links
from webapp.services.cases import finalize_case, finalize_samenwerking, get_organisation, import_document
from webapp.services.users import create_user


MISSING = 999999
# Routes whose record is a samenwerking (item_id), not a case.
SAMENWERKING_ROUTES = {'cases.show_samenwerking', 'cases.download_samenwerking', 'samenwerking.edit_step',
                       'samenwerking.preview_samenwerking', 'versions.download_samenwerking_version',
                       'versions.compare_samenwerking_versions', 'versions.finalize_samenwerking',
                       'versions.reopen_samenwerking'}


def test_every_route_is_in_the_policy_and_every_policy_route_exists(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert not endpoints - ROUTES.keys(), f'routes the access policy does not cover: {sorted(endpoints - ROUTES.keys())}'
    assert not ROUTES.keys() - endpoints, f'policy entries without a route: {sorted(ROUTES.keys() - endpoints)}'


def test_every_action_of_the_routes_is_in_the_policy_table():
    from webapp.access import POLICY
    assert {action for action in ROUTES.values() if action != PUBLIC} <= POLICY.keys()


def _organisations(doc: dict) -> dict[str, dict]:
    return {'clb': doc['clb'], 'school': doc['school'], 'leersteuncentrum': doc['leersteuncentrum']}


@pytest.fixture
def world(app, session):
    """Two organisations' worlds, A and B: each a case, a samenwerking and an account for every role."""
    cases = [d for d in example_cases().values() if d.get('leersteuncentrum') and d.get('verslag')]
    samenwerking = next(iter(example_cases('traject-samenwerking/1').values()))
    found = {}
    for name, doc in zip('AB', cases[:2]):
        case = import_document(session, copy.deepcopy(doc))
        if name == 'A':
            grants.grant(session, case, actor='test')  # A's leersteuncentrum may see A's case; B's does not see B's
        item = import_document(session, {**copy.deepcopy(samenwerking), 'id': f'samenwerking-{name}',
                                         **copy.deepcopy(_organisations(doc))})
        # Final, so version 1 exists: the routes with a version number (number=1 below) find it for the owners.
        finalize_case(session, case, actor='test')
        finalize_samenwerking(session, item, actor='test')
        users = {}
        for role in ROLES:
            kind = {'clb-medewerker': 'clb', 'clb-arts': 'clb', 'clb-directeur': 'clb', 'zorgcoordinator': 'school',
                    'leerondersteuner': 'leersteuncentrum', 'beheerder': 'clb'}[role]
            org = get_organisation(session, kind, doc[kind])
            username = f'{role}-{name}'.lower()
            create_user(session, username, PASSWORD, role=role, organisation=org.instellingsnummer or org.naam)
            users[role] = username
        found[name] = {'case': case.id, 'samenwerking': item.id, 'users': users, 'doc': doc}
    # A parents' link of a final case of A's organisation: its pages are public, the token is the key.
    shared = import_document(session, {**copy.deepcopy(cases[0]), 'id': 'gedeeld-A'})
    finalize_case(session, shared, actor='test')
    if links.refusal(shared, 1) is None:
        found['A']['token'] = links.create_link(session, shared, 1, actor='test')[1]
    session.commit()
    for name in 'AB':  # the account a beheerder's pages are asked about: a colleague in that organisation
        found[name]['account'] = session.query(User).filter_by(username=f'clb-medewerker-{name}'.lower()).one().id
    return found


def _url(rule, record_id: int) -> str:
    values = {}
    for argument in rule.arguments:
        values[argument] = {
            'case_id': record_id, 'item_id': record_id, 'user_id': record_id, 'fmt': 'pdf', 'step': 'intake', 'lang': 'nl',
            'kind': 'samenwerkingsafspraken' if rule.endpoint in SAMENWERKING_ROUTES else 'verslag',
            'filename': 'app.css', 'job_id': record_id, 'number': 1,  # version 1: the world's records are final
        }.get(argument, 1)
    if rule.endpoint == 'samenwerking.edit_step':
        values['step'] = 'partijen'
    return rule.build(values, append_unknown=False)[1]


def _method(rule) -> str:
    return 'get' if 'GET' in rule.methods else 'post'


def _expected(user: User | None, action: str, visible: bool | None) -> str:
    """Return what the policy says should happen: 'login', 'forbidden', 'not-found' or 'ok'."""
    if action == PUBLIC:
        return 'ok'
    if user is None:
        return 'login'
    if not permits(user, action):
        return 'forbidden'
    if visible is False:
        return 'not-found'
    return 'ok'


def _outcome(response) -> str:
    if response.status_code == 302 and response.headers['Location'].startswith('/login'):
        return 'login'
    if response.status_code == 403:
        return 'forbidden'
    if response.status_code == 404:
        return 'not-found'
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    return 'ok'


def _records(rule, world) -> list[tuple[int | None, str | None]]:
    """Return (record id, whose) pairs for the rule: A's, B's and a missing one, or one call without a record."""
    if 'case_id' in rule.arguments:
        return [(world['A']['case'], 'A'), (world['B']['case'], 'B'), (MISSING, None)]
    if 'item_id' in rule.arguments:
        return [(world['A']['samenwerking'], 'A'), (world['B']['samenwerking'], 'B'), (MISSING, None)]
    if 'user_id' in rule.arguments:
        return [(world['A']['account'], 'A'), (world['B']['account'], 'B'), (MISSING, None)]
    if 'job_id' in rule.arguments:
        return [(MISSING, None)]  # a bulk job is its starter's alone: tests/jobs/test_bulk.py
    if 'token' in rule.arguments:
        return [(world['A']['token'], 'A'), ('x' * 43, None)]  # a parents' link: a live token and a made-up one
    return [(None, None)]


def test_every_route_answers_every_role_as_the_policy_says(app, world, session, monkeypatch):
    assert 'token' in world['A'], 'the shared example case must be able to get a parents\' link'
    # The table asks the made-up token dozens of times from one address; guessing throttles are tested elsewhere.
    monkeypatch.setattr(links, 'GUESS_LIMIT', 10_000)
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint != 'auth.logout']
    accounts = [(None, None)] + [(world[name]['users'][role], name) for name in 'AB'
                                 for role in ('leerondersteuner',) + tuple(r for r in ROLES if r != 'leerondersteuner')]
    wrong = []
    for username, home in accounts:
        client = app.test_client()
        user = None
        if username:
            assert client.post('/login', data={'username': username, 'password': PASSWORD}).status_code == 302
            user = session.query(User).filter_by(username=username).one()
            session.expunge(user)
            session.rollback()
        for rule in rules:
            for record_id, whose in _records(rule, world):
                url = _url(rule, record_id if record_id is not None else 1)
                visible = None if whose is None and record_id is None else whose == home
                if 'token' in rule.arguments:
                    url = rule.build({'token': record_id}, append_unknown=False)[1]
                if user is not None and user.role == 'leerondersteuner' and 'case_id' in rule.arguments:
                    visible = visible and whose == 'A'  # only A's case was granted to its leersteuncentrum
                if rule.endpoint in SAMENWERKING_ROUTES | {'cases.show_samenwerking'} and user is not None \
                        and whose is not None:
                    visible = whose == home and user.role in CASE_ROLES
                want = _expected(user, ROUTES[rule.endpoint], visible)
                if rule.endpoint in HALF_LOGIN_ROUTES and user is None:
                    want = 'login'  # public, but only for a login whose password was right: nobody else gets in
                if 'token' in rule.arguments:
                    want = 'ok' if whose else 'not-found'  # anyone with a live link, nobody with a made-up one
                response = getattr(client, _method(rule))(url, data={})
                got = _outcome(response)
                response.close()
                if got != want:
                    wrong.append(f'{username or "anonymous"} {_method(rule).upper()} {url}: {got}, policy says {want}')
    assert not wrong, '\n'.join(wrong)


def test_logout_needs_a_login_and_ends_it(client, create_user):
    assert client.post('/logout').headers['Location'].startswith('/login')
    create_user()
    client.post('/login', data={'username': 'medewerker', 'password': PASSWORD})
    assert client.get('/').status_code == 200
    client.post('/logout')
    assert client.get('/').headers['Location'].startswith('/login')


def test_a_route_missing_from_the_policy_is_refused(database_url):
    from webapp import create_app
    app = create_app({'TESTING': True, 'DATABASE_URL': database_url, 'SECRET_KEY': 'test'})
    app.add_url_rule('/extra', 'extra', lambda: 'open')
    assert 'extra' not in ROUTES
    response = app.test_client().get('/extra')
    assert response.status_code == 404 and 'open' not in response.get_data(as_text=True)
