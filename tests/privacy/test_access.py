"""Who may see and change which case: every role against cases of its own organisation, of another one and of none.

Issue 12 rewrites the access layer: roles get new names and a leersteuncentrum sees a case only once the school or
the CLB grants it. Both live in the first lines below (ROLE and the `grant` fixture), so that one edit there adapts
every test in this module.
"""
import copy
import re

import pytest
from sqlalchemy import func, select

from tests.conftest import PASSWORD
from tests.helpers import example_cases
from tests.wizard.helpers import read_form, stored, step_url
from webapp.models import Organisation, User
from webapp.services.cases import create_case as start_case
from webapp.services.cases import new_case_document


# The access policy's role names, by what they stand for.
ROLE = {'beheerder': 'beheerder', 'clb': 'clb-medewerker', 'school': 'zorgcoordinator',
        'leersteuncentrum': 'leerondersteuner'}


@pytest.fixture
def grant(session):
    """Return grant(case_id): let the leersteuncentrum named in the case see it (the school or the CLB grants it)."""
    from webapp.models import Case
    from webapp.services import grants

    def _grant(case_id: int) -> None:
        case = session.get(Case, case_id)
        if case.leersteuncentrum_id is not None:
            grants.grant(session, case, actor='test')
        session.commit()
    return _grant


# ---------- Three cases: ours, someone else's, and one with no leersteuncentrum ----------

OURS = {'school': 'Basisschool Eigen', 'clb': 'CLB Eigen', 'leersteuncentrum': 'Leersteuncentrum Eigen'}
THEIRS = {'school': 'Basisschool Ander', 'clb': 'CLB Ander', 'leersteuncentrum': 'Leersteuncentrum Ander'}
NONE = {'school': 'Basisschool Zonder', 'clb': 'CLB Zonder', 'leersteuncentrum': None}


def _template() -> dict:
    # An example with leersteunafspraken, so every role has a step it may open.
    return next(doc for _name, doc in sorted(example_cases().items()) if doc.get('leersteun'))


def case_doc(parties: dict, voornaam: str) -> dict:
    """Return a valid case of the example kind, with these organisations (names only) and this first name."""
    doc = copy.deepcopy(_template())
    doc['id'] = f'toegang-{voornaam}'
    doc['leerling']['voornaam'] = voornaam
    doc.pop('toestemmingen', None)  # consents name the pupil; they play no part in access
    doc['school'] = {'naam': parties['school'], 'soort': doc['school']['soort']}
    doc['clb'] = {'naam': parties['clb']}
    if parties['leersteuncentrum']:
        doc['leersteuncentrum'] = {'naam': parties['leersteuncentrum']}
    else:
        doc.pop('leersteuncentrum', None)
    return doc


def store(session, create_case, doc: dict) -> int:
    """Import `doc` and return its id, with the test's transaction ended (SQLite: the app must be able to write)."""
    case_id = create_case(doc).id
    session.rollback()
    return case_id


@pytest.fixture
def three_cases(session, create_case, grant) -> dict[str, int]:
    """Return the ids of the cases 'ours', 'theirs' and 'none' (no leersteuncentrum), each granted where it can be."""
    cases = {'ours': store(session, create_case, case_doc(OURS, 'Eigenkind')),
             'theirs': store(session, create_case, case_doc(THEIRS, 'Anderkind')),
             'none': store(session, create_case, case_doc(NONE, 'Zonderkind'))}
    for case_id in cases.values():
        grant(case_id)
    return cases


def login(client, username: str) -> None:
    response = client.post('/login', data={'username': username, 'password': PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]


def what_user_sees(client, cases: dict[str, int]) -> set[str]:
    """Return the names of the cases the user sees: in the list, on the case page and in the JSON export alike."""
    page = client.get('/').get_data(as_text=True)
    seen = set()
    for name, case_id in cases.items():
        listed = f'href="/cases/{case_id}"' in page
        shown = client.get(f'/cases/{case_id}').status_code
        exported = client.get(f'/cases/{case_id}/export.json').status_code
        # 403: the role may not see case pages at all (a beheerder, an unknown role); 404: not this organisation's.
        assert shown in (200, 403, 404) and exported in (200, 403, 404)
        assert listed == (shown == 200) == (exported == 200), (name, listed, shown, exported)
        if listed:
            seen.add(name)
    return seen


@pytest.mark.parametrize('role, organisation, sees', [
    ('beheerder', OURS['clb'], set()),  # a beheerder manages accounts and sees no case data by that role alone
    ('clb', OURS['clb'], {'ours'}),
    ('school', OURS['school'], {'ours'}),
    ('leersteuncentrum', OURS['leersteuncentrum'], {'ours'}),
])
def test_each_role_sees_only_the_cases_of_its_organisation(client, three_cases, create_user, role, organisation,
                                                           sees):
    create_user('iemand', role=ROLE[role], organisation=organisation)
    login(client, 'iemand')
    assert what_user_sees(client, three_cases) == sees


@pytest.mark.parametrize('role', ['clb', 'school', 'leersteuncentrum'])
def test_a_user_without_an_organisation_sees_nothing(client, three_cases, session, role):
    # create_user refuses this, but an organisation can be unset later (or a row be made by hand): the scope must
    # then match nothing, not every case whose organisation column is empty too.
    user = User(username='los', display_name='Los', role=ROLE[role], organisation_id=None)
    user.set_password(PASSWORD)
    session.add(user)
    session.commit()
    new = start_case(session, new_case_document(), actor='test').id  # no school, CLB or leersteuncentrum yet
    session.commit()
    cases = {**three_cases, 'new': new}
    login(client, 'los')
    assert what_user_sees(client, cases) == set()
    page = client.get('/').get_data(as_text=True)
    assert 'Eigenkind' not in page and 'Zonderkind' not in page and 'Anderkind' not in page
    assert re.search(r'href="/cases/\d', page) is None


def test_a_user_with_an_unknown_role_sees_nothing(client, three_cases, session):
    # A role the access policy does not know (a row left behind by a renaming, say) must match no case at all.
    org = session.scalar(select(Organisation).where(Organisation.naam == OURS['school']))
    user = User(username='vreemd', display_name='Vreemd', role='ouder', organisation_id=org.id)
    user.set_password(PASSWORD)
    session.add(user)
    session.commit()
    login(client, 'vreemd')
    assert what_user_sees(client, three_cases) == set()


# ---------- Samenwerkingen: the same scopes ----------

def samenwerking_doc(parties: dict, schooljaar: str) -> dict:
    """Return a valid samenwerking between these organisations (names only)."""
    doc = copy.deepcopy(next(iter(example_cases('traject-samenwerking/1').values())))
    doc.update(id=f'samenwerking-{schooljaar}', schooljaar=schooljaar,
               school={'naam': parties['school'], 'soort': doc['school']['soort']},
               clb={'naam': parties['clb']}, leersteuncentrum={'naam': parties['leersteuncentrum']})
    return doc


@pytest.mark.parametrize('role, organisation, sees', [
    ('beheerder', OURS['clb'], set()),
    ('clb', OURS['clb'], {'ours'}),
    ('school', OURS['school'], {'ours'}),
    ('leersteuncentrum', OURS['leersteuncentrum'], {'ours'}),
])
def test_each_role_sees_only_the_samenwerkingen_of_its_organisation(client, session, create_case, create_user, role,
                                                                    organisation, sees):
    items = {'ours': store(session, create_case, samenwerking_doc(OURS, '2026-2027')),
             'theirs': store(session, create_case, samenwerking_doc(THEIRS, '2025-2026'))}
    create_user('iemand', role=ROLE[role], organisation=organisation)
    login(client, 'iemand')
    listed = client.get('/samenwerkingen').get_data(as_text=True)
    seen = set()
    for name, item_id in items.items():
        shown = client.get(f'/samenwerkingen/{item_id}').status_code
        assert shown in (200, 403, 404)
        assert (f'/samenwerkingen/{item_id}"' in listed) == (shown == 200), name
        if shown == 200:
            seen.add(name)
    assert seen == sees


# ---------- Who may change a case ----------

@pytest.mark.parametrize('role, organisation, step, field, saves', [
    ('clb', OURS['clb'], 'intake', 'voorgeschiedenis', True),
    ('school', OURS['school'], 'intake', 'voorgeschiedenis', True),
    ('leersteuncentrum', OURS['leersteuncentrum'], 'leersteun', 'leerondersteuner', False),
])
def test_who_may_save_a_step(client, three_cases, create_user, session, role, organisation, step, field, saves):
    case_id = three_cases['ours']
    create_user('iemand', role=ROLE[role], organisation=organisation)
    login(client, 'iemand')
    url = step_url(case_id, step)
    page = client.get(url)
    assert page.status_code == 200
    before = stored(session, case_id)
    response = client.post(url, data={**read_form(page.get_data(as_text=True)), field: f'Gewijzigd door {role}',
                                      'action': 'bewaren'})
    assert response.status_code == 302
    after = stored(session, case_id)
    part = after['traject'] if step == 'intake' else after['leersteun']
    if saves:
        assert response.headers['Location'] != url  # saved and sent on, not back to the step with a message
        assert part[field] == f'Gewijzigd door {role}'
    else:
        assert after == before


# ---------- One organisation, however its name is typed ----------

@pytest.mark.parametrize('kind', ['school', 'clb', 'leersteuncentrum'])
def test_names_that_differ_only_in_capitals_or_spacing_are_one_organisation(client, create_case, create_user, grant,
                                                                           session, kind):
    first = case_doc(OURS, 'Eigenkind')
    second = case_doc(OURS, 'Tweedekind')
    second['id'] = 'toegang-tweede'
    second[kind]['naam'] = '  ' + OURS[kind].upper().replace(' ', '   ') + ' '
    cases = {'first': store(session, create_case, first)}
    # The account first: it is found by the organisation's name, which the next import may spell differently.
    create_user('iemand', role=ROLE[kind], organisation=OURS[kind])
    cases['second'] = store(session, create_case, second)
    for case_id in cases.values():
        grant(case_id)
    count = session.scalar(select(func.count()).select_from(Organisation).where(Organisation.kind == kind))
    session.rollback()
    assert count == 1
    login(client, 'iemand')
    assert what_user_sees(client, cases) == {'first', 'second'}
