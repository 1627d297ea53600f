"""Validation: typed values kept, an error summary linking to each field, dates, text cleaning, saving unfinished."""
import re

import pytest

from tests.wizard.helpers import read_form, stored, step_url, submit


def test_a_failed_validation_keeps_the_typed_values_and_shows_a_summary(clb_client, new_case, session):
    response = submit(clb_client, step_url(new_case, 'aanmelding'), {
        'leerling-voornaam': 'Noor', 'leerling-geboortedatum': '2014-05-03', 'aanleiding': 'Een lange\nuitleg.'})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'role="alert"' in page and 'id="error-summary"' in page and 'autofocus' in page
    assert '<a href="#leerling-achternaam">' in page
    assert '<a href="#leerling-onderwijsniveau">' in page
    assert re.search(r'<input[^>]*aria-describedby="leerling-achternaam-error"[^>]*aria-invalid="true"', page) or \
        re.search(r'<input[^>]*aria-invalid="true"[^>]*id="leerling-achternaam"', page)
    assert 'id="leerling-achternaam-error"' in page
    fields = read_form(page)
    assert fields['leerling-voornaam'] == 'Noor'
    assert fields['leerling-geboortedatum'] == '2014-05-03'
    assert fields['aanleiding'] == 'Een lange\nuitleg.'
    assert 'leerling' not in stored(session, new_case)  # nothing saved


@pytest.mark.parametrize('typed, ok', [
    ('2026-02-30', False), ('31/02/2026', False), ('gisteren', False), ('12026-01-01', False), ('1850-01-01', False),
    ('14/03/2026', True), ('14-03-2026', True), ('2026-03-14', True),
])
def test_dates(clb_client, new_case, session, typed, ok):
    response = submit(clb_client, step_url(new_case, 'aanmelding'), {'aanmeldingsdatum': typed}, action='bewaren')
    if ok:
        assert response.status_code == 302
        assert stored(session, new_case)['traject']['aanmeldingsdatum'] == '2026-03-14'
    else:
        page = response.get_data(as_text=True)
        assert response.status_code == 422
        assert 'Geef een bestaande datum' in page
        assert read_form(page)['aanmeldingsdatum'] == typed  # shown again exactly as typed


def test_save_and_close_stores_incomplete_data(clb_client, new_case, session):
    response = submit(clb_client, step_url(new_case, 'aanmelding'), {'leerling-voornaam': 'Noor'}, action='bewaren')
    assert response.status_code == 302
    assert response.headers['Location'] == f'/cases/{new_case}'
    doc = stored(session, new_case)
    assert doc['leerling'] == {'voornaam': 'Noor'}
    assert 'school' not in doc and 'leersteuncentrum' not in doc  # empty objects are not stored
    page = clb_client.get(f'/cases/{new_case}').get_data(as_text=True)
    assert 'Noor' in page and 'bewaard' in page


def test_save_and_close_still_refuses_a_wrong_value(clb_client, new_case, session):
    response = submit(clb_client, step_url(new_case, 'aanmelding'), {'leerling-onderwijsniveau': 'hogeschool'},
                      action='bewaren')
    assert response.status_code == 422
    assert 'Kies een waarde uit de lijst.' in response.get_data(as_text=True)


def test_previous_saves_unfinished_work_too(clb_client, new_case, session):
    response = submit(clb_client, step_url(new_case, 'intake'), {'voorgeschiedenis': 'Logopedie.'}, action='vorige')
    assert response.headers['Location'] == step_url(new_case, 'aanmelding')
    assert stored(session, new_case)['traject']['voorgeschiedenis'] == 'Logopedie.'


def test_text_pasted_from_word_is_cleaned(clb_client, new_case, session):
    submit(clb_client, step_url(new_case, 'aanmelding'), {
        'aanleiding': '  Eerste regel\x0btweede regel\x0cderde\x07 regel\r\nvierde  ', 'leerling-klas': '   '},
        action='bewaren')
    doc = stored(session, new_case)
    assert doc['traject']['aanleiding'] == 'Eerste regel\ntweede regel\nderde regel\nvierde'
    assert 'klas' not in doc.get('leerling', {})


def test_cross_field_rules_mirror_the_format(clb_client, iac_case, session):
    url = step_url(iac_case.id, 'besluit')
    page = clb_client.get(url).get_data(as_text=True)
    assert 'name="opleidingsvorm"' not in page  # the pupil is in lager onderwijs: no opleidingsvorm
    response = submit(clb_client, url, {'soort': 'gc'})
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'Type basisaanbod kan enkel bij een IAC-verslag.' in text
    assert 'Dit dossier heeft een IAC-plan' in text
    # The page now shows the kept draft (soort gc): choose IAC again, without the motivation it requires.
    response = submit(clb_client, url, {'soort': 'iac', 'type': iac_case.data['verslag']['type'],
                                        'motivering_disproportioneel': ''})
    assert response.status_code == 422
    assert 'Verplicht bij een IAC- of OV4-verslag: waarom' in response.get_data(as_text=True)
    # Saving unfinished work lets a missing value pass, but not a contradiction.
    assert submit(clb_client, url, {'soort': 'iac', 'motivering_disproportioneel': ''},
                  action='bewaren').status_code == 302
    assert 'motivering_disproportioneel' not in stored(session, iac_case.id)['verslag']


def test_studierichting_only_in_secundair(clb_client, new_case):
    response = submit(clb_client, step_url(new_case, 'aanmelding'), {
        'leerling-onderwijsniveau': 'lager', 'leerling-studierichting': 'Latijn'}, action='bewaren')
    assert response.status_code == 422
    assert 'Een studierichting kan enkel voor een leerling in het secundair onderwijs.' in \
        response.get_data(as_text=True)


def test_a_consent_names_a_parent_or_the_pupil(clb_client, iac_case):
    url = step_url(iac_case.id, 'aanmelding')
    response = submit(clb_client, url, {'toestemmingen-0-gegeven_door': 'Iemand Anders'})
    assert response.status_code == 422
    assert '<a href="#toestemmingen-0-gegeven_door">' in response.get_data(as_text=True)


def test_a_motivation_is_needed_when_an_adjustment_is_not_reasonable(clb_client, iac_case):
    response = submit(clb_client, step_url(iac_case.id, 'advies'), {'aanpassingen-0-oordeel': 'onvoldoende',
                                                                    'aanpassingen-0-motivering': ''})
    assert response.status_code == 422
    assert '<a href="#aanpassingen-0-motivering">' in response.get_data(as_text=True)


def test_an_optional_group_is_either_empty_or_named(clb_client, new_case, session):
    url = step_url(new_case, 'aanmelding')
    assert submit(clb_client, url, action='bewaren').status_code == 302
    response = submit(clb_client, url, {'leersteuncentrum-adres': 'Kerkstraat 1'})
    assert '<a href="#leersteuncentrum-naam">' in response.get_data(as_text=True)
    assert '<a href="#leersteuncentrum-adres">' not in response.get_data(as_text=True)
