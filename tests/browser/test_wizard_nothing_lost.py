"""Nothing typed is lost: a long paste stays whole, and every way out of a step keeps the typed text as a draft."""
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import iac_example, login, seed, stored_case, submit


LOGOUT = 'form[action="/logout"] button[type="submit"]'  # the "Afmelden" button in the header
TYPED = 'Jonas vraagt of hij de toetsen vooraf mag inkijken.'


@pytest.fixture
def case_id(live_app) -> int:
    """An IAC case (Jonas Verbeke) with one hulpvraag and every step available."""
    return seed(live_app, iac_example())[0]


def _intake(base_url: str, case_id: int) -> str:
    return f'{base_url}/cases/{case_id}/steps/intake'


def _type_a_new_hulpvraag(page) -> str:
    """Add a hulpvraag row (a submit: the draft holds an empty row) and type in it; return the input's id."""
    rows = page.locator('[id^="hulpvragen-"][id$="-row"]').count()
    submit(page, '#hulpvragen-add')
    page.fill(f'#hulpvragen-{rows}-vraag', TYPED)
    return f'#hulpvragen-{rows}-vraag'


def test_a_long_paste_is_kept_whole_counted_and_refused_on_save(live_app, live_server, page, beheerder, case_id):
    original = stored_case(live_app, case_id)['traject'].get('voorgeschiedenis')
    words = ('Logopedie sinds het eerste leerjaar, met wisselend resultaat. ' * 200)[:12_000]
    login(page, live_server, *beheerder)
    page.goto(_intake(live_server, case_id))
    page.fill('#voorgeschiedenis', words)
    assert len(page.input_value('#voorgeschiedenis')) == 12_000  # nothing cut off by the browser
    counter = page.locator('#voorgeschiedenis-count')
    expect(counter).to_be_visible()
    expect(counter).to_contain_text('2000 tekens te veel')

    submit(page, '#btn-volgende')
    assert page.url.endswith('/steps/intake')  # refused: not on to the next step
    expect(page.locator('#error-summary')).to_contain_text('Deze tekst is te lang (maximaal 10000 tekens)')
    assert page.input_value('#voorgeschiedenis') == words.strip()  # every character still there
    assert stored_case(live_app, case_id)['traject'].get('voorgeschiedenis') == original  # nothing stored

    page.fill('#voorgeschiedenis', words[:9_500])
    expect(counter).to_contain_text('Nog 500 tekens over')
    page.fill('#voorgeschiedenis', words[:200])
    expect(counter).to_be_hidden()  # far from the limit: no counter to distract


@pytest.mark.parametrize('javascript', [True, False], ids=['js', 'no-js'])
def test_switching_the_language_mid_step_keeps_what_was_typed(live_app, live_server, browser, beheerder, case_id,
                                                              javascript):
    context = browser.new_context(viewport={'width': 1280, 'height': 900}, locale='nl-BE',
                                  java_script_enabled=javascript)
    page = context.new_page()
    try:
        login(page, live_server, *beheerder)
        page.goto(_intake(live_server, case_id))
        stored = len(stored_case(live_app, case_id)['traject']['hulpvragen'])
        field = _type_a_new_hulpvraag(page)
        submit(page, 'button[lang="fr"]')  # no "leave site?" question: nothing is left behind

        assert page.url.endswith(f'/cases/{case_id}/steps/intake')
        assert page.get_attribute('html', 'lang') == 'fr-BE'
        expect(page.locator('#draft-notice')).to_be_visible()
        assert page.input_value(field) == TYPED  # the draft notice stands over the typed text, not an empty row
        assert len(stored_case(live_app, case_id)['traject']['hulpvragen']) == stored  # nothing saved behind the back
    finally:
        context.close()


@pytest.mark.parametrize('javascript', [True, False], ids=['js', 'no-js'])
def test_logging_out_mid_step_keeps_what_was_typed(live_app, live_server, browser, beheerder, case_id, javascript):
    context = browser.new_context(viewport={'width': 1280, 'height': 900}, locale='nl-BE',
                                  java_script_enabled=javascript)
    page = context.new_page()
    try:
        login(page, live_server, *beheerder)
        page.goto(_intake(live_server, case_id))
        page.fill('#voorgeschiedenis', TYPED)  # no button pressed, no autosave yet
        submit(page, LOGOUT)
        assert '/login' in page.url
        expect(page.locator('.flash')).to_contain_text('U bent afgemeld.')
        page.goto(_intake(live_server, case_id))
        assert '/login' in page.url  # logged out for real

        login(page, live_server, *beheerder)
        page.goto(_intake(live_server, case_id))
        expect(page.locator('#draft-notice')).to_be_visible()
        assert page.input_value('#voorgeschiedenis') == TYPED
    finally:
        context.close()


@pytest.mark.parametrize('way_out', ['#main .breadcrumb button[value="dossier"]', '.steps button:text("Advies")',
                                     '.main-nav a:text("Dossiers")'])
def test_every_way_out_of_a_step_keeps_what_was_typed(live_app, live_server, page, beheerder, case_id, way_out):
    login(page, live_server, *beheerder)
    page.goto(_intake(live_server, case_id))
    page.fill('#voorgeschiedenis', TYPED)
    submit(page, way_out)  # an unanswered "leave site?" question would stop this navigation
    assert '/steps/intake' not in page.url

    page.goto(_intake(live_server, case_id))
    expect(page.locator('#draft-notice')).to_be_visible()
    assert page.input_value('#voorgeschiedenis') == TYPED
