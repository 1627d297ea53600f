"""Rendered bytes are cached per (content, template version, kind, format, language, final, day)."""
import copy

import pytest

from tests.helpers import example_cases
from webapp.documents import DocumentError, render


def _doc() -> dict:
    return copy.deepcopy(next(d for d in example_cases().values() if d.get('verslag')))


def test_unchanged_document_comes_from_the_cache_and_a_change_renders_anew():
    doc = _doc()
    first = render(doc, 'verslag', 'docx')
    assert render(copy.deepcopy(doc), 'verslag', 'docx') is first  # same content: the very same bytes object
    doc['verslag']['advies'] = 'Een ander advies.'
    changed = render(doc, 'verslag', 'docx')
    assert changed is not first
    assert render(doc, 'verslag', 'docx', final=True) is not changed  # CONCEPT or not is part of the key


def test_invalid_or_inapplicable_documents_are_refused_with_a_message():
    doc = _doc()
    doc.pop('iac_plan', None)
    with pytest.raises(DocumentError, match='IAC-plan'):
        render(doc, 'iac-plan', 'pdf')
    with pytest.raises(DocumentError, match='docx of pdf'):
        render(doc, 'verslag', 'odt')
    with pytest.raises(DocumentError, match='Onbekend document'):
        render(doc, 'rapport', 'pdf')
