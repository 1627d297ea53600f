"""The parents' link in Chromium: a CLB worker makes it, a parent opens it on a 375 px phone, reads the Arabic letter
right to left, downloads the PDF and asks a question; the worker sees the question. axe-core on the parents' pages."""
import copy
import os
from pathlib import Path

import pytest

from tests.browser.conftest import axe_violations, login, submit
from tests.helpers import example_cases
from webapp import db


pytestmark = pytest.mark.browser


def milan() -> dict:
    doc = copy.deepcopy(next(d for name, d in example_cases().items() if 'milan' in name))
    doc['ouders'][1]['voorkeurtaal'] = 'ar'  # Olivier Lemaire reads Arabic
    return doc


@pytest.fixture
def final_milan(live_app) -> int:
    from webapp.services.cases import finalize_case, import_document
    with live_app.app_context():
        session = db.session()
        case = import_document(session, milan())
        finalize_case(session, case, actor='test')
        session.commit()
        return case.id


def shot(page, name: str) -> None:
    # For a person to look at (TRAJECT_SCREENSHOTS=folder); the assertions do the checking.
    if os.environ.get('TRAJECT_SCREENSHOTS'):
        page.screenshot(path=str(Path(os.environ['TRAJECT_SCREENSHOTS']) / f'{name}.png'), full_page=True)


def test_a_parent_reads_the_arabic_letter_on_a_phone_and_asks_a_question(browser, page, live_server, clb_user,
                                                                         final_milan):
    # The CLB worker makes the link for Olivier Lemaire on the case page.
    login(page, live_server, *clb_user)
    page.goto(f'{live_server}/cases/{final_milan}')
    submit(page, '#share-2')
    url = page.input_value('#link-url')
    assert '/o/' in url
    shot(page, 'clb-link-made-1280')

    phone = browser.new_context(viewport={'width': 375, 'height': 812}, is_mobile=True, has_touch=True,
                                accept_downloads=True, locale='ar')
    parent = phone.new_page()
    parent.set_default_timeout(15000)
    try:
        parent.goto(live_server + url[url.index('/o/'):])
        assert parent.locator('html').get_attribute('dir') == 'rtl'
        assert parent.locator('html').get_attribute('lang') == 'ar'
        heading = parent.locator('.brief h3').first
        assert heading.evaluate('e => getComputedStyle(e).direction') == 'rtl'
        assert 'لماذا' in heading.inner_text()  # "Why do you receive this letter?"
        # Right to left: the heading's text ends at the right edge of the column, not the left.
        box, column = heading.bounding_box(), parent.locator('.portal-main').bounding_box()
        assert box['x'] + box['width'] >= column['x'] + column['width'] - 20
        # Nothing wider than the phone: no sideways scrolling.
        assert parent.evaluate('() => document.documentElement.scrollWidth') <= 375
        assert axe_violations(parent) == []
        shot(parent, 'parent-letter-ar-375')

        with parent.expect_download() as download:
            parent.click('#download-brief')
        assert Path(download.value.path()).read_bytes().startswith(b'%PDF')
        assert download.value.suggested_filename.endswith('-ar.pdf')

        parent.check('#antwoord-vraag')
        parent.fill('#tekst', 'Kunnen we het gesprek met een tolk doen?')
        submit(parent, '#versturen')
        confirmation = parent.locator('#ontvangen')
        assert confirmation.is_visible() and confirmation.get_attribute('role') == 'status'
        assert parent.locator('#versturen').count() == 0  # one clear confirmation, no second form
        assert axe_violations(parent) == []
        shot(parent, 'parent-confirmed-ar-375')

        parent.goto(live_server + '/o/' + 'x' * 43)  # a dead link: the calm page
        assert 'Deze link werkt niet (meer)' in parent.locator('h1').inner_text()
        assert axe_violations(parent) == []
        shot(parent, 'parent-dead-375')
    finally:
        phone.close()

    # The CLB worker sees the question: a badge on the case list and the text on the case page.
    page.goto(live_server + '/')
    badge = page.locator(f'#replies-{final_milan}')
    assert '1 nieuw antwoord van de ouders' in badge.inner_text()
    with page.expect_navigation():
        badge.click()
    reply = page.locator('.reply-unread')
    assert 'Kunnen we het gesprek met een tolk doen?' in reply.inner_text()
    assert 'heeft een vraag' in reply.text_content()
    shot(page, 'clb-case-reply-1280')
    page.set_viewport_size({'width': 375, 'height': 812})
    assert page.evaluate('() => document.documentElement.scrollWidth') <= 375
    shot(page, 'clb-case-reply-375')
    page.set_viewport_size({'width': 1280, 'height': 900})
    submit(page, '.reply-unread button')
    assert page.locator('.reply-unread').count() == 0 and 'gelezen door lotte' in page.content()


def test_the_dutch_parents_page_at_desktop_width(browser, page, live_server, live_app, final_milan):
    from webapp.models import Case
    from webapp.services import links
    with live_app.app_context():
        session = db.session()
        _link, token = links.create_link(session, session.get(Case, final_milan), 1, actor='test')
        session.commit()
    page.goto(f'{live_server}/o/{token}')
    assert page.locator('html').get_attribute('lang') == 'nl'
    assert page.locator('h1').inner_text() == 'Een brief van het CLB over Milan'
    assert axe_violations(page) == []
    shot(page, 'parent-letter-nl-1280')
