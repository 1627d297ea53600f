"""Nothing in the wizard surprises a CLB worker: no empty cases left behind, honest check marks, conflicts settled
once, and a question before a verslag becomes final."""
from playwright.sync_api import expect

from tests.browser.conftest import case_id_of, fill_step, iac_example, login, seed, stored_case, submit
from tests.wizard.test_walkthrough import IAC_CASE


def _case_count(app) -> int:
    from sqlalchemy import func, select

    from webapp import db
    from webapp.models import Case
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(Case))


def test_an_abandoned_new_case_leaves_no_row_behind(live_app, live_server, page, clb_user):
    login(page, live_server, *clb_user)
    submit(page, '#new-case')
    expect(page.locator('#step-title')).to_have_text('Aanmelding')
    assert _case_count(live_app) == 0  # nothing stored by opening step 1
    page.fill('[name="leerling-voornaam"]', 'Noor')
    submit(page, '.main-nav button:text("Dossiers")')  # walked away before saving
    expect(page.locator('table.cases')).to_have_count(0)  # no "(nieuw dossier)" row
    assert '(nieuw dossier)' not in page.inner_text('main')
    assert _case_count(live_app) == 0

    submit(page, '#new-case')  # what was typed is still there
    expect(page.locator('#draft-notice')).to_be_visible()
    assert page.input_value('[name="leerling-voornaam"]') == 'Noor'
    fill_step(page, IAC_CASE['aanmelding'])
    submit(page, '#btn-volgende')  # the first save creates the case
    assert page.url.endswith('/steps/intake')
    assert _case_count(live_app) == 1
    assert stored_case(live_app, case_id_of(page.url))['leerling']['voornaam'] == 'Noor'


def test_a_step_gets_its_check_mark_only_when_complete_for_its_documents(live_app, live_server, page, beheerder):
    doc = iac_example()
    for part in ('verslag', 'iac_plan', 'leersteun', 'oudersamenvatting', 'overleg'):
        doc.pop(part, None)  # advies holds doelen and aanpassingen, but no adviesgesprek yet
    (case_id,) = seed(live_app, doc)
    login(page, live_server, *beheerder)
    page.goto(f'{live_server}/cases/{case_id}/steps/integratie')
    advies = page.locator('.steps li', has_text='Advies')
    expect(advies).not_to_have_class('step step-complete')
    expect(advies).to_contain_text('1 punt te doen')
    expect(page.locator('.steps li', has_text='Intake')).to_contain_text('volledig')

    page.goto(f'{live_server}/cases/{case_id}/steps/nalezen')
    expect(page.locator('#stap-advies')).to_contain_text('Een adviesgesprek met de ouders en de leerling ontbreekt.')


FIELD = 'behoeften-0-formulering'


def test_a_settled_conflict_does_not_come_back(live_app, live_server, page, beheerder):
    (case_id,) = seed(live_app, iac_example())
    url = f'{live_server}/cases/{case_id}/steps/integratie'
    login(page, live_server, *beheerder)
    second = page.context.new_page()  # a second tab, same cookies
    for tab in (page, second):
        tab.goto(url)
    page.fill(f'#{FIELD}', 'Heeft korte instructies nodig.')
    submit(page, '#btn-bewaren')
    second.fill(f'#{FIELD}', 'Heeft een vaste plaats vooraan nodig.')
    submit(second, '#btn-volgende')
    expect(second.locator('#conflict')).to_be_visible()

    # Having seen both versions, the user goes elsewhere first; later the step opens with the typed text, once.
    second.goto(f'{live_server}/cases/{case_id}/steps/advies')
    second.goto(url)
    assert second.locator('#conflict').count() == 0
    expect(second.locator('#draft-notice')).to_be_visible()
    assert second.input_value(f'#{FIELD}') == 'Heeft een vaste plaats vooraan nodig.'
    submit(second, '#btn-volgende')  # saved at once: the conflict was settled when it was shown
    assert second.url.endswith('/steps/advies')
    assert stored_case(live_app, case_id)['traject']['behoeften'][0]['formulering'] == \
        'Heeft een vaste plaats vooraan nodig.'

    # The other tab's old text, saved in the meantime by this tab, is no draft to show again.
    page.goto(url)
    assert page.locator('#draft-notice').count() == 0 and page.locator('#conflict').count() == 0
    assert page.input_value(f'#{FIELD}') == 'Heeft een vaste plaats vooraan nodig.'


def test_finalising_asks_first_and_says_what_it_does(live_app, live_server, page, beheerder):
    (case_id,) = seed(live_app, iac_example())
    login(page, live_server, *beheerder)
    page.goto(f'{live_server}/cases/{case_id}/steps/nalezen')
    submit(page, '#finalize')
    expect(page.locator('h1')).to_have_text('Verslag definitief maken?')
    effects = page.locator('#finalize-effects')
    expect(effects).to_contain_text('CONCEPT-vermelding')
    expect(effects).to_contain_text('nieuwe versie')
    assert stored_case(live_app, case_id) and not _is_final(live_app, case_id)  # asking changes nothing

    submit(page, '#finalize-cancel')
    assert page.url.endswith('/steps/nalezen') and not _is_final(live_app, case_id)
    submit(page, '#finalize')
    submit(page, '#finalize-confirm')
    assert _is_final(live_app, case_id)
    expect(page.locator('.flash-success')).to_contain_text('Het dossier is definitief (versie 1).')


def _is_final(app, case_id: int) -> bool:
    from webapp import db
    from webapp.models import Case
    with app.app_context():
        return db.session().get(Case, case_id).is_final
