"""The case list in a real browser: login, the list, and no serious accessibility violations."""
from tests.browser.conftest import axe_violations, login
from tests.conftest import PASSWORD
from tests.helpers import example_cases
from webapp import db
from webapp.services.cases import import_document
from webapp.services.users import create_user


CLB = {'naam': 'CLB Zennevallei', 'instellingsnummer': '131442'}


def _seed(app):
    # Every example as a case of Lies's own CLB: a CLB worker sees the cases of her CLB.
    with app.app_context():
        session = db.session()
        for doc in example_cases().values():
            import_document(session, {**doc, 'clb': CLB})
        create_user(session, 'lies', PASSWORD, role='clb-medewerker', organisation=CLB['naam'], display_name='Lies')
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
