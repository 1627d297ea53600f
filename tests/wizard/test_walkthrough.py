"""A whole new IAC case through every step, from "Nieuw dossier" to a complete review and its documents."""
import io
import zipfile

from tests.wizard.helpers import stored, step_url, submit


# What a CLB worker types, step by step; the keys are the input names a browser test fills in too.
IAC_CASE = {
    'aanmelding': {
        'leerling-voornaam': 'Noor', 'leerling-achternaam': 'Peeters', 'leerling-geboortedatum': '03/05/2014',
        'leerling-onderwijsniveau': 'lager', 'leerling-leerjaar': '5de leerjaar', 'leerling-klas': '',
        'school-naam': 'Basisschool De Linde', 'school-soort': 'gewoon',
        'leersteuncentrum-naam': 'Leersteuncentrum Kempen',
        'ouders-0-naam': 'An Peeters', 'ouders-0-relatie': 'moeder', 'ouders-0-voorkeurtaal': 'fr',
        'betrokkenen-0-naam': 'Lotte Hermans', 'betrokkenen-0-rol': 'clb-medewerker',
        'toestemmingen-0-onderwerp': 'clb-begeleiding', 'toestemmingen-0-gegeven_door': 'An Peeters',
        'toestemmingen-0-datum': '2025-09-22',
        'aanmeldingsdatum': '2025-09-22', 'aanmelder': 'school',
        'aanleiding': 'Noor werkt voor wiskunde op het niveau van het 3de leerjaar.',
    },
    'intake': {
        'hulpvragen-0-van': 'leerkracht', 'hulpvragen-0-vraag': 'Welke doelen zijn haalbaar voor Noor?',
        'voorgeschiedenis': 'Logopedie sinds het 1ste leerjaar.',
        'zorgcontinuum-0-fase': 'verhoogde-zorg', 'zorgcontinuum-0-categorie': 'remedierend',
        'zorgcontinuum-0-maatregel': 'Remediëring rekenen', 'zorgcontinuum-0-periode': 'sinds het 4de leerjaar',
        'zorgcontinuum-0-effect': 'Weinig vooruitgang.',
    },
    'strategie': {
        'hypothesen-0': 'Noor functioneert cognitief zwak.', 'onderzoeksvragen-0': 'Hoe is het cognitieve profiel?',
        'onderzoek_nodig': 'ja',
    },
    'onderzoek': {
        'onderzoek-0-methode': 'WISC-V-NL', 'onderzoek-0-uitvoerder': 'Lotte Hermans',
        'onderzoek-0-datum': '2025-10-21', 'onderzoek-0-resultaat': 'Totaal IQ 74.',
    },
    'integratie': {
        'beeldvorming-0-context': 'leerling', 'beeldvorming-0-soort': 'stimulerend',
        'beeldvorming-0-beschrijving': 'Noor leert graag door te doen.',
        'behoeften-0-soort': 'onderwijsbehoefte', 'behoeften-0-formulering': 'Noor heeft eigen doelen nodig.',
    },
    'advies': {
        'doelen-0-termijn': 'lange-termijn', 'doelen-0-formulering': 'Noor leest zelfstandig eenvoudige teksten.',
        'aanpassingen-0-categorie': 'differentierend', 'aanpassingen-0-beschrijving': 'Eigen leerlijn wiskunde.',
        'aanpassingen-0-afweging-kostprijs': 'Geen extra kosten.', 'aanpassingen-0-oordeel': 'disproportioneel',
        'aanpassingen-0-motivering': 'De afstand tot de klasdoelen is te groot.',
        'overleg-0-soort': 'adviesgesprek', 'overleg-0-datum': '2026-02-19',
        'overleg-0-deelnemers': 'An Peeters\nLotte Hermans', 'overleg-0-standpunt_ouders': 'akkoord',
    },
    'besluit': {
        'soort': 'iac', 'type': 'basisaanbod', 'datum': '2026-02-24', 'verantwoordelijke': 'Lotte Hermans',
        'motivering': 'Noor heeft leersteun nodig om haar eigen doelen te halen.',
        'motivering_disproportioneel': 'Het gemeenschappelijk curriculum is ook met aanpassingen niet haalbaar.',
        'advies': 'Een individueel aangepast curriculum in de eigen school.',
    },
    'iac-plan': {
        'klassenraad_datum': '2026-03-05', 'beginsituatie': 'Noor rekent op het niveau van het 3de leerjaar.',
        'langetermijnperspectief': 'Zelfstandig functioneren in het secundair.',
        'doelen-0-domein': 'Wiskunde - geld', 'doelen-0-bron': 'eindterm',
        'doelen-0-formulering': 'Noor rekent met geld.',
        'doelen-0-succescriterium': 'Vier van de vijf keer juist.', 'doelen-0-aanpak': 'Oefenen in de klaswinkel.',
        'doelen-0-verantwoordelijke': 'de klasleerkracht',
        'studiebekrachtiging': 'attest-verworven-bekwaamheden', 'evaluatiemomenten-0': '2026-04-23',
    },
    'leersteun': {
        'aanvraagdatum': '2026-03-02', 'leerondersteuner': 'Joris Verlinden',
        'vormen-0-soort': 'leerlinggericht', 'vormen-0-doel': 'Functioneel rekenen.',
        'vormen-0-frequentie': '2 keer per week', 'vormen-0-locatie': 'in de klas', 'evaluatiedata-0': '2026-04-23',
    },
    'ouders': {'talen-0': 'fr', 'toelichting': 'Ik blijf uw aanspreekpunt.'},
}


def _add_rows(client, url, changes):
    """Press "toevoegen" for every list the changes type into that has no row yet, as a user would."""
    for name in changes:
        parts = name.split('-')
        if len(parts) >= 2 and parts[1].isdigit():
            page = client.get(url).get_data(as_text=True)
            if f'name="{name}"' not in page:
                response = submit(client, url, action=f'add:{parts[0]}')
                assert response.status_code == 200


def walk(client, case_id: int, steps: dict[str, dict[str, str]]) -> list[str]:
    """Fill in and submit each step with "Volgende"; return the steps the wizard led to, in order."""
    visited = []
    url = step_url(case_id, 'aanmelding')
    while url:
        step = url.rsplit('/', 1)[1]
        visited.append(step)
        if step == 'nalezen':
            break
        _add_rows(client, url, steps[step])
        response = submit(client, url, steps[step])
        assert response.status_code == 302, (step, response.get_data(as_text=True)[:3000])
        url = response.headers['Location']
    return visited


def test_a_new_iac_case_walks_every_step_and_ends_complete(clb_client, new_case, session):
    visited = walk(clb_client, new_case, IAC_CASE)
    assert visited == ['aanmelding', 'intake', 'strategie', 'onderzoek', 'integratie', 'advies', 'besluit',
                       'iac-plan', 'leersteun', 'ouders', 'nalezen']
    doc = stored(session, new_case)
    assert doc['leerling']['geboortedatum'] == '2014-05-03'  # typed the Belgian way, stored as ISO
    assert 'klas' not in doc['leerling']  # an empty optional field is left out, not stored as ''
    assert doc['clb']['naam'] == 'CLB Zennevallei'  # prefilled from the user's organisation
    assert doc['traject']['onderzoek'][0]['vraag'] == 'Hoe is het cognitieve profiel?'  # offered from strategie
    assert doc['overleg'][0]['deelnemers'] == ['An Peeters', 'Lotte Hermans']
    assert doc['traject']['strategie']['onderzoek_nodig'] is True

    review = clb_client.get(step_url(new_case, 'nalezen')).get_data(as_text=True)
    for kind in ('verslag', 'iac-plan', 'leersteunafspraken'):
        assert f'id="download-{kind}-pdf" href=' in review, kind
    assert 'mist nog' not in review

    for kind in ('verslag', 'iac-plan'):
        pdf = clb_client.get(f'/cases/{new_case}/documents/{kind}.pdf')
        assert pdf.status_code == 200 and pdf.data.startswith(b'%PDF'), kind
        docx = clb_client.get(f'/cases/{new_case}/documents/{kind}.docx')
        assert docx.status_code == 200
        with zipfile.ZipFile(io.BytesIO(docx.data)) as archive:
            assert 'Noor' in archive.read('word/document.xml').decode()


def test_the_progress_list_links_the_steps_reached(clb_client, new_case):
    page = clb_client.get(step_url(new_case, 'aanmelding')).get_data(as_text=True)
    assert 'value="stap:intake"' not in page  # not reached yet
    assert 'aria-current="step"' in page
    walk(clb_client, new_case, {**IAC_CASE, 'intake': IAC_CASE['intake']})
    page = clb_client.get(step_url(new_case, 'intake')).get_data(as_text=True)
    # A step reached is a button of the step's form: going there keeps what was typed here as a draft.
    assert '<button type="submit" form="step-form" name="action" value="stap:besluit"' in page
    assert 'step-complete' in page


def test_a_new_case_is_on_the_list_before_it_has_a_school(clb_client, new_case):
    page = clb_client.get('/').get_data(as_text=True)
    assert 'id="new-case"' in page
    assert f'href="/cases/{new_case}">(nieuw dossier)</a>' in page


def test_the_case_page_resumes_the_wizard(clb_client, new_case):
    response = clb_client.get(f'/cases/{new_case}/steps')
    assert response.headers['Location'].endswith(step_url(new_case, 'aanmelding'))
    assert 'id="open-wizard"' in clb_client.get(f'/cases/{new_case}').get_data(as_text=True)
