"""Render any document of a case: `render(case, kind, fmt, language)` -> bytes. No HTTP, no database."""
import hashlib
import json
from collections import OrderedDict
from datetime import date
from threading import Lock
from typing import Any

from flask_babel import gettext as _
from werkzeug.utils import secure_filename

from webapp.caseformat import validate
from webapp.documents.context import build_document_context, shareable_case
from webapp.documents.env import make_document_env, template_version
from webapp.documents.registry import DOCUMENTS, DocSpec, kinds_for


FORMATS = ('docx', 'pdf')
_CACHE: OrderedDict[str, bytes] = OrderedDict()
_CACHE_LOCK = Lock()
_CACHE_SIZE = 64


class DocumentError(ValueError):
    """A document cannot be rendered; the message says why, in the user's language."""


def render(case: dict[str, Any], kind: str, fmt: str, language: str = 'nl', *, final: bool = False,
           today: date | None = None, version: int | None = None) -> bytes:
    """Render document `kind` of `case` (a traject-case/1 or traject-samenwerking/1 dict) as DOCX or PDF bytes.

    `version` is the number of a frozen version: its footer then says "versie N · definitief op <today>".
    """
    spec = get_spec(case, kind, fmt, language)
    validate(case)
    today = today or date.today()
    key = cache_key(case, kind, fmt, language, final=final, today=today, version=version)
    with _CACHE_LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    data = render_uncached(case, kind, fmt, language, final=final, today=today, version=version, spec=spec)
    with _CACHE_LOCK:
        _CACHE[key] = data
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return data


def cache_key(case: dict[str, Any], kind: str, fmt: str, language: str, *, final: bool, today: date,
              version: int | None = None) -> str:
    """Return what identifies one rendered document: the case's content, the template version and every option."""
    # The case as stored, key order included: the PDF embeds it in that order.
    parts = (hashlib.sha256(json.dumps(case).encode()).hexdigest(), template_version(), kind, fmt, language,
             str(final), today.isoformat(), str(version))
    return hashlib.sha256('\0'.join(parts).encode()).hexdigest()


def render_uncached(case: dict[str, Any], kind: str, fmt: str, language: str = 'nl', *, final: bool = False,
                    today: date | None = None, version: int | None = None, spec: DocSpec | None = None) -> bytes:
    """Render without the cache (for the benchmark, and for `render` on a cache miss)."""
    spec = spec or get_spec(case, kind, fmt, language)
    ctx = build_document_context(case, kind, audience=spec.audience, final=final, today=today or date.today(),
                                 language=language, version=version)
    return _render_bytes(spec, ctx, fmt, ctx['lang'], shareable_case(case, spec.audience, kind, language))


def get_spec(case: dict[str, Any], kind: str, fmt: str, language: str = 'nl') -> DocSpec:
    """Return the registry entry for `kind`, or raise DocumentError saying why it cannot be rendered."""
    spec = DOCUMENTS.get(kind)
    if spec is None:
        raise DocumentError(_('Onbekend document "{kind}". Kies uit: {kinds}.').format(
            kind=kind, kinds=', '.join(DOCUMENTS)))
    if fmt not in FORMATS:
        raise DocumentError(_('Onbekend formaat "{fmt}". Kies docx of pdf.').format(fmt=fmt))
    if case.get('formaat') != spec.formaat:
        raise DocumentError(_('Het document "{kind}" wordt gemaakt uit een {formaat}-bestand.').format(
            kind=kind, formaat=spec.formaat))
    if not spec.applies(case):
        raise DocumentError(spec.refusal(case))
    if language not in spec.languages:
        if len(spec.languages) == 1:
            raise DocumentError(_('Het document "{kind}" bestaat alleen in het Nederlands.').format(kind=kind))
        # The parents' letter: a language Traject cannot write falls back to Dutch (parents.summary_languages).
        raise DocumentError(_('Traject kan het document "{kind}" niet in de taal "{language}" schrijven. Maak het in '
                              'het Nederlands, of kies uit: {languages}.').format(
            kind=kind, language=language, languages=', '.join(lang for lang in spec.languages if '+' not in lang)))
    return spec


def _render_bytes(spec: DocSpec, ctx: dict[str, Any], fmt: str, language: str, shared: dict[str, Any]) -> bytes:
    env = make_document_env(language)
    if fmt == 'pdf':
        from webapp.documents.pdf import render_pdf
        return render_pdf(spec, ctx, env, attachment=shared).getvalue()
    from webapp.documents.docx import render_docx
    return render_docx(spec, ctx, env).getvalue()


def download_name(doc: dict, kind: str, fmt: str, language: str, version: int | None = None) -> str:
    """Return a clean, readable file name: verslag-noor-peeters-2026-03-14.pdf; a frozen version's ends in -v2.pdf."""
    if doc.get('formaat') == 'traject-case/1':
        who = f"{doc['leerling']['voornaam']}-{doc['leerling']['achternaam']}"
        when = (doc.get('verslag') or {}).get('datum') or date.today().isoformat()
    else:
        who, when = doc['school']['naam'], doc['schooljaar']
    suffix = ('' if language == 'nl' else f'-{language}') + (f'-v{version}' if version else '')
    return secure_filename(f'{kind}-{who}-{when}{suffix}.{fmt}'.lower().replace(' ', '-'))


__all__ = ['DOCUMENTS', 'DocumentError', 'FORMATS', 'cache_key', 'download_name', 'get_spec', 'kinds_for', 'render',
           'render_uncached']
