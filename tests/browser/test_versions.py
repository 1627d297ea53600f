"""Frozen versions in the browser: finalise, start a new version, finalise again, read the list and the diff.

Set TRAJECT_SHOTS=DIR to keep screenshots of the case page's version list and of the diff page.
"""
import copy
import os
from pathlib import Path

from tests.browser.conftest import axe_violations, iac_example, login, seed, submit
from webapp import db
from webapp.models import Case
from webapp.services import cases as case_service


def _shot(page, name: str) -> None:
    if os.environ.get('TRAJECT_SHOTS'):
        Path(os.environ['TRAJECT_SHOTS']).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(os.environ['TRAJECT_SHOTS']) / f'{name}.png'), full_page=True)


def _finalise(page, base: str, case_id: int) -> None:
    page.goto(f'{base}/cases/{case_id}/definitief')
    submit(page, '#finalize-confirm')


def test_versions_list_download_and_diff(live_app, live_server, page, clb_user):
    doc = iac_example()
    [case_id] = seed(live_app, doc)
    login(page, live_server, *clb_user)
    _finalise(page, live_server, case_id)
    assert 'versie 1' in page.inner_text('.flash-success')
    page.goto(f'{live_server}/cases/{case_id}')
    submit(page, '#new-version')
    with live_app.app_context():  # the CLB worker changes one behoefte in the new version
        session = db.session()
        case = session.get(Case, case_id)
        changed = copy.deepcopy(case.data)
        old = changed['traject']['behoeften'][0]['formulering']
        changed['traject']['behoeften'][0]['formulering'] = old + ' Ook bij toetsen.'
        case_service.update_case(session, case, changed, actor='lotte')
        session.commit()
    _finalise(page, live_server, case_id)

    page.goto(f'{live_server}/cases/{case_id}#versies')
    rows = page.locator('table.version-list tbody tr')
    assert rows.count() == 2
    assert 'Versie 2' in rows.nth(0).inner_text() and 'Versie 1' in rows.nth(1).inner_text()
    assert axe_violations(page) == []
    _shot(page, 'case-versions')
    with page.expect_download() as info:
        page.click('#versie-1 a[href$="/versies/1/verslag.pdf"]')
    assert Path(info.value.path()).read_bytes().startswith(b'%PDF')
    assert info.value.suggested_filename.endswith('-v1.pdf')

    submit(page, '#compare-versions')
    assert page.inner_text('h1') == 'Wat veranderde van versie 1 naar versie 2'
    row = page.locator('table.diff tbody tr').first
    assert row.locator('th').inner_text().startswith('Behoefte 1')
    assert row.locator('td.diff-what').inner_text() == 'gewijzigd'
    assert row.locator('td.diff-old').inner_text() == old
    assert 'Ook bij toetsen.' in row.locator('td.diff-new ins').inner_text()
    assert axe_violations(page) == []
    _shot(page, 'diff')
    page.set_viewport_size({'width': 375, 'height': 812})
    _shot(page, 'diff-375')


def test_samenwerking_finalised_from_its_page_with_a_question_first(live_app, live_server, page, clb_user):
    from tests.helpers import example_cases
    doc = copy.deepcopy(next(iter(example_cases('traject-samenwerking/1').values())))
    doc['clb'] = copy.deepcopy(iac_example()['clb'])
    [item_id] = seed(live_app, doc)
    login(page, live_server, *clb_user)
    page.goto(f'{live_server}/samenwerkingen/{item_id}')
    assert 'Nog geen versie' in page.inner_text('#versies')
    submit(page, '#finalize-samenwerking')
    assert page.inner_text('h1') == 'Samenwerkingsafspraken definitief maken?'
    assert axe_violations(page) == []
    submit(page, '#finalize-confirm')
    assert 'versie 1' in page.inner_text('.flash-success')
    assert 'Versie 1' in page.inner_text('#versies') and page.locator('#new-version').count() == 1
    assert axe_violations(page) == []
    _shot(page, 'samenwerking-final')
    with page.expect_download() as info:
        page.click('#versie-1 a[href$="/versies/1/samenwerkingsafspraken.pdf"]')
    assert info.value.suggested_filename.endswith('-v1.pdf')
