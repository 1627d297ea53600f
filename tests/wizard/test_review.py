"""Nalezen: every answer by step, what each document still misses in plain Dutch, documents, finalising."""
import re

from tests.wizard.helpers import read_form, stored, step_url, submit
from webapp.models import Case


def test_the_review_says_in_plain_dutch_what_a_document_misses(clb_client, iac_case, session):
    submit(clb_client, step_url(iac_case.id, 'besluit'), {'motivering_disproportioneel': ''}, action='bewaren')
    page = clb_client.get(step_url(iac_case.id, 'nalezen')).get_data(as_text=True)
    check = page[page.index('id="document-verslag"'):page.index('id="document-iac-plan"')]
    assert 'De motivering waarom het gemeenschappelijk curriculum niet haalbaar is ontbreekt.' in check
    assert f'href="/cases/{iac_case.id}/steps/besluit?terug=nalezen#motivering_disproportioneel"' in check
    assert 'id="download-verslag-pdf" aria-disabled="true"' in page  # not downloadable while incomplete
    assert 'id="finalize"' not in page


def test_every_answer_is_listed_with_a_link_back_to_its_step(clb_client, iac_case, iac_doc):
    page = clb_client.get(step_url(iac_case.id, 'nalezen')).get_data(as_text=True)
    for step in ('aanmelding', 'intake', 'strategie', 'onderzoek', 'integratie', 'advies', 'besluit', 'iac-plan',
                 'leersteun', 'ouders'):
        assert f'href="/cases/{iac_case.id}/steps/{step}?terug=nalezen" id="wijzig-{step}"' in page, step
    assert iac_doc['traject']['aanleiding'][:40] in page
    assert 'Basisaanbod' in page or 'basisaanbod' in page


def test_editing_from_the_review_returns_to_the_review(clb_client, iac_case, session):
    url = step_url(iac_case.id, 'ouders', terug='nalezen')
    page = clb_client.get(url).get_data(as_text=True)
    assert 'Bewaren en terug naar nalezen' in page
    response = clb_client.post(url, data={**read_form(page), 'toelichting': 'Nieuw woord', 'action': 'volgende'})
    assert response.headers['Location'] == step_url(iac_case.id, 'nalezen') + '#stap-ouders'
    assert stored(session, iac_case.id)['oudersamenvatting']['toelichting'] == 'Nieuw woord'


def test_a_complete_case_is_finalised_then_read_only_until_a_new_version(clb_client, iac_case, session):
    review = clb_client.get(step_url(iac_case.id, 'nalezen')).get_data(as_text=True)
    assert 'PDF (concept)' in review and 'id="finalize"' in review
    question = clb_client.post(f'/cases/{iac_case.id}/definitief')  # not confirmed: asks, changes nothing
    assert question.status_code == 200 and 'id="finalize-confirm"' in question.get_data(as_text=True)
    assert session.get(Case, iac_case.id).is_final is False
    assert clb_client.post(f'/cases/{iac_case.id}/definitief', data={'bevestigd': 'ja'}).status_code == 302
    review = clb_client.get(step_url(iac_case.id, 'nalezen')).get_data(as_text=True)
    assert 'tag-final' in review and 'PDF (concept)' not in review and 'id="new-version"' in review

    url = step_url(iac_case.id, 'ouders')
    page = clb_client.get(url).get_data(as_text=True)
    assert '<fieldset class="plain" disabled>' in page and 'id="btn-bewaren"' not in page
    before = stored(session, iac_case.id)
    clb_client.post(url, data={**read_form(page), 'toelichting': 'Stiekem gewijzigd', 'action': 'volgende'})
    assert stored(session, iac_case.id) == before

    assert clb_client.post(f'/cases/{iac_case.id}/nieuwe-versie').status_code == 302
    assert submit(clb_client, url, {'toelichting': 'Nieuwe versie'}).status_code == 302
    assert stored(session, iac_case.id)['oudersamenvatting']['toelichting'] == 'Nieuwe versie'


def test_an_incomplete_case_cannot_be_finalised(clb_client, new_case, session):
    response = clb_client.post(f'/cases/{new_case}/definitief', data={'bevestigd': 'ja'})
    assert response.status_code == 302
    assert 'nog niet volledig' in clb_client.get(response.headers['Location']).get_data(as_text=True)
    assert session.get(Case, new_case).is_final is False


def test_the_preview_uses_the_document_templates(clb_client, iac_case, iac_doc):
    response = clb_client.get(f'/cases/{iac_case.id}/preview/verslag')
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert iac_doc['leerling']['voornaam'] in html and 'CONCEPT' in html
    assert "default-src 'none'" in response.headers['Content-Security-Policy']
    for kind in ('iac-plan', 'leersteunafspraken', 'oudersamenvatting'):
        html = clb_client.get(f'/cases/{iac_case.id}/preview/{kind}').get_data(as_text=True)
        assert 'preview-empty' not in html and iac_doc['leerling']['voornaam'] in html, kind
    page = clb_client.get(step_url(iac_case.id, 'besluit')).get_data(as_text=True)
    assert f'src="/cases/{iac_case.id}/preview/verslag"' in page
    assert f'src="/cases/{iac_case.id}/preview/iac-plan"' in \
        clb_client.get(step_url(iac_case.id, 'iac-plan')).get_data(as_text=True)


def test_the_preview_of_an_incomplete_case_is_a_calm_message(clb_client, new_case):
    submit(clb_client, step_url(new_case, 'aanmelding'), {'leerling-voornaam': 'Noor'}, action='bewaren')
    for kind in ('verslag', 'iac-plan', 'leersteunafspraken', 'oudersamenvatting'):
        response = clb_client.get(f'/cases/{new_case}/preview/{kind}')
        assert response.status_code == 200, kind
        assert 'preview-empty' in response.get_data(as_text=True)
    assert clb_client.get(f'/cases/{new_case}/preview/samenwerkingsafspraken').status_code == 404


def test_a_half_filled_verslag_previews_without_failing(clb_client, new_case):
    submit(clb_client, step_url(new_case, 'besluit'), {'soort': 'gc', 'type': '9'}, action='bewaren')
    response = clb_client.get(f'/cases/{new_case}/preview/verslag')
    assert response.status_code == 200
    assert re.search('onvoldoende gegevens|preview-empty', response.get_data(as_text=True))
