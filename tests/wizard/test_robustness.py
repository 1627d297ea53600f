"""Nothing a browser can send makes a step answer with a server error."""
import pytest

from tests.wizard.helpers import read_form, step_url


STEPS = ('aanmelding', 'intake', 'strategie', 'onderzoek', 'integratie', 'advies', 'besluit', 'iac-plan', 'leersteun',
         'ouders')
ODD_VALUES = ('', 'onbekende-waarde', '\x00\x0b<script>alert(1)</script>', 'x' * 10_001, '31/02/2026', '١٢', 'ja')


@pytest.mark.parametrize('step', STEPS)
def test_odd_input_in_every_field_is_answered_calmly(clb_client, iac_case, step):
    url = step_url(iac_case.id, step)
    fields = read_form(clb_client.get(url).get_data(as_text=True))
    for odd in ODD_VALUES:
        data = {name: (value if name == 'csrf_token' else odd) for name, value in fields.items()}
        for action in ('volgende', 'bewaren'):
            response = clb_client.post(url, data={**data, 'action': action})
            assert response.status_code in (302, 409, 422), (step, odd[:10], action, response.status_code)
            assert 'Traceback' not in response.get_data(as_text=True)
        clb_client.post(url, data={'action': 'verwerpen'})
    for kind in ('verslag', 'iac-plan', 'leersteunafspraken', 'oudersamenvatting'):
        assert clb_client.get(f'/cases/{iac_case.id}/preview/{kind}').status_code == 200


def test_a_text_longer_than_the_format_allows_is_refused(clb_client, new_case):
    url = step_url(new_case, 'intake')
    data = read_form(clb_client.get(url).get_data(as_text=True))
    response = clb_client.post(url, data={**data, 'voorgeschiedenis': 'x' * 10_001, 'action': 'bewaren'})
    assert response.status_code == 422
    assert 'Deze tekst is te lang (maximaal 10000 tekens).' in response.get_data(as_text=True)
