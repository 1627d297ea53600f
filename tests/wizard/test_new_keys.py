"""The wizard asks for the keys of December 2026, each on the step that owns it, and stores them under their key."""
from tests.wizard.helpers import stored, step_url, submit


def test_besluit_stores_the_verslag_s_life_and_signatory(clb_client, iac_case, session):
    response = submit(clb_client, step_url(iac_case.id, 'besluit'), {
        'ingangsdatum': '01/03/2026', 'status': 'geldig',
        'ondertekenaar-naam': 'Dirk Claeys', 'ondertekenaar-functie': 'directeur',
        'hgd_samenvatting': 'Intake in oktober, onderzoek in november, adviesgesprek in januari.',
        'vorig_verslag-soort': 'gc', 'vorig_verslag-type': '9', 'vorig_verslag-datum': '2024-03-11',
        'vorig_verslag-reden': 'omzetting'}, action='bewaren')
    assert response.status_code == 302
    verslag = stored(session, iac_case.id)['verslag']
    assert verslag['ingangsdatum'] == '2026-03-01'
    assert verslag['status'] == 'geldig'
    assert verslag['ondertekenaar'] == {'naam': 'Dirk Claeys', 'functie': 'directeur'}
    assert verslag['hgd_samenvatting'].startswith('Intake in oktober')
    assert verslag['vorig_verslag'] == {'soort': 'gc', 'type': '9', 'datum': '2024-03-11', 'reden': 'omzetting'}


def test_an_empty_signatory_is_not_stored_and_a_half_one_is_refused(clb_client, iac_case, session):
    assert submit(clb_client, step_url(iac_case.id, 'besluit')).status_code == 302
    assert 'ondertekenaar' not in stored(session, iac_case.id)['verslag']
    response = submit(clb_client, step_url(iac_case.id, 'besluit'), {'ondertekenaar-naam': 'Dirk Claeys'})
    assert response.status_code == 422
    assert 'href="#ondertekenaar-functie"' in response.get_data(as_text=True)


def test_the_parents_view_in_their_own_words_is_stored_with_the_meeting(clb_client, iac_case, session):
    doc = stored(session, iac_case.id)
    row = next(i for i, o in enumerate(doc['overleg']) if o['soort'] == 'adviesgesprek')
    response = submit(clb_client, step_url(iac_case.id, 'advies'), {
        f'overleg-{row}-standpunt_ouders_toelichting': 'We willen dat hij bij zijn vrienden blijft.'},
        action='bewaren')
    assert response.status_code == 302
    assert stored(session, iac_case.id)['overleg'][row]['standpunt_ouders_toelichting'] == \
        'We willen dat hij bij zijn vrienden blijft.'


def test_iac_plan_and_leersteun_store_their_new_keys(clb_client, iac_case, session):
    assert submit(clb_client, step_url(iac_case.id, 'iac-plan'), {
        'gc_domeinen': 'lichamelijke opvoeding\nmuzische vorming\n',
        'studiebekrachtiging': 'getuigschrift-basisonderwijs-klassenraad'}, action='bewaren').status_code == 302
    assert submit(clb_client, step_url(iac_case.id, 'leersteun'), {
        'periode-van': '2026-03-01', 'periode-tot': '2026-06-30', 'stopcriteria': 'Afbouwen na de paasvakantie.',
        'ondertekening-0-naam': 'Hanne Wuyts', 'ondertekening-0-functie': 'zorgcoördinator',
        'ondertekening-0-organisatie': 'school'}, action='bewaren').status_code == 302
    doc = stored(session, iac_case.id)
    assert doc['iac_plan']['gc_domeinen'] == ['lichamelijke opvoeding', 'muzische vorming']
    assert doc['iac_plan']['studiebekrachtiging'] == 'getuigschrift-basisonderwijs-klassenraad'
    assert doc['leersteun']['periode'] == {'van': '2026-03-01', 'tot': '2026-06-30'}
    assert doc['leersteun']['stopcriteria'] == 'Afbouwen na de paasvakantie.'
    assert doc['leersteun']['ondertekening'] == [{'naam': 'Hanne Wuyts', 'functie': 'zorgcoördinator',
                                                  'organisatie': 'school'}]


def test_aanmelding_stores_the_pupil_s_address_and_gender(clb_client, iac_case, session):
    assert submit(clb_client, step_url(iac_case.id, 'aanmelding'), {
        'leerling-adres': 'Lindestraat 12, 1500 Halle', 'leerling-geslacht': 'jongen'},
        action='bewaren').status_code == 302
    leerling = stored(session, iac_case.id)['leerling']
    assert (leerling['adres'], leerling['geslacht']) == ('Lindestraat 12, 1500 Halle', 'jongen')


def test_the_review_shows_the_warnings_with_a_link_to_the_field(clb_client, iac_case, session):
    page = clb_client.get(step_url(iac_case.id, 'nalezen')).get_data(as_text=True)
    verslag = page[page.index('id="document-verslag"'):page.index('id="document-iac-plan"')]
    plan = page[page.index('id="document-iac-plan"'):page.index('id="document-leersteunafspraken"')]
    assert 'Let op, voor u tekent:' in verslag
    assert f'href="/cases/{iac_case.id}/steps/besluit?terug=nalezen#hgd_samenvatting"' in verslag
    assert 'zonder samenvatting van het handelingsgericht diagnostisch traject' in verslag
    assert 'getuigschrift basisonderwijs' in plan  # a lager pupil with a secondary-school certificate
    assert 'Volledig: dit document kan gemaakt worden.' in verslag  # a warning never blocks a document

    submit(clb_client, step_url(iac_case.id, 'besluit'), {'hgd_samenvatting': 'Intake, strategie en onderzoek.'},
           action='bewaren')
    page = clb_client.get(step_url(iac_case.id, 'nalezen')).get_data(as_text=True)
    verslag = page[page.index('id="document-verslag"'):page.index('id="document-iac-plan"')]
    assert 'Let op, voor u tekent:' not in verslag
