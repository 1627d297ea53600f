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


@pytest.mark.parametrize('args', [
    ['render', '99999999999999999999', '--document', 'verslag', '--format', 'pdf', '-o', 'x.pdf'], ['export', '99999999999999999999'],
    ['render', 'samenwerking-99999999999999999999', '--document', 'samenwerkingsafspraken', '--format', 'pdf', '-o', 'x.pdf'],
    ['render', '²', '--document', 'verslag', '--format', 'pdf', '-o', 'x.pdf'], ['versions', '99999999999999999999'],
    ['finalise', '99999999999999999999'], ['delete', '99999999999999999999', '--yes'],
    ['gdpr', 'export', '99999999999999999999', '-o', 'x.zip'],
])
def test_the_command_line_says_no_record_has_that_number(runner, args):
    result = runner.invoke(args=args)
    assert result.exit_code != 0 and isinstance(result.exception, SystemExit), result.output
    assert 'Geen dossier gevonden met nummer of id' in result.output, result.output


@pytest.mark.parametrize('args', [
    ['share', 'revoke', '99999999999999999999'], ['share', 'list', '99999999999999999999'],
    ['share', 'create', '99999999999999999999', '--ouder', '1'], ['share', 'create', '1', '--ouder', '10000000'],
    ['share', 'create', '1', '--ouder', '1', '--days', '99999999999999999999'],
])
def test_share_commands_refuse_numbers_out_of_range_with_a_usage_message(runner, args):
    result = runner.invoke(args=args)
    assert result.exit_code == 2 and 'Traceback' not in result.output, result.output


def test_forms_with_a_number_past_any_record_answer_calmly(logged_in, create_case, dummy_case):
    case = create_case(dummy_case)
    for url, field in ((f'/cases/{case.id}/links/intrekken', 'link_id'),
                       (f'/cases/{case.id}/antwoorden/gelezen', 'reply_id')):
        response = logged_in.post(url, data={field: '99999999999999999999'}, follow_redirects=True)
        assert response.status_code == 200, (url, response.status_code)
