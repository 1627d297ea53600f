"""Numbers no record can have (too large for the database's integer column, negative) are a 404, never an error."""
import re

import pytest


HUGE = (2 ** 31, 10 ** 30)


def urls_with_numbers(app, number: int) -> list[tuple[str, str]]:
    """Return (method, url) for every route with a number in its path, that number filled in everywhere."""
    found = []
    for rule in app.url_map.iter_rules():
        if '<int:' not in rule.rule:
            continue
        path = re.sub(r'<int:[^>]+>', str(number), rule.rule)
        path = re.sub(r'<(?:[^:>]+:)?[^>]+>', 'verslag', path)
        for method in sorted(rule.methods - {'HEAD', 'OPTIONS'}):
            found.append((method, path))
    return found


@pytest.mark.parametrize('number', HUGE)
def test_a_number_too_large_for_any_record_is_a_404_on_every_route(app, logged_in, number):
    checked = urls_with_numbers(app, number)
    assert len(checked) > 10  # the routes were found
    for method, url in checked:
        response = logged_in.open(url, method=method)
        assert response.status_code == 404, (method, url, response.status_code)


def test_filters_and_pages_past_any_record_show_the_list(logged_in):
    for query in ('school=99999999999999999999', 'pagina=99999999999999999999', 'school=-1', 'pagina=-5'):
        response = logged_in.get('/?' + query)
        assert response.status_code == 200 and 'Dossiers' in response.get_data(as_text=True), query
