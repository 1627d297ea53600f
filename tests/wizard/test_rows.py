"""Lists grow, shrink and reorder with plain submit buttons: no JavaScript, nothing typed is lost."""
from tests.wizard.helpers import read_form, stored, step_url, submit


def _post(client, url, data, action):
    return client.post(url, data={**data, 'action': action})


def test_add_remove_and_reorder_rows_without_javascript(clb_client, new_case, session):
    url = step_url(new_case, 'intake')
    data = read_form(clb_client.get(url).get_data(as_text=True))
    assert 'hulpvragen-0-vraag' in data and 'hulpvragen-1-vraag' not in data  # one row to start with
    data.update({'hulpvragen-0-van': 'leerling', 'hulpvragen-0-vraag': 'Eerste vraag',
                 'voorgeschiedenis': 'Nog niet bewaard'})

    response = _post(clb_client, url, data, 'add:hulpvragen')
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'error-summary' not in page  # adding a row does not validate
    data = read_form(page)
    assert data['hulpvragen-0-vraag'] == 'Eerste vraag' and data['voorgeschiedenis'] == 'Nog niet bewaard'
    assert data['hulpvragen-1-vraag'] == ''
    assert 'id="hulpvragen-1-row" tabindex="-1" autofocus' in page  # the new row gets the focus

    data.update({'hulpvragen-1-van': 'ouders', 'hulpvragen-1-vraag': 'Tweede vraag'})
    data = read_form(_post(clb_client, url, data, 'add:hulpvragen').get_data(as_text=True))
    data.update({'hulpvragen-2-van': 'school', 'hulpvragen-2-vraag': 'Derde vraag'})

    data = read_form(_post(clb_client, url, data, 'up:hulpvragen-2').get_data(as_text=True))
    assert [data[f'hulpvragen-{i}-vraag'] for i in range(3)] == ['Eerste vraag', 'Derde vraag', 'Tweede vraag']
    assert data['hulpvragen-1-van'] == 'school'  # the whole row moved

    data = read_form(_post(clb_client, url, data, 'down:hulpvragen-0').get_data(as_text=True))
    assert [data[f'hulpvragen-{i}-vraag'] for i in range(3)] == ['Derde vraag', 'Eerste vraag', 'Tweede vraag']

    data = read_form(_post(clb_client, url, data, 'remove:hulpvragen-1').get_data(as_text=True))
    assert [data[f'hulpvragen-{i}-vraag'] for i in range(2)] == ['Derde vraag', 'Tweede vraag']
    assert 'hulpvragen-2-vraag' not in data

    assert stored(session, new_case)['traject'] == {}  # nothing saved by the list buttons
    assert _post(clb_client, url, data, 'bewaren').status_code == 302
    assert [h['vraag'] for h in stored(session, new_case)['traject']['hulpvragen']] == ['Derde vraag', 'Tweede vraag']


def test_rows_inside_rows(clb_client, iac_case, session):
    url = step_url(iac_case.id, 'iac-plan')
    before = stored(session, iac_case.id)['iac_plan']['doelen'][1]
    page = submit(clb_client, url, action='add:doelen-1-evaluaties').get_data(as_text=True)
    n = len(before.get('evaluaties', []))
    data = read_form(page)
    assert data[f'doelen-1-evaluaties-{n}-resultaat'] == ''
    data.update({f'doelen-1-evaluaties-{n}-datum': '2026-06-30', f'doelen-1-evaluaties-{n}-resultaat': 'Gehaald.',
                 f'doelen-1-evaluaties-{n}-beslissing': 'afgerond'})
    data = read_form(_post(clb_client, url, data, 'up:doelen-1').get_data(as_text=True))
    assert data['doelen-0-formulering'] == before['formulering']  # the goal moved with its evaluations
    assert data[f'doelen-0-evaluaties-{n}-resultaat'] == 'Gehaald.'
    assert _post(clb_client, url, data, 'volgende').status_code == 302
    doel = stored(session, iac_case.id)['iac_plan']['doelen'][0]
    assert doel['formulering'] == before['formulering'] and doel['evaluaties'][-1]['resultaat'] == 'Gehaald.'


def test_an_empty_row_is_dropped_not_stored(clb_client, new_case, session):
    url = step_url(new_case, 'intake')
    response = submit(clb_client, url, {'voorgeschiedenis': 'x'}, action='add:zorgcontinuum')
    data = read_form(response.get_data(as_text=True))
    assert _post(clb_client, url, data, 'bewaren').status_code == 302
    traject = stored(session, new_case)['traject']
    assert traject['zorgcontinuum'] == [] and traject['hulpvragen'] == []


def test_lists_of_single_values(clb_client, iac_case, session):
    url = step_url(iac_case.id, 'strategie')
    data = read_form(submit(clb_client, url, action='add:hypothesen').get_data(as_text=True))
    last = max(int(k.split('-')[1]) for k in data if k.startswith('hypothesen-'))
    data[f'hypothesen-{last}'] = 'Een nieuwe hypothese'
    data = read_form(_post(clb_client, url, data, f'up:hypothesen-{last}').get_data(as_text=True))
    assert data[f'hypothesen-{last - 1}'] == 'Een nieuwe hypothese'
    assert _post(clb_client, url, data, 'volgende').status_code == 302
    assert stored(session, iac_case.id)['traject']['strategie']['hypothesen'][-2] == 'Een nieuwe hypothese'
