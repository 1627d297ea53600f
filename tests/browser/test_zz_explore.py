from tests.browser.conftest import fill_step, login, submit
from tests.wizard.test_walkthrough import IAC_CASE


def test_explore(live_app, live_server, page, clb_user):
    login(page, live_server, *clb_user)
    submit(page, '#new-case')
    values = {k: v for k, v in IAC_CASE['aanmelding'].items() if k not in ('leerling-achternaam', 'leerling-geboortedatum')}
    fill_step(page, values)
    page.locator('#leerling-geboortedatum').click()
    page.keyboard.type('31022014')
    print('VALUE', repr(page.locator('#leerling-geboortedatum').input_value()),
          page.locator('#leerling-geboortedatum').evaluate('e => e.validity.badInput'))
    page.locator('#toestemmingen-0-datum').click()
    page.keyboard.type('31022026')
    submit(page, '#btn-volgende')
    print('ACTIVE', page.evaluate('document.activeElement.id'))
    print(page.locator('#error-summary').inner_text())
    print(page.locator('#leerling-geboortedatum').evaluate('e => e.closest(".field").outerHTML'))
    print(page.locator('#toestemmingen-0-datum').evaluate('e => e.closest(".field").outerHTML'))
    page.screenshot(path='/tmp/explore/t/err.png', full_page=False)
