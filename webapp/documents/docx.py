"""The DOCX renderer: fill a docxtpl template with the document context and return the file in memory.

DOCX files are working copies that people edit in Word, so the templates (built by
templates_docs/build_docx_templates.py) use real styles, and the properties below name the document.
"""
from datetime import datetime, time
from io import BytesIO
from pathlib import Path
from threading import Lock
from typing import Any
from weakref import WeakKeyDictionary

from docxtpl import DocxTemplate
from jinja2 import Environment, Template
from jinja2.sandbox import SandboxedEnvironment

from webapp.documents.env import DOCX_DIR
from webapp.documents.registry import DocSpec


# Per-process caches. docxtpl preprocesses and compiles the XML of every part on every render, which is about
# two thirds of the render time; the XML depends only on the template file, so both steps are done once.
_CACHE_LIMIT = 64
_LOCK = Lock()
_FILES: dict[Path, tuple[int, int, bytes]] = {}
_PATCHED: dict[str, str] = {}
_COMPILED: 'WeakKeyDictionary[Environment, dict[str, Template]]' = WeakKeyDictionary()


def render_docx(spec: DocSpec, ctx: dict[str, Any], env: SandboxedEnvironment) -> BytesIO:
    """Fill the DOCX template of `spec` (chosen from `ctx`, e.g. by verslag soort) and return the document."""
    template = _CachedTemplate(BytesIO(_template_bytes(DOCX_DIR / spec.docx(ctx))))
    # autoescape: a '<' or '&' in free text would otherwise corrupt the XML. Line feeds in values become line
    # breaks (docxtpl does that for every rendered text); other control characters were stripped by the context.
    template.render(ctx, jinja_env=env, autoescape=True)
    _set_properties(template, spec, ctx)
    out = BytesIO()
    template.save(out)
    out.seek(0)
    return out


def document_title(spec: DocSpec, ctx: dict[str, Any]) -> str:
    """Return the title of the rendered document, as shown in Word's properties and the window title."""
    if 'samenwerking' in ctx:
        title = f"{spec.title} {ctx['samenwerking']['schooljaar']}"
        who = ctx['samenwerking']['school']['naam']
    else:
        title = ctx['verslag']['titel'] if spec.kind in ('verslag', 'verslag-ouders') else str(spec.title)
        who = ctx['leerling']['naam']
    return f'{title} – {who}'


class _CachedTemplate(DocxTemplate):
    """docxtpl's template, with the preprocessed and compiled Jinja of each part kept for the next render."""

    def patch_xml(self, src_xml: str) -> str:
        patched = _PATCHED.get(src_xml)
        if patched is None:
            patched = super().patch_xml(src_xml)
            with _LOCK:
                if len(_PATCHED) >= _CACHE_LIMIT:
                    _PATCHED.clear()
                _PATCHED[src_xml] = patched
        return patched

    def render_xml_part(self, src_xml, part, context, jinja_env=None):
        return super().render_xml_part(src_xml, part, context, _CompilingEnv(jinja_env))

    def render_properties(self, context, jinja_env=None) -> None:
        # docxtpl would render the core properties as Jinja with autoescaping (an apostrophe in a name would
        # become '&#39;'); _set_properties writes them as plain values instead.
        return None


class _CompilingEnv:
    """The one method docxtpl's render_xml_part calls on its environment, answered from the compile cache."""

    def __init__(self, env: Environment):
        self.env = env

    def __bool__(self) -> bool:
        return True

    def from_string(self, source: str) -> Template:
        with _LOCK:
            compiled = _COMPILED.setdefault(self.env, {})
            template = compiled.get(source)
        if template is None:
            template = self.env.from_string(source)
            with _LOCK:
                if len(compiled) >= _CACHE_LIMIT:
                    compiled.clear()
                compiled[source] = template
        return template


def _template_bytes(path: Path) -> bytes:
    # Re-read the file when it changes on disk (a rebuilt template during development).
    stat = path.stat()
    cached = _FILES.get(path)
    if cached is None or cached[:2] != (stat.st_mtime_ns, stat.st_size):
        cached = (stat.st_mtime_ns, stat.st_size, path.read_bytes())
        with _LOCK:
            _FILES[path] = cached
    return cached[2]


def _set_properties(template: DocxTemplate, spec: DocSpec, ctx: dict[str, Any]) -> None:
    props = template.docx.core_properties
    clb = ctx['samenwerking']['clb'] if 'samenwerking' in ctx else ctx['clb']
    stamp = datetime.combine(ctx['vandaag'], time())
    props.title = document_title(spec, ctx)
    props.subject = str(spec.title)
    props.author = clb['naam']
    props.last_modified_by = 'Traject'
    props.language = 'nl-BE'
    props.keywords = spec.kind
    props.identifier = ''
    props.content_status = 'Concept' if ctx['concept'] else 'Definitief'
    props.comments = 'Werkversie gemaakt met Traject.' if ctx['concept'] else 'Gemaakt met Traject.'
    props.revision = 1
    props.created = stamp
    props.modified = stamp
