"""Browser tests: the real app on a loopback port, driven by Playwright in Debian's Chromium, checked by axe-core."""
import copy
import io
import re
import subprocess
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import PASSWORD
from tests.helpers import empty_database, example_cases
from webapp import create_app, db


CHROMIUM = '/usr/bin/chromium'
AXE = Path(__file__).parent / 'node_modules' / 'axe-core' / 'axe.min.js'
# Root in a container: no sandbox; and nothing fetched from the internet behind the tests' back.
CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
                 '--disable-sync', '--no-first-run', '--disable-quic']


@pytest.fixture
def live_app(database_url, tmp_path):
    """Return the app as served to the browser: CSRF on, like in production."""
    app = create_app({'TESTING': True, 'DATABASE_URL': database_url, 'SECRET_KEY': 'browser-test',
                      'TRAJECT_MFA': 'optional'})
    app.instance_path = str(tmp_path / 'instance')
    yield app
    empty_database(app)


@pytest.fixture
def live_server(live_app):
    """Serve `live_app` on a free loopback port in a thread; yield its base URL."""
    server = make_server('127.0.0.1', 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f'http://127.0.0.1:{server.server_port}'
    server.shutdown()
    thread.join(5)


@pytest.fixture(scope='session')
def browser():
    """Launch Debian's Chromium once for the session (no browser download: executable_path is fixed)."""
    from playwright.sync_api import sync_playwright
    if not Path(CHROMIUM).exists():
        pytest.fail('Chromium ontbreekt: make test-deps installeert het Debian-pakket chromium.')
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """Return a fresh page (its own cookies) at desktop width; downloads allowed."""
    context = browser.new_context(viewport={'width': 1280, 'height': 900}, accept_downloads=True, locale='nl-BE')
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def axe_violations(page, impacts=('serious', 'critical')) -> list[dict]:
    """Run axe-core on the page and return the violations of the given impact levels."""
    if not AXE.exists():
        pytest.fail('axe-core ontbreekt: make test-deps installeert het (npm ci in tests/browser).')
    # Evaluated through the DevTools protocol: the page's Content-Security-Policy forbids an inline <script>.
    if not page.evaluate('() => typeof axe !== "undefined"'):
        page.evaluate(AXE.read_text(encoding='utf-8'))
    result = page.evaluate('async () => await axe.run(document, {resultTypes: ["violations"]})')
    return [{'id': v['id'], 'impact': v['impact'], 'help': v['help'],
             'nodes': [n['target'] for n in v['nodes']][:5]}
            for v in result['violations'] if v['impact'] in impacts]


def login(page, base_url: str, username: str, password: str) -> None:
    """Log in through the real form and wait for the page it leads to."""
    page.goto(base_url + '/login')
    submit_login(page, username, password)


def submit_login(page, username: str, password: str) -> None:
    """Fill in the login form already on the page (keeping its ?next=) and wait for the page it leads to."""
    page.fill('#username', username)
    page.fill('#password', password)
    submit(page, '#login-submit')


def submit(page, selector: str) -> None:
    """Click the submit button `selector` and wait until the page it leads to has loaded."""
    with page.expect_navigation():
        page.click(selector)


# Seeded accounts and records

CLB = {'naam': 'CLB Zennevallei', 'instellingsnummer': '131442'}  # the CLB of the IAC walkthrough and example


@pytest.fixture
def clb_user(live_app) -> tuple[str, str]:
    """Create 'lotte', a CLB worker of CLB Zennevallei (her organisation first); return (username, password)."""
    from webapp.services.cases import get_organisation
    from webapp.services.users import create_user
    with live_app.app_context():
        session = db.session()
        get_organisation(session, 'clb', CLB)
        create_user(session, 'lotte', PASSWORD, role='clb-medewerker', organisation=CLB['naam'], display_name='Lotte Hermans')
        session.commit()
    return 'lotte', PASSWORD


@pytest.fixture
def beheerder(live_app) -> tuple[str, str]:
    """Create 'lies', a colleague of Lotte at CLB Zennevallei; return (username, password)."""
    from webapp.services.cases import get_organisation
    from webapp.services.users import create_user
    with live_app.app_context():
        session = db.session()
        get_organisation(session, 'clb', CLB)
        create_user(session, 'lies', PASSWORD, role='clb-medewerker', organisation=CLB['naam'], display_name='Lies')
        session.commit()
    return 'lies', PASSWORD


def iac_example() -> dict:
    """Return a copy of an IAC example case with a leersteuncentrum and onderzoek: every step of the wizard applies."""
    return copy.deepcopy(next(doc for doc in example_cases().values()
                              if (doc.get('verslag') or {}).get('soort') == 'iac' and doc.get('leersteuncentrum')
                              and (doc.get('traject') or {}).get('strategie', {}).get('onderzoek_nodig')))


def seed(app, *docs: dict) -> list[int]:
    """Import case or samenwerking documents into the live app's database; return their ids."""
    from webapp.services.cases import import_document
    with app.app_context():
        session = db.session()
        ids = [import_document(session, doc).id for doc in docs]
        session.commit()
    return ids


def case_id_of(url: str) -> int:
    """Return the case id in a case or step URL."""
    return int(re.search(r'/cases/(\d+)', url)[1])


def stored_case(app, case_id: int) -> dict:
    """Return the case document as stored now (read in a short transaction of its own)."""
    from webapp.models import Case
    with app.app_context():
        return copy.deepcopy(db.session().get(Case, case_id).data)


# Filling in a step like a user

def _rows_of(name: str) -> list[tuple[str, str]]:
    """Return (list id, row id) for every list row the input `name` lives in, outermost first.

    'doelen-0-evaluaties-1-datum' lives in row 'doelen-0' of list 'doelen', and in row 'doelen-0-evaluaties-1' of
    list 'doelen-0-evaluaties'.
    """
    parts = name.split('-')
    return [('-'.join(parts[:i]), '-'.join(parts[:i + 1])) for i in range(1, len(parts)) if parts[i].isdigit()]


def add_rows(page, names) -> None:
    """Press a list's "toevoegen" button until every row the inputs `names` live in is on the page."""
    for name in names:
        for list_id, row_id in _rows_of(name):
            for _attempt in range(10):
                if page.locator(f'[id="{row_id}-row"]').count():
                    break
                submit(page, f'[id="{list_id}-add"]')
            else:
                pytest.fail(f'Rij {row_id} verschijnt niet na "toevoegen".')


def _iso(value: str) -> str:
    # IAC_CASE types some dates the Belgian way (for the server-side walk); a date input holds an ISO value.
    found = re.fullmatch(r'(\d{1,2})/(\d{1,2})/(\d{4})', value)
    return f'{found[3]}-{int(found[2]):02d}-{int(found[1]):02d}' if found else value


def fill_step(page, values: dict[str, str]) -> None:
    """Add the rows the values need, then type, choose and tick each value into the input of that name."""
    add_rows(page, values)
    for name, value in values.items():
        target = page.locator(f'[name="{name}"]')
        if target.count() == 0:
            pytest.fail(f'Geen invoerveld "{name}" op {page.url}')
        kind = target.first.evaluate('e => e.tagName === "INPUT" ? e.type : e.tagName.toLowerCase()')
        if kind == 'select':
            target.select_option(value)
        elif kind == 'radio':
            page.locator(f'[name="{name}"][value="{value}"]').check()
        elif kind == 'checkbox':
            target.set_checked(value not in ('', 'n', 'nee'))
        elif kind == 'date':
            target.fill(_iso(value))
        else:
            target.fill(value)


def field_values(page, names) -> dict[str, str]:
    """Return {name: current value} of the inputs `names` (a radio group: the checked value, or '')."""
    out = {}
    for name in names:
        target = page.locator(f'[name="{name}"]')
        out[name] = target.first.evaluate(
            '(e, name) => e.type === "radio" ? (document.querySelector(`[name="${name}"]:checked`) || {}).value || "" '
            ': e.value', name)
    return out


def expected_values(values: dict[str, str]) -> dict[str, str]:
    """Return `values` as the inputs show them again (dates in ISO form)."""
    return {name: _iso(value) for name, value in values.items()}


# What a downloaded document says

def pdf_text(data: bytes) -> str:
    """Return the text of a PDF, one space between words (pdftotext -raw keeps a table cell's lines together)."""
    text = subprocess.run(['pdftotext', '-raw', '-enc', 'UTF-8', '-', '-'], input=data, capture_output=True,
                          check=True).stdout.decode()
    # WeasyPrint hyphenates with U+2010 at a line end; join those words again before searching.
    return ' '.join(re.sub('[\u2010\u00ad]\n', '', text).split())


def docx_text(data: bytes) -> str:
    """Return the text of a DOCX: body paragraphs, table cells (nested too), headers and footers."""
    import docx
    document = docx.Document(io.BytesIO(data))

    def walk(container):
        for paragraph in container.paragraphs:
            yield paragraph.text
        for table in getattr(container, 'tables', ()):
            for row in table.rows:
                for cell in row.cells:
                    yield from walk(cell)

    parts = list(walk(document))
    for section in document.sections:
        parts += [*walk(section.header), *walk(section.footer)]
    return ' '.join(' '.join(parts).split())
