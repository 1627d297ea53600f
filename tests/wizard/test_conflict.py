"""Optimistic locking: a step changed elsewhere since it was opened is never silently overwritten."""
from tests.wizard.helpers import read_form, stored, step_url, submit


def test_the_same_step_saved_in_another_tab_is_refused_with_both_versions(clb_client, iac_case, session):
    url = step_url(iac_case.id, 'intake')
    tab_one = read_form(clb_client.get(url).get_data(as_text=True))  # opened in the first tab
    assert submit(clb_client, url, {'voorgeschiedenis': 'Versie van tab twee'}).status_code == 302

    tab_one['voorgeschiedenis'] = 'Versie van tab een'
    response = clb_client.post(url, data={**tab_one, 'action': 'volgende'})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert 'Deze stap werd intussen elders gewijzigd' in page and 'role="alert"' in page
    assert 'Versie van tab een' in page and 'Versie van tab twee' in page  # yours and the stored one
    assert 'Uw versie' in page and 'Bewaarde versie' in page
    assert stored(session, iac_case.id)['traject']['voorgeschiedenis'] == 'Versie van tab twee'
    assert read_form(page)['voorgeschiedenis'] == 'Versie van tab een'  # typed text kept

    # Having seen both, pressing the button again keeps the first tab's version on purpose.
    response = clb_client.post(url, data={**read_form(page), 'action': 'volgende'})
    assert response.status_code == 302
    assert stored(session, iac_case.id)['traject']['voorgeschiedenis'] == 'Versie van tab een'


def test_loading_the_stored_version_discards_the_typed_one(clb_client, iac_case, session):
    url = step_url(iac_case.id, 'intake')
    tab_one = read_form(clb_client.get(url).get_data(as_text=True))
    submit(clb_client, url, {'voorgeschiedenis': 'Bewaard'})
    clb_client.post(url, data={**tab_one, 'voorgeschiedenis': 'Getypt', 'action': 'volgende'})
    response = clb_client.post(url, data={'action': 'verwerpen'})
    assert response.status_code == 302
    assert read_form(clb_client.get(url).get_data(as_text=True))['voorgeschiedenis'] == 'Bewaard'


def test_a_change_to_another_step_is_no_conflict(clb_client, iac_case, session):
    intake = read_form(clb_client.get(step_url(iac_case.id, 'intake')).get_data(as_text=True))
    assert submit(clb_client, step_url(iac_case.id, 'ouders'), {'toelichting': 'Elders gewijzigd'}).status_code == 302
    response = clb_client.post(step_url(iac_case.id, 'intake'),
                               data={**intake, 'voorgeschiedenis': 'Mijn tekst', 'action': 'volgende'})
    assert response.status_code == 302
    doc = stored(session, iac_case.id)
    assert doc['traject']['voorgeschiedenis'] == 'Mijn tekst'
    assert doc['oudersamenvatting']['toelichting'] == 'Elders gewijzigd'  # both kept
