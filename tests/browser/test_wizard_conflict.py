"""The same step open in two windows: the second save is refused with both versions, nothing silently overwritten."""
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, iac_example, login, seed, stored_case, submit


FIELD = 'behoeften-0-formulering'


def _open(page, base_url, case_id):
    page.goto(f'{base_url}/cases/{case_id}/steps/integratie')
    expect(page.locator('#step-form')).to_be_visible()


def _stored_text(app, case_id):
    return stored_case(app, case_id)['traject']['behoeften'][0]['formulering']


def _save_in_first(first, base_url, case_id):
    """Change the field in the first window and save it with "Bewaren en sluiten"."""
    first.fill(f'#{FIELD}', 'Milan heeft korte instructies nodig.')
    submit(first, '#btn-bewaren')
    assert first.url.endswith(f'/cases/{case_id}')


def _conflict_in_second(second, app, case_id, original):
    """Save other text in the second window, opened before the first saved; check the refusal."""
    second.fill(f'#{FIELD}', 'Milan heeft een vaste plaats vooraan nodig.')
    submit(second, '#btn-volgende')
    assert second.url.endswith('/steps/integratie')  # not on to the next step
    conflict = second.locator('#conflict')
    expect(conflict).to_be_visible()
    expect(conflict).to_be_focused()
    assert conflict.get_attribute('role') == 'alert'
    assert 'Deze stap werd intussen elders gewijzigd' in conflict.inner_text()
    difference = conflict.locator('.difference')
    expect(difference).to_have_count(1)  # only the field that differs
    expect(difference.locator('.version-mine')).to_contain_text('Milan heeft een vaste plaats vooraan nodig.')
    expect(difference.locator('.version-stored')).to_contain_text('Milan heeft korte instructies nodig.')
    assert original not in conflict.inner_text()
    # Nothing overwritten, and the refused text is still in the field.
    assert _stored_text(app, case_id) == 'Milan heeft korte instructies nodig.'
    assert second.input_value(f'#{FIELD}') == 'Milan heeft een vaste plaats vooraan nodig.'


def test_two_windows_of_the_same_user_get_the_conflict_message(live_app, live_server, browser, page, beheerder):
    (case_id,) = seed(live_app, iac_example())
    original = _stored_text(live_app, case_id)
    # A second window of its own (another device, say): its own cookies, the same account.
    other = browser.new_context(viewport={'width': 1280, 'height': 900}, locale='nl-BE')
    second = other.new_page()
    try:
        for window in (page, second):
            login(window, live_server, *beheerder)
            _open(window, live_server, case_id)
        _save_in_first(page, live_server, case_id)
        _conflict_in_second(second, live_app, case_id, original)
        assert axe_violations(second) == []

        # "De bewaarde versie laden" throws the refused text away and shows what the first window saved.
        submit(second, '#load-stored')
        assert second.locator('#conflict').count() == 0
        assert second.input_value(f'#{FIELD}') == 'Milan heeft korte instructies nodig.'
        assert second.locator('#draft-notice').count() == 0
        assert _stored_text(live_app, case_id) == 'Milan heeft korte instructies nodig.'
    finally:
        other.close()


def test_two_tabs_and_keeping_ones_own_version_on_purpose(live_app, live_server, page, beheerder):
    (case_id,) = seed(live_app, iac_example())
    original = _stored_text(live_app, case_id)
    login(page, live_server, *beheerder)
    second = page.context.new_page()  # a second tab, same cookies
    _open(page, live_server, case_id)
    _open(second, live_server, case_id)
    _save_in_first(page, live_server, case_id)
    _conflict_in_second(second, live_app, case_id, original)

    # Having seen both, the user presses "Volgende" again: now their version is saved, deliberately.
    submit(second, '#btn-volgende')
    assert second.url.endswith('/steps/advies')
    assert _stored_text(live_app, case_id) == 'Milan heeft een vaste plaats vooraan nodig.'
