"""Interrupted halfway: logging out, or a session that expired while typing. Back in, the same step, nothing lost."""
from datetime import datetime, timedelta

from playwright.sync_api import expect

from tests.browser.conftest import case_id_of, expected_values, field_values, fill_step, login, stored_case, \
    submit, submit_login
from tests.wizard.test_walkthrough import IAC_CASE


INTAKE = IAC_CASE['intake']
CLOCK_START = datetime(2026, 3, 2, 9, 0)
LOGOUT = 'form[action="/logout"] button[type="submit"]'  # the "Afmelden" button in the header


def _start_case(page, base_url, user) -> int:
    """Log in, start a new case, save step 1 with "Volgende"; return the case id (the page is on the intake)."""
    login(page, base_url, *user)
    submit(page, '#new-case')
    fill_step(page, IAC_CASE['aanmelding'])
    submit(page, '#btn-volgende')
    assert page.url.endswith('/steps/intake')
    return case_id_of(page.url)


def test_logging_out_halfway_and_in_again_resumes_at_the_same_step(live_app, live_server, page, clb_user):
    # The page keeps typed text as a draft every 30 seconds; the test moves the page's clock instead of waiting.
    page.clock.install(time=CLOCK_START)
    case_id = _start_case(page, live_server, clb_user)
    page.clock.pause_at(CLOCK_START + timedelta(minutes=2))  # from here on, timers fire only when the test says so
    fill_step(page, INTAKE)
    with page.expect_response(lambda r: r.request.method == 'POST' and r.url.endswith('/steps/intake')) as autosave:
        page.clock.run_for(31_000)
    assert autosave.value.status == 204
    # Typed after the autosave, then "Afmelden" at once: the button keeps it too (no "leave site?" question, which
    # unanswered would stop this navigation).
    page.fill('[name="voorgeschiedenis"]', INTAKE['voorgeschiedenis'] + ' Nog een zin.')
    submit(page, LOGOUT)
    assert '/login' in page.url
    expect(page.locator('.flash')).to_contain_text('U bent afgemeld.')
    page.goto(f'{live_server}/cases/{case_id}/steps/intake')
    assert '/login' in page.url  # logged out for real

    login(page, live_server, *clb_user)
    page.click('table.cases a:text("Noor Peeters")')  # the case list shows the pupil of the saved step 1
    page.wait_for_url(f'**/cases/{case_id}')
    submit(page, '#open-wizard')
    assert page.url.endswith(f'/cases/{case_id}/steps/intake')  # where the user was, not back at step 1
    expect(page.locator('#draft-notice')).to_be_visible()  # typed but not yet saved: said so
    assert field_values(page, INTAKE) == {**expected_values(INTAKE),
                                          'voorgeschiedenis': INTAKE['voorgeschiedenis'] + ' Nog een zin.'}
    page.fill('[name="voorgeschiedenis"]', INTAKE['voorgeschiedenis'])
    assert 'hulpvragen' not in stored_case(live_app, case_id).get('traject', {})  # not saved behind the user's back

    submit(page, '#btn-volgende')
    assert page.url.endswith('/steps/strategie')
    doc = stored_case(live_app, case_id)
    assert doc['leerling']['voornaam'] == 'Noor'  # step 1, saved before logging out
    assert doc['traject']['hulpvragen'][0]['vraag'] == INTAKE['hulpvragen-0-vraag']
    submit(page, '#btn-vorige')
    assert field_values(page, INTAKE) == expected_values(INTAKE)
    assert page.locator('#draft-notice').count() == 0  # saved now: no draft left


def _go_idle(app, minutes: int = 31) -> None:
    """Make every login of the server look unused for `minutes` (the idle timeout is 30 minutes)."""
    from sqlalchemy import update

    from webapp import db
    from webapp.models import LoginSession
    from webapp.models.case import utcnow
    with app.app_context():
        db.session().execute(update(LoginSession).values(last_seen_at=utcnow() - timedelta(minutes=minutes)))
        db.session().commit()


def test_text_typed_when_the_login_ran_out_of_idle_time_is_back_after_logging_in(live_app, live_server, page,
                                                                                  clb_user):
    case_id = _start_case(page, live_server, clb_user)
    fill_step(page, INTAKE)
    _go_idle(live_app)  # the server ends the login while the user types (no script involved)
    submit(page, '#btn-volgende')

    assert '/login' in page.url
    expect(page.locator('.flash')).to_contain_text('Wat u typte, is bewaard')
    submit_login(page, *clb_user)
    assert page.url.endswith(f'/cases/{case_id}/steps/intake')  # the same step
    expect(page.locator('#draft-notice')).to_be_visible()
    assert field_values(page, INTAKE) == expected_values(INTAKE)

    submit(page, '#btn-volgende')
    assert page.url.endswith('/steps/strategie')
    assert stored_case(live_app, case_id)['traject']['voorgeschiedenis'] == INTAKE['voorgeschiedenis']


def test_the_idle_warning_keeps_the_login_and_the_time_out_keeps_the_text(live_app, live_server, page, clb_user):
    # The page's timers follow the test's clock; the server's idle timeout is 30 minutes of real time.
    page.clock.install(time=CLOCK_START)
    case_id = _start_case(page, live_server, clb_user)
    fill_step(page, INTAKE)
    warning = page.locator('#idle-warning')
    expect(warning).to_be_hidden()
    page.clock.run_for(28 * 60_000 + 1_000)  # two minutes before the end
    expect(warning).to_be_visible()
    expect(page.locator('#idle-stay')).to_be_focused()
    with page.expect_response(lambda r: r.url.endswith('/sessie/verlengen')) as kept:
        page.click('#idle-stay')
    assert kept.value.status == 200
    expect(warning).to_be_hidden()
    page.clock.run_for(20 * 60_000)  # a fresh half hour has started: no warning yet
    expect(warning).to_be_hidden()

    with page.expect_navigation():
        page.clock.run_for(11 * 60_000)  # the end: what was typed is saved as a draft, then the user is logged out
    assert '/login' in page.url
    expect(page.locator('.flash')).to_contain_text('niets deed')
    page.goto(f'{live_server}/cases/{case_id}/steps/intake')
    assert '/login' in page.url  # logged out for real
    page.go_back()
    submit_login(page, *clb_user)
    assert page.url.endswith(f'/cases/{case_id}/steps/intake')
    expect(page.locator('#draft-notice')).to_be_visible()
    assert field_values(page, INTAKE) == expected_values(INTAKE)
