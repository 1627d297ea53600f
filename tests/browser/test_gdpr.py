"""The pupil's data in the browser: the hand-over ZIP from the case page, and deleting a case after confirmation."""
import io
import json
import zipfile

from tests.browser.conftest import axe_violations, iac_example, login, seed, submit


def test_a_clb_worker_hands_the_data_over_and_deletes_the_case(live_app, live_server, page, clb_user, tmp_path):
    doc = iac_example()
    (case_id,) = seed(live_app, doc)
    login(page, live_server, *clb_user)
    page.goto(f'{live_server}/cases/{case_id}')
    section = page.locator('#gegevens')
    assert section.is_visible()
    page.screenshot(path=tmp_path / 'case-page.png', full_page=True)
    section.screenshot(path=tmp_path / 'case-page-gegevens.png')

    with page.expect_download() as download:
        page.click('#gdpr-export')
    archive = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))
    assert download.value.suggested_filename == f'dossier-{case_id}-gegevens.zip'
    assert json.loads(archive.read('dossier.json')) == doc
    assert 'Dit dossier heeft geen definitieve versies' in archive.read('LEESMIJ.txt').decode('utf-8')

    submit(page, '#delete-case')
    assert page.locator('h1').inner_text().startswith('Dossier van')
    assert axe_violations(page) == []
    submit(page, '#confirm-delete')  # without ticking the box: nothing happens but a message
    assert 'Vink het vakje aan om het verwijderen te bevestigen.' in page.locator('#error-summary').inner_text()
    assert axe_violations(page) == []
    page.screenshot(path=tmp_path / 'delete-error.png', full_page=True)
    page.set_viewport_size({'width': 375, 'height': 812})  # on a phone the page reads without sideways scrolling
    assert page.evaluate('() => document.documentElement.scrollWidth') <= 375
    page.screenshot(path=tmp_path / 'delete-error-375.png', full_page=True)
    page.set_viewport_size({'width': 1280, 'height': 900})
    page.check('#bevestig')
    submit(page, '#confirm-delete')
    assert page.url == live_server + '/'
    assert 'Het dossier is verwijderd.' in page.inner_text('main')
    assert doc['leerling']['achternaam'] not in page.inner_text('main')
    page.screenshot(path=tmp_path / 'after-delete.png', full_page=True)
    assert page.goto(f'{live_server}/cases/{case_id}').status == 404
