"""The second factor in a real browser: TOTP enrolment with the QR page, a later login with a code, and a login
with a recovery code. The authenticator app is pyotp, fed the secret the page shows."""
import time

import pyotp
import pytest

from tests.browser.conftest import axe_violations, login, submit, submit_login


pytestmark = pytest.mark.browser


def enrol_in_browser(page, live_server, username, password) -> tuple[str, list[str]]:
    """Log in with MFA required, set up TOTP as a user would; return the secret and the recovery codes shown."""
    login(page, live_server, username, password)
    assert '/account/tweestapsverificatie' in page.url
    assert page.locator('.qr svg').count() == 1
    assert axe_violations(page) == []
    secret = page.inner_text('#totp-secret').replace(' ', '')
    page.fill('#code', pyotp.TOTP(secret).now())
    submit(page, '#enrol-submit')
    codes = page.locator('#recovery-codes code').all_inner_texts()
    assert len(codes) == 10
    assert axe_violations(page) == []
    submit(page, '#recovery-continue')
    return secret, codes


def log_out(page) -> None:
    submit(page, 'form[action$="/logout"] button')


def test_totp_enrolment_then_login_with_a_code(live_app, live_server, page, clb_user):
    live_app.config['TRAJECT_MFA'] = 'required'
    secret, _codes = enrol_in_browser(page, live_server, *clb_user)
    page.wait_for_selector('table.cases, .empty')  # the case list opened
    page.goto(live_server + '/account')
    assert 'Ingesteld' in page.inner_text('#mfa-state')
    log_out(page)

    page.goto(live_server + '/samenwerkingen')
    submit_login(page, *clb_user)
    assert '/login/code' in page.url
    assert axe_violations(page) == []
    page.goto(live_server + '/')  # nothing opens before the code
    assert '/login' in page.url and '/login/code' not in page.url
    submit_login(page, *clb_user)
    # The code of the enrolment's time step was used up: the app's next code opens Traject.
    page.fill('#code', pyotp.TOTP(secret).at(time.time() + 30))
    submit(page, '#code-submit')
    assert page.url.rstrip('/') == live_server
    assert page.locator('#nav-account').count() == 1


def test_login_with_a_recovery_code(live_app, live_server, page, clb_user):
    live_app.config['TRAJECT_MFA'] = 'required'
    _secret, codes = enrol_in_browser(page, live_server, *clb_user)
    log_out(page)
    login(page, live_server, *clb_user)
    page.fill('#code', codes[0])
    submit(page, '#code-submit')
    assert 'nog 9' in page.inner_text('.flash')
    log_out(page)
    login(page, live_server, *clb_user)
    page.fill('#code', codes[0])  # used once: refused
    submit(page, '#code-submit')
    assert 'niet juist, of werd al gebruikt' in page.inner_text('#code-error')
    assert '/login/code' in page.url


def test_optional_mode_shows_its_banner_and_lets_a_user_enrol_from_mijn_account(live_app, live_server, page,
                                                                                 clb_user):
    login(page, live_server, *clb_user)
    assert 'optioneel' in page.inner_text('#mfa-banner')
    page.click('#nav-account')
    page.wait_for_selector('#enrol-link')
    assert axe_violations(page) == []
    page.click('#enrol-link')
    page.wait_for_selector('#totp-secret')
    page.screenshot(path='/tmp/i12/enrol.png', full_page=True)
    secret = page.inner_text('#totp-secret').replace(' ', '')
    page.fill('#code', pyotp.TOTP(secret).now())
    submit(page, '#enrol-submit')
    page.screenshot(path='/tmp/i12/codes.png', full_page=True)
    assert page.locator('#recovery-codes li').count() == 10
