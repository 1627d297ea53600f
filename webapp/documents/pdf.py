"""HTML -> PDF with WeasyPrint: a locked-down asset fetcher, one parsed stylesheet per process, PDF/A-3u that is also
PDF/UA-1 (its structure tree comes from `pdftags`).

The PDF carries the case it was made from as an embedded JSON file, so `extract_case` can read a signed PDF back
into Traject (`traject import document.pdf`).
"""
import gc
import json
import logging
import os
import threading
import types
import zlib
from contextlib import contextmanager
from datetime import date, datetime, time, timezone
from importlib.resources import files
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

import pydyf
import weasyprint.pdf
from jinja2.sandbox import SandboxedEnvironment
from weasyprint import CSS, HTML, Attachment
from weasyprint.css import ColorProfile
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from webapp.documents import pdftags
from webapp.documents.env import ASSETS_DIR, PDF_DIR
from webapp.documents.registry import DocSpec


logger = logging.getLogger(__name__)

STYLESHEET = PDF_DIR / 'print.css'
BASE_URL = ASSETS_DIR.as_uri() + '/'
# Archival copies: PDF/A-3 is the PDF/A level that allows an embedded source file (the case JSON); 'u' promises
# Unicode text. pdf_tags adds the structure tree that screen readers need (WeasyPrint tags on top of 'u').
PDF_VARIANT = 'pdf/a-3u'
OUTPUT_INTENT = 'traject-srgb'
ATTACHMENT_NAMES = {
    'traject-case/1': 'traject-case.json',
    'traject-samenwerking/1': 'traject-samenwerking.json',
}
_ALLOWED_SCHEMES = frozenset({'data', 'file'})
# PDF/UA-1 identification in the XMP metadata, beside PDF/A-3's. PDF/A allows only the XMP schemas it predefines
# unless the file describes the others: pdfuaid is not predefined, hence the extension schema (as veraPDF expects).
_PDFUA_XMP = b'''<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" pdfuaid:part="1"/>
<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
 xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name>
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Indicates which part of ISO 14289 standard is followed</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
'''


class _DefaultLevelZlib(types.ModuleType):
    """zlib as pydyf sees it, with the default compression level instead of level 9.

    pydyf (WeasyPrint's PDF writer) deflates every stream at level 9 and has no option for it. Level 9 takes three
    times as long as the default level 6 for files 2 % smaller: 20 to 30 ms of a 6-page verslag (`make bench`).
    Readers cannot tell the levels apart. If pydyf ever stops using `zlib.compressobj`, this changes nothing.
    """

    def __getattr__(self, name):
        return getattr(zlib, name)

    @staticmethod
    def compressobj(level=zlib.Z_DEFAULT_COMPRESSION, *args, **kwargs):
        return zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, *args, **kwargs)


if getattr(pydyf, 'zlib', None) is zlib:
    pydyf.zlib = _DefaultLevelZlib('zlib')

class AssetFetcher(URLFetcher):
    """Let WeasyPrint load data: URIs and files under templates_docs/assets, and nothing else."""

    def __init__(self, root: Path = ASSETS_DIR):
        # fail_on_errors: a refused or missing asset stops the rendering instead of silently dropping a font.
        super().__init__(allowed_protocols=set(_ALLOWED_SCHEMES), allow_redirects=False, fail_on_errors=True)
        self.root = root.resolve()

    def fetch(self, url, headers=None):
        """Return the asset at `url`, or log and raise FatalURLFetchingError for anything outside the assets."""
        try:
            parts = urlsplit(url)  # lower-cases the scheme, so 'FILE:' cannot slip past this check
        except ValueError:
            parts = None
        if parts is None or parts.scheme not in _ALLOWED_SCHEMES:
            logger.warning('Refused document asset with a forbidden scheme: %.200s', url)
            raise FatalURLFetchingError(f'Forbidden URL in a document: {url:.200}')
        if parts.scheme == 'file' and not self._inside_root(parts):
            logger.warning('Refused document asset outside the assets folder: %.200s', url)
            raise FatalURLFetchingError(f'Asset outside the assets folder: {url:.200}')
        return super().fetch(url, headers)

    def _inside_root(self, parts) -> bool:
        # file://otherhost/... would make urllib try FTP; '..' and symlinks are undone by resolve().
        if parts.netloc not in ('', 'localhost'):
            return False
        return Path(url2pathname(parts.path)).resolve().is_relative_to(self.root)


class _Shared:
    """The per-process WeasyPrint objects that are expensive to build: fonts and the parsed stylesheet."""

    def __init__(self):
        self.pid = os.getpid()
        self.fetcher = AssetFetcher()
        # One FontConfiguration per process: a new one per document leaks about 0.23 MB (PITFALLS.md).
        self.fonts = FontConfiguration()
        # Parsing print.css also loads the @font-face files, so this happens once, not once per document.
        self.css = CSS(filename=STYLESHEET, base_url=BASE_URL, url_fetcher=self.fetcher, font_config=self.fonts)
        # PDF/A needs an output intent. WeasyPrint's own 'srgb' intent opens its ICC file per document and never
        # closes it (a ResourceWarning each time), so the same profile is loaded once here under another name.
        with (files('weasyprint.pdf') / 'sRGB2014.icc').open('rb') as icc:
            profile = ColorProfile(icc, 'sRGB2014.icc', 'relative-colorimetric', (['r'], ['g'], ['b']))
        self.color_profiles = {OUTPUT_INTENT: profile}


_shared: _Shared | None = None
_shared_lock = threading.Lock()
# Trade-off: Pango and fontconfig objects behind the shared FontConfiguration are not documented as thread-safe,
# so one document is laid out at a time per process. Layout is CPU-bound Python under the GIL, so threads would
# not run it in parallel anyway; scale with worker processes.
_render_lock = threading.Lock()


def _get_shared() -> _Shared:
    global _shared
    shared = _shared
    # A forked worker must not reuse its parent's Pango state.
    if shared is None or shared.pid != os.getpid():
        with _shared_lock:
            if _shared is None or _shared.pid != os.getpid():
                _shared = _Shared()
            shared = _shared
    return shared


def render_pdf(spec: DocSpec, ctx: dict[str, Any], env: SandboxedEnvironment,
               attachment: dict[str, Any] | None = None) -> BytesIO:
    """Render the HTML template of `spec` and return a tagged PDF/A-3u with `attachment` embedded as JSON.

    The caller passes only what the reader may see (context.shareable_case): the attachment is as readable as the
    page text.
    """
    html_text = env.get_template(spec.pdf).render(ctx)
    shared = _get_shared()
    attachments = []
    if attachment is not None:
        attachments.append(_json_attachment(attachment, ctx.get('vandaag')))
    out = BytesIO()
    with _render_lock, _gc_paused(), _pdfua_tags():
        html = HTML(string=html_text, base_url=BASE_URL, url_fetcher=shared.fetcher)
        html.write_pdf(out, stylesheets=[shared.css], font_config=shared.fonts, attachments=attachments,
                       pdf_variant=PDF_VARIANT, pdf_tags=True, color_profiles=shared.color_profiles,
                       output_intent=OUTPUT_INTENT, finisher=_identify_pdfua)
    out.seek(0)
    return out


@contextmanager
def _pdfua_tags():
    """Let WeasyPrint tag the PDF with `pdftags.add_tags` (PDF/UA-1) instead of its own tagger, during one render.

    WeasyPrint has no option for it: its PDF writer calls the module-level `add_tags`. Swapped under the render
    lock, so no other render sees the change, and put back afterwards. If WeasyPrint renames the function, this
    fails at once instead of silently producing untagged or half-tagged files.
    """
    original = weasyprint.pdf.add_tags
    weasyprint.pdf.add_tags = pdftags.add_tags
    try:
        yield
    finally:
        weasyprint.pdf.add_tags = original


def _identify_pdfua(document, pdf) -> None:
    """Add the PDF/UA-1 identification to the XMP metadata that WeasyPrint wrote for PDF/A-3u (a `finisher`)."""
    metadata = pdf.objects[int(pdf.catalog['Metadata'].split()[0])]
    packet = b''.join(metadata.stream)
    end = packet.rindex(b'</rdf:RDF>')
    metadata.stream[:] = [packet[:end] + _PDFUA_XMP + packet[end:]]


@contextmanager
def _gc_paused():
    """Pause the cyclic garbage collector while WeasyPrint builds its many short-lived boxes.

    Left on, it runs dozens of collections per document, and now and then a full one that walks the whole process
    (about 50 ms here). Reference counting still frees most of a document at once; its cycles go at the next
    collection.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _json_attachment(doc: dict[str, Any], day: date | None) -> Attachment:
    """Return `doc` as the embedded JSON file that `extract_case` reads back."""
    name = ATTACHMENT_NAMES.get(doc.get('formaat'), 'traject-case.json')
    data = json.dumps(doc, ensure_ascii=False, indent=2).encode('utf-8')
    # Dated on the document's generation day (as its footer), not on the second the bytes were written.
    stamp = datetime.combine(day or date.today(), time(0, 0), tzinfo=timezone.utc)
    # relationship 'Source': the PDF is rendered from this file (PDF/A-3 AFRelationship).
    return Attachment(string=data, name=name, description=f'{doc.get("formaat")} (Traject)', created=stamp,
                      modified=stamp, relationship='Source')


def extract_attachment(pdf_bytes: bytes) -> bytes | None:
    """Return the raw JSON of the case (or samenwerking) a Traject PDF carries, or None if it has none.

    The caller parses it with the same parser as an upload (webapp.caseformat.parse_json): same limits, same checks.
    """
    # Imported here: only `traject import` reads PDFs, and pypdf need not load in every web worker.
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        attached = PdfReader(BytesIO(pdf_bytes)).attachments
        for name in ATTACHMENT_NAMES.values():
            if attached.get(name):
                return attached[name][0]
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError) as error:
        # A damaged or hostile file (a deeply nested object tree, say) is simply not a Traject PDF.
        logger.info('No readable Traject case in PDF: %s', type(error).__name__)
    return None


def extract_case(pdf_bytes: bytes) -> dict[str, Any] | None:
    """Return the case (or samenwerking) embedded in a Traject PDF, or None if there is none or it is unreadable."""
    raw = extract_attachment(pdf_bytes)
    try:
        doc = json.loads(raw.decode('utf-8')) if raw is not None else None
    except (ValueError, RecursionError):
        return None
    return doc if isinstance(doc, dict) else None
