"""A whole new IAC case in a real browser: from an empty case list to its verslag and IAC plan as PDF and DOCX."""
from pathlib import Path

from tests.browser.conftest import case_id_of, docx_text, fill_step, login, pdf_text, stored_case, submit
from tests.wizard.test_walkthrough import IAC_CASE


STEPS = ['aanmelding', 'intake', 'strategie', 'onderzoek', 'integratie', 'advies', 'besluit', 'iac-plan',
         'leersteun', 'ouders']
HEADINGS = {'aanmelding': 'Aanmelding', 'intake': 'Intake', 'strategie': 'Strategie', 'onderzoek': 'Onderzoek',
            'integratie': 'Integratie', 'advies': 'Advies', 'besluit': 'Besluit (verslag)', 'iac-plan': 'IAC-plan',
            'leersteun': 'Leersteun', 'ouders': 'Ouders'}


def test_a_new_iac_case_from_the_empty_list_to_its_documents(live_app, live_server, page, clb_user):
    login(page, live_server, *clb_user)
    assert page.locator('h1').inner_text() == 'Dossiers'
    assert page.locator('table.cases').count() == 0  # an empty case list
    assert page.locator('html').get_attribute('lang') == 'nl-BE'

    submit(page, '#new-case')
    assert page.url.endswith('/cases/nieuw')  # nothing stored yet: the first save of step 1 creates the case
    case_id = None
    for number, step in enumerate(STEPS, start=1):
        if step != 'aanmelding':
            case_id = case_id or case_id_of(page.url)
            assert page.url.endswith(f'/cases/{case_id}/steps/{step}'), (step, page.url)
        assert page.locator('#step-title').inner_text() == HEADINGS[step]
        # The total grows as the answers make more steps apply (onderzoek, IAC-plan, leersteun).
        assert page.locator('.step-count').inner_text().startswith(f'Stap {number} van ')
        values = dict(IAC_CASE[step])
        if step == 'aanmelding':
            # The pupil's first name typed key by key, the way a user does; the rest is filled in.
            page.locator('#leerling-voornaam').press_sequentially(values.pop('leerling-voornaam'))
        fill_step(page, values)
        if step == 'intake':
            # Enter in a one-line field presses the form's default button: "Volgende", not a row's "Verwijderen".
            with page.expect_navigation():
                page.locator('#zorgcontinuum-0-periode').press('Enter')
        else:
            submit(page, '#btn-volgende')
        error = page.locator('#error-summary')
        assert error.count() == 0, (step, error.inner_text() if error.count() else '')

    assert page.url.endswith(f'/cases/{case_id}/steps/nalezen')
    assert page.locator('h1').inner_text() == 'Nalezen'
    assert page.locator('.step-count').inner_text() == 'Stap 11 van 11'
    # Every document of the case is complete: nothing listed as missing, every download button enabled.
    checks = page.locator('.doc-check')
    kinds = [c.removeprefix('document-') for c in checks.evaluate_all('(cs) => cs.map((c) => c.id)')]
    assert {'verslag', 'iac-plan', 'leersteunafspraken'} <= set(kinds)
    for kind in kinds:
        check = page.locator(f'#document-{kind}')
        assert 'Volledig: dit document kan gemaakt worden.' in check.inner_text(), kind
        assert check.locator('.missing').count() == 0, kind
    for kind in ('verslag', 'iac-plan', 'leersteunafspraken'):
        for fmt in ('pdf', 'docx'):
            assert page.locator(f'a#download-{kind}-{fmt}').count() == 1, (kind, fmt)  # a link, not a disabled span
    assert page.locator('#finalize').is_enabled()
    doc = stored_case(live_app, case_id)
    assert doc['leerling']['geboortedatum'] == '2014-05-03'
    assert doc['clb']['naam'] == 'CLB Zennevallei'

    # What was typed, and a Dutch heading of each document; drafts say CONCEPT (in the DOCX: in the page header).
    expected = {
        'verslag': ['IAC-verslag', 'Verslag dat leidt tot een individueel traject',
                    '5. Onderwijs- en opvoedingsbehoeften', 'Noor Peeters', 'Noor heeft eigen doelen nodig.',
                    'Noor leest zelfstandig eenvoudige teksten.',
                    'Het gemeenschappelijk curriculum is ook met aanpassingen niet haalbaar.', 'CONCEPT'],
        'iac-plan': ['Individueel aangepast curriculum (IAC-plan)', '4. Langetermijnperspectief', 'Noor Peeters',
                     'Noor rekent met geld.', 'Oefenen in de klaswinkel.', 'CONCEPT'],
    }
    for kind, texts in expected.items():
        for fmt in ('pdf', 'docx'):
            with page.expect_download() as info:
                page.click(f'#download-{kind}-{fmt}')
            download = info.value
            assert download.failure() is None
            # Named after the pupil and the date of the verslag: verslag-noor-peeters-2026-02-24.pdf
            assert download.suggested_filename == f'{kind}-noor-peeters-2026-02-24.{fmt}'
            data = Path(download.path()).read_bytes()
            if fmt == 'pdf':
                assert data.startswith(b'%PDF')
            text = pdf_text(data) if fmt == 'pdf' else docx_text(data)
            missing = [words for words in texts if words not in text]
            assert missing == [], (kind, fmt, text[:3000])
