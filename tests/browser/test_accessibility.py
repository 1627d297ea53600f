"""axe-core on every page of the wizard (no serious or critical violations), and no sideways scrolling on a phone."""
import pytest

from tests.browser.conftest import CLB, axe_violations, iac_example, login, seed
from tests.helpers import example_cases
from webapp.wizard.steps import CASE_FLOW, SAMENWERKING_FLOW


ALL_CASE_STEPS = ['aanmelding', 'intake', 'strategie', 'onderzoek', 'integratie', 'advies', 'besluit', 'iac-plan',
                  'leersteun', 'ouders', 'nalezen']


@pytest.fixture
def seeded(live_app, beheerder) -> dict:
    """Import an IAC case to which every step applies, and a samenwerking; return their ids and the case's steps."""
    doc = iac_example()
    # The samenwerking of Lies's own CLB: she sees the agreements her CLB is a party to.
    samenwerking = {**next(iter(example_cases('traject-samenwerking/1').values())), 'clb': CLB}
    case_id, samenwerking_id = seed(live_app, doc, samenwerking)
    steps = [step.name for step in CASE_FLOW.available(doc, 'clb-medewerker')]
    assert steps == ALL_CASE_STEPS  # leersteun and ouders included: the whole wizard is checked
    return {'case': case_id, 'samenwerking': samenwerking_id, 'steps': steps}


def _violations_on(page, url: str) -> list[dict]:
    response = page.goto(url)
    assert response.ok, (url, response.status)
    page.wait_for_load_state('load')
    return axe_violations(page)


def test_every_case_page_and_step_has_no_serious_violations(live_server, page, beheerder, seeded):
    case = f'{live_server}/cases/{seeded["case"]}'
    # Console errors (a refused font or script, a failing request of the page or its preview) count as problems too;
    # the browser's own request for /favicon.ico does not.
    console = []
    page.on('console', lambda message: console.append((message.text, message.location['url']))
            if message.type == 'error' and not message.location['url'].endswith('/favicon.ico') else None)
    page.on('pageerror', lambda error: console.append(str(error)))
    found = {'login': _violations_on(page, f'{live_server}/login')}
    login(page, live_server, *beheerder)
    found['case list'] = _violations_on(page, f'{live_server}/')
    found['case page'] = _violations_on(page, case)
    for step in seeded['steps']:
        found[step] = _violations_on(page, f'{case}/steps/{step}')
    assert page.locator('h1').inner_text() == 'Nalezen'  # the last one is the review page
    assert {name: v for name, v in found.items() if v} == {}
    assert console == []


def test_the_samenwerking_wizard_has_no_serious_violations(live_server, page, beheerder, seeded):
    item = f'{live_server}/samenwerkingen/{seeded["samenwerking"]}'
    login(page, live_server, *beheerder)
    found = {'list': _violations_on(page, f'{live_server}/samenwerkingen'),
             'new': _violations_on(page, f'{live_server}/samenwerkingen/nieuw'),
             'page': _violations_on(page, item)}
    for step in SAMENWERKING_FLOW.names:
        found[step] = _violations_on(page, f'{item}/steps/{step}')
    assert {name: v for name, v in found.items() if v} == {}


@pytest.mark.parametrize('width', [375, 320])
def test_a_phone_needs_no_sideways_scrolling(live_server, browser, beheerder, seeded, width):
    context = browser.new_context(viewport={'width': width, 'height': 800}, locale='nl-BE', is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        login(page, live_server, *beheerder)
        case = f'{live_server}/cases/{seeded["case"]}'
        pages = {'case list': f'{live_server}/', 'case page': case,
                 **{step: f'{case}/steps/{step}' for step in seeded['steps']},
                 'samenwerking': f'{live_server}/samenwerkingen/{seeded["samenwerking"]}/steps/afspraken'}
        too_wide = {}
        for name, url in pages.items():
            page.goto(url)
            scroll_width = page.evaluate('document.documentElement.scrollWidth')
            if scroll_width > width:
                too_wide[name] = scroll_width
        assert too_wide == {}
        if width == 375:  # axe at phone width too: the list and the step with the most rows
            found = {'case list': _violations_on(page, f'{live_server}/'),
                     'advies': _violations_on(page, f'{case}/steps/advies')}
            assert {name: v for name, v in found.items() if v} == {}
    finally:
        context.close()
