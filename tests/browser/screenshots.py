"""Screenshots of the whole wizard, for a person to look at (not a test).

Usage: .venv/bin/python -m tests.browser.screenshots OUTDIR

Loads the demo cases into a throw-away SQLite database, serves the app on a loopback port and saves, at 1280 and at
375 px wide: the case list, the case page, every step of an IAC case (and a step with errors), Nalezen, the live
preview of the verslag and the samenwerking wizard; and the first pages of the verslag PDF.
"""
import json
import logging
import secrets
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from werkzeug.serving import make_server

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, login, submit
from webapp import create_app, db
from webapp.wizard.steps import CASE_FLOW, SAMENWERKING_FLOW


DEMO_DIR = Path(__file__).resolve().parents[2] / 'webapp' / 'demo'
WIDTHS = {1280: 900, 375: 812}  # width: height of the window
USER = 'demo'


def seed(app, password: str) -> tuple[int, int]:
    """Import the demo records and create the account; return the ids of a case with every step and the samenwerking."""
    from webapp.models import Case
    from webapp.services.cases import import_document
    from webapp.services.users import create_user
    with app.app_context():
        db.upgrade()
        session = db.session()
        case_id = samenwerking_id = None
        for path in sorted(DEMO_DIR.glob('*.json')):
            doc = json.loads(path.read_text(encoding='utf-8'))
            item = import_document(session, doc)
            if doc['formaat'] == 'traject-samenwerking/1':
                samenwerking_id = item.id
            elif len(CASE_FLOW.available(doc)) == len(CASE_FLOW.steps) and case_id is None:
                case_id = item.id  # an IAC case with onderzoek and leersteun: every step applies
        # A CLB worker of the case's own CLB: the access policy shows a beheerder no case data.
        clb = session.get(Case, case_id).data['clb']['naam']
        create_user(session, USER, password, role='clb-medewerker', organisation=clb, display_name='Demo (CLB)')
        session.commit()
    return case_id, samenwerking_id


def shoot(page, outdir: Path, width: int, number: int, name: str, url: str | None = None) -> None:
    """Open `url` (if given) and save a full-page screenshot as <width>-<number>-<name>.png."""
    if url:
        page.goto(url)
    page.wait_for_load_state('load')
    page.screenshot(path=outdir / f'{width}-{number:02d}-{name}.png', full_page=True)


def pdf_pages(page, outdir: Path, url: str) -> None:
    """Download the PDF at `url` with the page's login and save its first two pages as PNG."""
    response = page.context.request.get(url)
    assert response.ok, (url, response.status)
    pdf = outdir / 'verslag.pdf'
    pdf.write_bytes(response.body())
    subprocess.run(['pdftoppm', '-png', '-r', '70', '-f', '1', '-l', '2', str(pdf), str(outdir / 'pdf-verslag')],
                   check=True)


def take_all(browser, base: str, password: str, case_id: int, samenwerking_id: int, outdir: Path) -> None:
    """Save every screenshot at every width."""
    case = f'{base}/cases/{case_id}'
    for width, height in WIDTHS.items():
        context = browser.new_context(viewport={'width': width, 'height': height}, locale='nl-BE',
                                      is_mobile=width < 600, has_touch=width < 600, device_scale_factor=1)
        page = context.new_page()
        page.set_default_timeout(30000)
        shoot(page, outdir, width, 0, 'login', f'{base}/login')
        login(page, base, USER, password)
        shoot(page, outdir, width, 1, 'case-list')
        shoot(page, outdir, width, 2, 'case-page', case)
        number = 3
        for step in CASE_FLOW.names:
            shoot(page, outdir, width, number, f'step-{step}', f'{case}/steps/{step}')
            number += 1
        shoot(page, outdir, width, number, 'preview-verslag', f'{case}/preview/verslag')
        # A long text near its limit: the live counter under the box.
        page.goto(f'{case}/steps/intake')
        page.fill('#voorgeschiedenis', ('Logopedie sinds het eerste leerjaar. ' * 300)[:9_600])
        page.locator('#voorgeschiedenis-count').scroll_into_view_if_needed()
        page.screenshot(path=outdir / f'{width}-{number:02d}-counter.png')
        page.fill('#voorgeschiedenis', '')
        shoot(page, outdir, width, number, 'finalize-question', f'{case}/definitief')
        # The same step in French (the header's language button keeps the draft first).
        page.goto(f'{case}/steps/strategie')
        submit(page, 'button[lang="fr"]')
        shoot(page, outdir, width, number, 'step-strategie-fr')
        submit(page, 'button[lang="nl"]')
        # A new case, "Volgende" on an empty first step: the error summary and the messages beside the fields.
        page.goto(f'{base}/')
        submit(page, '#new-case')
        submit(page, '#btn-volgende')
        shoot(page, outdir, width, number + 1, 'errors')
        item = f'{base}/samenwerkingen/{samenwerking_id}'
        shoot(page, outdir, width, number + 2, 'samenwerking-list', f'{base}/samenwerkingen')
        for offset, step in enumerate(SAMENWERKING_FLOW.names, start=number + 3):
            shoot(page, outdir, width, offset, f'samenwerking-{step}', f'{item}/steps/{step}')
        if width == 1280:
            pdf_pages(page, outdir, f'{case}/documents/verslag.pdf')
        context.close()


def main(argv: list[str]) -> int:
    """Seed, serve, photograph; print where the files are."""
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright
    logging.getLogger('werkzeug').setLevel(logging.WARNING)  # one line per request would bury the result
    outdir = Path(argv[0])
    outdir.mkdir(parents=True, exist_ok=True)
    password = secrets.token_urlsafe(16)
    with tempfile.TemporaryDirectory(prefix='traject-screens-') as tmp:
        app = create_app({'DATABASE_URL': f'sqlite:///{tmp}/demo.db', 'SECRET_KEY': secrets.token_hex(16),
                          'TRAJECT_MFA': 'optional'})  # as for the local demo: the screens start after the login
        app.instance_path = tmp
        case_id, samenwerking_id = seed(app, password)
        server = make_server('127.0.0.1', 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    take_all(browser, f'http://127.0.0.1:{server.server_port}', password, case_id, samenwerking_id,
                             outdir)
                finally:
                    browser.close()
        finally:
            server.shutdown()
            thread.join(5)
            db.get_engine(app).dispose()
    print(f'{len(list(outdir.glob("*.png")))} screenshots in {outdir}')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
