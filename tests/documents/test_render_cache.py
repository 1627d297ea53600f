"""Rendered bytes are cached per (content, template version, kind, format, language, final, day)."""
import copy

import pytest

from tests.helpers import example_cases
from webapp.documents import DocumentError, render
from webapp.documents.env import DOCUMENT_SOURCES, fingerprint, template_version


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


def test_template_version_follows_the_files_a_document_is_made_from(tmp_path):
    (tmp_path / 'pdf').mkdir()
    template = tmp_path / 'pdf' / 'verslag.html'
    template.write_text('<h1>{{ titel }}</h1>', encoding='utf-8')
    sources = [(tmp_path, '**/*')]
    before = fingerprint(sources)
    assert fingerprint(sources) == before
    template.write_text('<h1>{{ titel }}</h1>\n<p>Nieuw</p>', encoding='utf-8')
    assert fingerprint(sources) != before
    (tmp_path / 'pdf' / '__pycache__').mkdir()
    (tmp_path / 'pdf' / '__pycache__' / 'x.pyc').write_bytes(b'build leftovers')
    assert fingerprint(sources) == fingerprint([(tmp_path, 'pdf/*.html')])


def test_the_real_templates_catalogs_and_code_are_part_of_the_version():
    covered = {path.name for root, pattern in DOCUMENT_SOURCES for path in root.glob(pattern)}
    assert {'verslag.html', 'print.css', 'verslag_iac.docx', 'NotoSans-Regular.ttf', 'documents.po',
            'context.py'} <= covered
    assert len(template_version()) == 16


def test_a_new_template_version_renders_anew(monkeypatch):
    doc = _doc()
    first = render(doc, 'verslag', 'docx')
    monkeypatch.setattr('webapp.documents.template_version', lambda: 'een-nieuwe-versie')
    assert render(doc, 'verslag', 'docx') is not first


def test_key_order_is_part_of_the_content():
    doc = _doc()
    first = render(doc, 'verslag', 'docx')
    reordered = dict(reversed(list(doc.items())))
    assert render(reordered, 'verslag', 'docx') is not first
