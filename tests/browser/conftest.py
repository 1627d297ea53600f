"""Browser tests: the real app on a loopback port, driven by Playwright in Debian's Chromium, checked by axe-core."""
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.helpers import empty_database
from webapp import create_app


CHROMIUM = '/usr/bin/chromium'
AXE = Path(__file__).parent / 'node_modules' / 'axe-core' / 'axe.min.js'


@pytest.fixture
def live_app(database_url, tmp_path):
    """Return the app as served to the browser: CSRF on, like in production."""
    app = create_app({'TESTING': True, 'DATABASE_URL': database_url, 'SECRET_KEY': 'browser-test'})
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
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
            '--disable-sync', '--no-first-run', '--disable-quic'])
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
    page.add_script_tag(path=str(AXE))
    result = page.evaluate('async () => await axe.run(document, {resultTypes: ["violations"]})')
    return [{'id': v['id'], 'impact': v['impact'], 'help': v['help'],
             'nodes': [n['target'] for n in v['nodes']][:5]}
            for v in result['violations'] if v['impact'] in impacts]


def login(page, base_url: str, username: str, password: str) -> None:
    """Log in through the real form."""
    page.goto(base_url + '/login')
    page.fill('#username', username)
    page.fill('#password', password)
    page.click('#login-submit')
