"""What a CLB worker reads in the wizard says what is true of this case: when a field is required, whose name a
hint uses, why a preview is empty, which parts stay in the CLB's own dossier, and field labels instead of paths."""
import html
import io
import json

from tests.wizard.helpers import step_url
from webapp.wizard.review import path_label
from webapp.wizard.steps import CASE_FLOW


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.get_data(as_text=True))


def test_a_field_required_in_some_cases_says_when_instead_of_optional(clb_client, iac_case):
    advies = _page(clb_client, step_url(iac_case.id, 'advies'))
    assert 'Motivering van het oordeel <span class="optional">(verplicht als het oordeel niet "redelijk" is)' in advies
    besluit = _page(clb_client, step_url(iac_case.id, 'besluit'))
    assert ('niet haalbaar? <span class="optional">(verplicht als het een IAC- of OV4-verslag is)</span>'
            in besluit)
    assert 'Herzien tegen <span class="optional">(optioneel)</span>' in besluit  # truly optional ones stay so


def test_a_hint_uses_the_first_name_of_this_case(clb_client, iac_case):
    voornaam = iac_case.data['leerling']['voornaam']
    page = _page(clb_client, step_url(iac_case.id, 'integratie'))
    assert f'Handelingsgericht: "{voornaam} heeft ... nodig".' in page
    assert '{voornaam}' not in page
    other = 'Noor' if voornaam != 'Noor' else 'Milan'
    assert f'"{other} heeft' not in page


def test_a_new_case_hint_speaks_of_the_pupil(clb_client, new_case):
    page = _page(clb_client, step_url(new_case, 'integratie'))
    assert 'Handelingsgericht: "de leerling heeft ... nodig".' in page


def test_the_iac_plan_preview_says_what_is_missing(clb_client, create_case, iac_doc):
    iac_doc.pop('iac_plan')
    case = create_case(iac_doc)
    page = _page(clb_client, f'/cases/{case.id}/preview/iac-plan')
    assert 'Het IAC-plan is nog leeg: vul de stap IAC-plan in' in page
    assert 'hoort alleen bij een IAC-verslag' not in page  # it has one


def test_the_iac_plan_preview_of_a_gc_case_says_to_choose_iac(clb_client, create_case, iac_doc):
    for part in ('iac_plan', 'leersteun'):
        iac_doc.pop(part, None)
    iac_doc['verslag'] = {**iac_doc['verslag'], 'soort': 'gc', 'type': '9'}
    iac_doc['verslag'].pop('opleidingsvorm', None)
    case = create_case(iac_doc)
    page = _page(clb_client, f'/cases/{case.id}/preview/iac-plan')
    assert 'kies eerst een IAC-verslag in de stap Besluit' in page


def test_steps_and_fields_that_stay_in_the_clb_dossier_say_so(clb_client, iac_case):
    notice = 'Dit komt in geen document voor de school of de ouders'
    for step in ('strategie', 'onderzoek'):
        page = _page(clb_client, step_url(iac_case.id, step))
        assert 'id="internal-notice"' in page and notice in page, step
        assert 'class="preview-frame"' not in page, step  # no document preview beside a step that feeds none
    for step in ('intake', 'integratie', 'besluit'):
        assert notice not in _page(clb_client, step_url(iac_case.id, step)), step
    assert '<p class="hint internal-note">' in _page(clb_client, step_url(iac_case.id, 'advies'))  # notulen
    aanmelding = _page(clb_client, step_url(iac_case.id, 'aanmelding'))
    toestemmingen = aanmelding[aanmelding.index('<legend>Toestemmingen</legend>'):]
    assert toestemmingen.lstrip('<legend>Toestemmingen</legend>').strip().startswith(
        '<p class="hint internal-note">')


def test_json_paths_are_named_with_the_wizard_labels(app):
    with app.test_request_context():
        assert path_label(CASE_FLOW, 'ouders[0].voorkeurtaal') == 'Ouder 1 – Voorkeurtaal'
        assert path_label(CASE_FLOW, 'traject.behoeften[2].soort') == 'Behoefte 3 – Soort behoefte'
        assert path_label(CASE_FLOW, 'iac_plan.doelen[1].evaluaties[0].datum') == 'Doel 2 – Evaluatie 1 – Datum'
        assert path_label(CASE_FLOW, 'extra.iets') == 'extra.iets'  # no step edits it: the path itself


def test_the_web_import_names_fields_by_label(logged_in, iac_doc):
    iac_doc['ouders'][0]['voorkeurtaal'] = 'Nederlands'
    response = logged_in.post('/import', data={'file': (io.BytesIO(json.dumps(iac_doc).encode()), 'case.json')},
                              content_type='multipart/form-data')
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert ('<strong>Ouder 1 – Voorkeurtaal</strong> <code class="json-path">ouders[0].voorkeurtaal</code>: '
            "'Nederlands' is geen geldige taalcode") in page
