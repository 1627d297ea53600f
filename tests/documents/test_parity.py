"""DOCX/PDF parity: for every kind and every fictional case, the DOCX and the PDF say the same sentences.

A sentence is a run of at least four words ending in '.', '?' or '!', taken per paragraph: per DOCX paragraph
(table cells included), and per block of the HTML the PDF is laid out from (p, li, td, th, headings), because the
PDF's extracted text no longer knows where a table cell or a paragraph ended. Every HTML sentence must also be in
the PDF's extracted text, so what is compared is what the PDF prints. Whitespace is ignored (line wrapping differs).
"""
import re
from datetime import date
from functools import cache
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document
from lxml import html as lxml_html

from tests.documents.test_pdf import norm, pdf_text
from tests.helpers import OWN_EXAMPLES, example_cases, load_example
from webapp.documents import DOCUMENTS, kinds_for, render
from webapp.documents.context import build_document_context
from webapp.documents.env import make_document_env


TODAY = date(2026, 3, 20)
# The examples of the format and every fictional case of our own (one per level and verslag kind).
DOCS = {**example_cases(), **example_cases('traject-samenwerking/1'),
        **{p.stem: load_example(p) for p in sorted(Path(OWN_EXAMPLES).glob('*.json'))}}
# The parents' letter is built from one text for both formats and has its own tests.
CASES = [(name, kind) for name, doc in sorted(DOCS.items()) for kind in kinds_for(doc) if kind != 'oudersamenvatting']
_SENTENCE = re.compile(r'[^.!?]*[.!?]')


def sentences(text: str, min_words: int = 4) -> list[str]:
    """Return the sentences of `text` that have `min_words` words or more, whitespace collapsed."""
    flat = ' '.join(text.split()).lstrip('☐ ')  # the DOCX's tick box before a choice
    found = (m.group().strip() for m in _SENTENCE.finditer(flat))
    return [s for s in found if len(s.split()) >= min_words]


def docx_paragraph_texts(data: bytes) -> list[str]:
    """Return the body paragraphs of a DOCX in reading order, table cells included (not headers and footers)."""
    texts: list[str] = []

    def walk(container) -> None:
        for block in container.iter_inner_content():
            if hasattr(block, 'rows'):
                for row in block.rows:
                    for cell in dict.fromkeys(row.cells):  # a merged cell appears once
                        walk(cell)
            else:
                texts.append(block.text)
    walk(Document(BytesIO(data)))
    return texts


def html_block_texts(doc: dict, kind: str) -> list[str]:
    """Return the text of every block of the HTML that the PDF of `kind` is laid out from (running heads left out)."""
    spec = DOCUMENTS[kind]
    ctx = build_document_context(doc, kind, audience=spec.audience, final=True, today=TODAY)
    tree = lxml_html.fromstring(make_document_env('nl').get_template(spec.pdf).render(ctx))
    for hidden in tree.xpath('//div[@class="lopend"]'):
        hidden.getparent().remove(hidden)
    return [element.text_content() for element in tree.iter('p', 'li', 'td', 'th', 'h1', 'h2', 'h3', 'h4')]


@cache
def rendered(name: str, kind: str) -> tuple[list[str], list[str], str]:
    """Return the DOCX's paragraphs, the PDF's blocks and the PDF's printed text (normalised) of one document."""
    docx = docx_paragraph_texts(render(DOCS[name], kind, 'docx', final=True, today=TODAY))
    printed = norm(pdf_text(render(DOCS[name], kind, 'pdf', final=True, today=TODAY)))
    return docx, html_block_texts(DOCS[name], kind), printed


def unmatched(blocks: list[str], other: list[str]) -> list[str]:
    """Return the sentences of `blocks` that `other` does not say.

    A label may sit in the same paragraph in one format ('Effect: Ayla werkt langer.') and in a cell of its own in
    the other, so a sentence also matches when the text after its first ': ' is a sentence of `other`.
    """
    said = {norm(text) for block in other for s in sentences(block, 1) for text in (s, s.partition(': ')[2])}
    return [s for block in blocks for s in sentences(block)
            if norm(s) not in said and norm(s.partition(': ')[2]) not in said]


@pytest.mark.parametrize('name, kind', CASES)
def test_docx_and_pdf_say_the_same_sentences(name, kind):
    docx, pdf_blocks, printed = rendered(name, kind)
    assert [s for block in pdf_blocks for s in sentences(block) if norm(s) not in printed] == [], \
        'sentences the PDF does not print'
    assert unmatched(docx, pdf_blocks) == [], 'sentences only the DOCX has'
    assert unmatched(pdf_blocks, docx) == [], 'sentences only the PDF has'


def test_parity_covers_every_kind():
    assert {kind for _name, kind in CASES} == {'verslag', 'verslag-ouders', 'iac-plan', 'leersteunafspraken',
                                               'samenwerkingsafspraken', 'ontbindende-voorwaarde'}
