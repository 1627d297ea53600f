"""The case list in a real browser: login, the list, and no serious accessibility violations."""
from tests.browser.conftest import axe_violations, login
from tests.conftest import PASSWORD
from tests.helpers import example_cases
from webapp import db
from webapp.services.cases import import_document
from webapp.services.users import create_user


def _seed(app):
    with app.app_context():
        session = db.session()
        for doc in example_cases().values():
            import_document(session, doc)
        create_user(session, 'lies', PASSWORD, role='beheerder', display_name='Lies')
        session.commit()


def test_login_and_case_list_are_accessible(live_app, live_server, page):
    _seed(live_app)
    page.goto(live_server + '/')
    assert '/login' in page.url
    assert axe_violations(page) == []
    login(page, live_server, 'lies', PASSWORD)
    page.wait_for_selector('table.cases')
    for doc in example_cases().values():
        assert doc['leerling']['voornaam'] in page.inner_text('table.cases')
    assert axe_violations(page) == []
