"""Broken JSON is explained in Dutch, with the reason Python's parser gave."""
import pytest

from webapp.caseformat import CaseFormatError, parse_json


@pytest.mark.parametrize('raw, reason', [
    (r'{"a": "\u12"}', 'na \\u volgen vier hexadecimale tekens'),
    (r'{"a": "\q"}', 'ongeldige escape met \\'),
    ('{"a": 1,}', 'veldnaam tussen aanhalingstekens'),
])
def test_json_errors_name_line_column_and_reason(raw, reason):
    with pytest.raises(CaseFormatError) as excinfo:
        parse_json(raw)
    message = str(excinfo.value)
    assert 'regel 1, kolom' in message
    assert reason in message
