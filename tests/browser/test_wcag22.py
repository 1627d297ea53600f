"""WCAG 2.2 AA in the browser: axe-core's WCAG 2.0-2.2 A and AA rules (every impact) on every page at 1280 and
320 px in Dutch and French, document previews included; and the keyboard and status details axe cannot see.
"""
import copy
import re
import time

import pytest

from tests.browser.conftest import AXE, CLB, iac_example, login, seed, submit
from tests.helpers import example_cases
from webapp.documents import DOCUMENTS
from webapp.wizard.steps import CASE_FLOW, SAMENWERKING_FLOW


WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']
ALL_CASE_STEPS = ['aanmelding', 'intake', 'strategie', 'onderzoek', 'integratie', 'advies', 'besluit', 'iac-plan',
                  'leersteun', 'ouders', 'nalezen']


@pytest.fixture
def seeded(live_app, beheerder) -> dict:
    """An IAC case to which every step applies, and a samenwerking."""
    doc = iac_example()
    samenwerking = copy.deepcopy(next(iter(example_cases('traject-samenwerking/1').values())))
    samenwerking['clb'].update(CLB)  # with the logged-in worker's CLB as a party, so she may open it
    case_id, samenwerking_id = seed(live_app, doc, samenwerking)
    # The `beheerder` fixture logs in a CLB worker of the case's CLB: she may open every step of it.
    steps = [step.name for step in CASE_FLOW.available(doc, 'clb-medewerker')]
    assert steps == ALL_CASE_STEPS  # the whole wizard is checked
    return {'case': case_id, 'samenwerking': samenwerking_id, 'doc': doc, 'steps': steps}


def wcag_violations(page) -> list[dict]:
    """Run axe-core with every WCAG 2.0, 2.1 and 2.2 A and AA rule; return the violations, whatever their impact."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate('async (tags) => await axe.run(document, {runOnly: {type: "tag", values: tags}, '
                           'resultTypes: ["violations"]})', WCAG_AA)
    return [{'id': v['id'], 'nodes': [n['target'] for n in v['nodes']][:3]} for v in result['violations']]


def _pages(base: str, seeded: dict) -> dict[str, str]:
    case = f'{base}/cases/{seeded["case"]}'
    item = f'{base}/samenwerkingen/{seeded["samenwerking"]}'
    return {
        'case list': f'{base}/', 'case page': case,
        **{step: f'{case}/steps/{step}' for step in seeded['steps']},
        **{f'preview {kind}': f'{case}/preview/{kind}' for kind, spec in DOCUMENTS.items()
           if spec.formaat == 'traject-case/1'},
        'samenwerkingen': f'{base}/samenwerkingen', 'new samenwerking': f'{base}/samenwerkingen/nieuw',
        'samenwerking page': item, 'samenwerking preview': f'{item}/preview',
        **{f'samenwerking {step}': f'{item}/steps/{step}' for step in SAMENWERKING_FLOW.names},
        'not found': f'{base}/cases/999999',
    }


@pytest.mark.parametrize('language', ['nl', 'fr'])
@pytest.mark.parametrize('width', [1280, 320])
def test_every_page_meets_wcag22_aa(live_server, browser, beheerder, seeded, width, language):
    # bypass_csp: the previews forbid every script (rightly), axe's included.
    context = browser.new_context(viewport={'width': width, 'height': 800}, locale='nl-BE', bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        found = {}
        page.goto(f'{live_server}/login')
        if language != 'nl':
            submit(page, f'button[lang="{language}"]')
        found['login'] = wcag_violations(page)
        login(page, live_server, *beheerder)
        assert page.locator('html').get_attribute('lang').startswith(language)
        for name, url in _pages(live_server, seeded).items():
            response = page.goto(url)
            assert response.ok == (name != 'not found'), (name, response.status)  # the page itself, not a refusal
            page.wait_for_load_state('load')
            found[name] = wcag_violations(page)
        assert {name: v for name, v in found.items() if v} == {}
    finally:
        context.close()


def _wide_page(browser, height=600, **options):
    context = browser.new_context(viewport={'width': 1280, 'height': height}, locale='nl-BE', **options)
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


def _tab_to(page, predicate: str, limit: int = 80) -> None:
    """Press Tab until `predicate` (a JS expression on `el`, the focused element) holds."""
    for _ in range(limit):
        page.keyboard.press('Tab')
        if page.evaluate(f'(() => {{ const el = document.activeElement; return !!({predicate}); }})()'):
            return
    raise AssertionError(f'Tab never reached {predicate}')


def _wait_for(page, expression: str, timeout: float = 10) -> None:
    """Wait until the JS `expression` holds; page.wait_for_function needs eval, which the app's CSP forbids."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f'never true: {expression}')
        page.wait_for_timeout(100)


def _contrast(rgb: str, against=(255, 255, 255)) -> float:
    def luminance(channels):
        linear = [c / 255 / 12.92 if c <= 10.31 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    first, second = sorted((luminance([int(n) for n in re.findall(r'\d+', rgb)[:3]]), luminance(against)))
    return (second + 0.05) / (first + 0.05)


def test_readability_table_scrolls_by_keyboard_on_a_phone(live_server, browser, beheerder, seeded):
    """Item 8: the jargon table that scrolls sideways at 320 px is a named region that takes focus and arrow keys."""
    context = browser.new_context(viewport={'width': 320, 'height': 800}, locale='nl-BE')
    page = context.new_page()
    try:
        login(page, live_server, *beheerder)
        page.goto(f'{live_server}/cases/{seeded["case"]}/steps/ouders')
        region = page.locator('.readability .table-scroll, .table-scroll').last
        assert region.evaluate('(e) => e.scrollWidth > e.clientWidth')  # it does scroll sideways here
        _tab_to(page, 'el.classList.contains("table-scroll")')
        assert region.get_attribute('role') == 'region' and region.get_attribute('aria-label')
        for _ in range(3):
            page.keyboard.press('ArrowRight')
        # Chromium scrolls smoothly: wait for the scroll instead of reading it at once.
        _wait_for(page, 'document.activeElement.scrollLeft > 0')
    finally:
        context.close()


def test_focused_last_step_link_is_on_screen(live_server, browser, beheerder, seeded):
    """Item 9: at 1280x600 the sticky step list is taller than the window; Tab to 'Nalezen' shows it."""
    context, page = _wide_page(browser)
    try:
        login(page, live_server, *beheerder)
        page.goto(f'{live_server}/cases/{seeded["case"]}/steps/aanmelding')
        # The step list's entries are buttons of the step form (the typed text is kept when one is followed).
        _tab_to(page, 'el.matches(".steps a, .steps button") && el.textContent.trim() === "Nalezen"')
        link = page.locator('.steps a, .steps button', has_text='Nalezen')
        box, height = link.bounding_box(), page.viewport_size['height']
        assert 0 <= box['y'] and box['y'] + box['height'] <= height
    finally:
        context.close()


def test_preview_message_and_language_names_speak_the_ui_language(live_server, browser, beheerder, live_app,
                                                                     seeded):
    """Item 10: the preview's message page in French is lang="fr"; language names are not marked as foreign."""
    doc = iac_example()
    doc['id'] = 'wcag-talen'
    doc['ouders'][0]['voorkeurtaal'] = 'pl'
    (case_id,) = seed(live_app, doc)
    context, page = _wide_page(browser, height=900)
    try:
        page.goto(f'{live_server}/login')
        submit(page, 'button[lang="fr"]')
        login(page, live_server, *beheerder)
        page.goto(f'{live_server}/cases/{case_id}')
        names = page.locator('.doc-lang')
        assert 'Polonais' in names.all_inner_texts()
        # No lang attribute of their own: they are French words in a French page.
        assert names.evaluate_all('(ns) => ns.map((n) => n.closest("[lang]").tagName)') == ['HTML'] * names.count()
        page.goto(f'{live_server}/')
        submit(page, '#new-case')
        submit(page, '#btn-bewaren')  # the case exists from the first save of step 1 on
        new_id = re.search(r'/cases/(\d+)', page.url)[1]
        page.goto(f'{live_server}/cases/{new_id}/preview/verslag')
        assert page.locator('html').get_attribute('lang').startswith('fr')
        assert page.locator('.preview-empty').inner_text()
        assert 'verslag' not in page.locator('.preview-empty').inner_text().split()[0].lower()
    finally:
        context.close()


def test_preview_frame_and_steps_summary_show_their_focus(live_server, browser, beheerder, seeded):
    """Item 11: the preview frame gets a visible ring; the 'Stappen' summary is a working toggle with a marker."""
    context, page = _wide_page(browser, height=900)
    try:
        login(page, live_server, *beheerder)
        page.goto(f'{live_server}/cases/{seeded["case"]}/steps/besluit')
        page.wait_for_load_state('load')
        _tab_to(page, 'el.tagName === "IFRAME"', limit=200)
        frame = page.locator('.preview-frame')
        _wait_for(page, 'document.querySelector(".preview-frame").classList.contains("frame-focused")')
        style = frame.evaluate('(f) => { const s = getComputedStyle(f); return [s.outlineStyle, s.outlineColor]; }')
        assert style[0] == 'solid' and _contrast(style[1]) >= 3

        summary = page.locator('.progress-details > summary')
        assert summary.evaluate('(s) => getComputedStyle(s).display') == 'list-item'  # the marker shows
        summary.focus()
        page.keyboard.press('Enter')
        assert page.locator('.steps').is_hidden()
        page.keyboard.press('Enter')
        assert page.locator('.steps').is_visible()
    finally:
        context.close()


@pytest.mark.parametrize('width', [1280, 320])
def test_error_summary_link_brings_the_field_and_its_label_into_view(live_server, browser, clb_user, width):
    """Item 11: after following an error-summary link the field has focus and is on screen with its label."""
    context = browser.new_context(viewport={'width': width, 'height': 600}, locale='nl-BE')
    page = context.new_page()
    try:
        login(page, live_server, *clb_user)
        submit(page, '#new-case')
        submit(page, '#btn-volgende')
        links = page.locator('#error-summary a')
        assert links.count() > 1
        out_of_view = []
        for i in range(links.count()):
            page.evaluate('window.scrollTo(0, 0)')
            target = links.nth(i).get_attribute('href')[1:]
            links.nth(i).click()
            assert page.evaluate('document.activeElement.id') == target
            label = page.locator(f'label[for="{target}"]')
            if not label.count():  # a group of radio buttons or checkboxes: its legend
                label = page.locator(f'#{target}').locator('xpath=ancestor::fieldset[1]/legend')
            for part in (page.locator(f'#{target}'), label, page.locator(f'#{target}-error')):
                box = part.first.bounding_box()
                if not (0 <= box['y'] and box['y'] + box['height'] <= page.viewport_size['height']):
                    out_of_view.append((target, part, round(box['y'])))
        assert out_of_view == []
        # Focus moved by script: a ring that stands out from white (WCAG 1.4.11), not the yellow alone.
        page.goto(page.url)
        submit(page, '#btn-volgende')
        summary = page.locator('#error-summary')
        assert summary.evaluate('(s) => s === document.activeElement')
        assert _contrast(summary.evaluate('(s) => getComputedStyle(s).outlineColor')) >= 3
    finally:
        context.close()


def test_login_error_marks_the_password_invalid(live_server, page, beheerder):
    """Item 11: a wrong password is announced on the field itself."""
    page.goto(f'{live_server}/login')
    page.fill('#username', beheerder[0])
    page.fill('#password', 'not the password')
    submit(page, '#login-submit')
    password = page.locator('#password')
    assert password.get_attribute('aria-invalid') == 'true'
    assert 'password-error' in password.get_attribute('aria-describedby')
    assert page.locator('#username').get_attribute('aria-invalid') is None


def test_autosave_says_when_it_kept_the_draft_and_warns_when_it_failed(live_server, page, beheerder, seeded):
    """Item 12: a polite 'Concept bewaard om HH:MM' after an automatic save, a visible alert when it fails."""
    page.clock.install()
    login(page, live_server, *beheerder)
    page.goto(f'{live_server}/cases/{seeded["case"]}/steps/aanmelding')
    status, warning = page.locator('#autosave-status'), page.locator('#autosave-warning')
    assert status.get_attribute('role') == 'status' and warning.get_attribute('role') == 'alert'
    assert status.inner_text() == ''
    page.locator('textarea, input[type="text"]').first.fill('Een zin die automatisch bewaard wordt.')
    with page.expect_response(lambda r: r.request.method == 'POST'):
        page.clock.fast_forward('00:31')
    _wait_for(page, 'document.getElementById("autosave-status").textContent !== ""')
    assert re.fullmatch(r'Concept bewaard om \d\d:\d\d', status.inner_text())
    assert warning.inner_text() == ''

    page.route('**/steps/**', lambda route: route.abort() if route.request.method == 'POST' else route.continue_())
    page.locator('textarea, input[type="text"]').first.fill('Nog een zin, zonder verbinding.')
    page.clock.fast_forward('00:31')
    _wait_for(page, 'document.getElementById("autosave-warning").textContent !== ""')
    assert warning.is_visible()
    assert warning.inner_text() == ('Uw invoer kon niet automatisch bewaard worden. Klik op "Bewaren en sluiten" om '
                                    'ze te bewaren.')
    assert status.inner_text() == ''
