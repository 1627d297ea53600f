"""The parents' letter in the browser: one download per language asked for, bilingual too; readability shown."""
from tests.helpers import example_cases


def _case_with_two_languages(clb: dict):
    """Return a case whose parents ask for two languages, as a case of `clb` (the logged-in worker's CLB)."""
    doc = next(d for d in example_cases().values()
               if d.get('verslag') and any((o.get('voorkeurtaal') or 'nl') != 'nl' for o in d['ouders']))
    return {**doc, 'clb': clb}


def test_case_page_offers_the_letter_in_each_parents_language(logged_in, create_case, dummy_case):
    doc = _case_with_two_languages(dummy_case['clb'])
    case = create_case(doc)
    page = logged_in.get(f'/cases/{case.id}').get_data(as_text=True)
    other = next((o['voorkeurtaal'] for o in doc['ouders'] if (o.get('voorkeurtaal') or 'nl') != 'nl'))
    assert f'oudersamenvatting.pdf?taal={other}' in page
    assert f'oudersamenvatting.pdf?taal={other}%2Bnl' in page
    assert 'oudersamenvatting.docx?taal=nl' in page
    response = logged_in.get(f'/cases/{case.id}/documents/oudersamenvatting.pdf?taal={other}')
    assert response.status_code == 200
    assert response.data.startswith(b'%PDF')
    assert f'-{other}.pdf' in response.headers['Content-Disposition']


def test_a_language_traject_cannot_write_is_said_plainly(logged_in, create_case, dummy_case):
    doc = _case_with_two_languages(dummy_case['clb'])
    doc['oudersamenvatting'] = {'talen': ['ku']}  # Kurdish: Dari ('prs') is a letter language now
    case = create_case(doc)
    page = logged_in.get(f'/cases/{case.id}').get_data(as_text=True)
    assert 'De ouders krijgen de Nederlandse versie' in page and 'Koerdisch' in page


def test_ouders_step_and_review_show_the_readability_report(logged_in, create_case, dummy_case):
    case = create_case(_case_with_two_languages(dummy_case['clb']))
    for url in (f'/cases/{case.id}/steps/ouders', f'/cases/{case.id}/steps/nalezen'):
        page = logged_in.get(url).get_data(as_text=True)
        assert 'Leesbaarheid van de brief aan de ouders' in page, url
        assert 'Flesch-Douma' in page, url
