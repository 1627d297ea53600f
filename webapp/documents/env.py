"""The sandboxed, autoescaping Jinja environment shared by the DOCX and the PDF renderer."""
import hashlib
from io import BytesIO
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from pathlib import Path

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment


def _data_root() -> Path:
    # A source checkout (or `pip install -e .`) keeps templates_docs/ and locales/ beside webapp/; `pip install .`
    # ships them inside the package, as webapp/_data/ (setup.py), with the catalogs compiled.
    source = Path(__file__).resolve().parents[2]
    return source if (source / 'templates_docs').is_dir() else Path(__file__).resolve().parents[1] / '_data'


ROOT = _data_root()
TEMPLATES_DIR = ROOT / 'templates_docs'
PDF_DIR = TEMPLATES_DIR / 'pdf'
DOCX_DIR = TEMPLATES_DIR / 'docx'
ASSETS_DIR = TEMPLATES_DIR / 'assets'
LOCALES_DIR = ROOT / 'locales'
# Everything a document is made of besides the case itself: templates and assets, the document catalogs and the code
# that builds the context. Their fingerprint is the template version of the render cache.
DOCUMENT_SOURCES = (
    (TEMPLATES_DIR, '**/*'),
    (LOCALES_DIR, '*/LC_MESSAGES/documents.po'),
    (Path(__file__).resolve().parent, '*.py'),
)

# Babel locales per document language; Flemish variants where they exist. Babel knows Dari (prs) as Afghan Persian.
BABEL_LOCALES = {'nl': 'nl_BE', 'fr': 'fr_BE', 'en': 'en_GB', 'de': 'de_BE', 'prs': 'fa_AF'}


def babel_locale(lang: str) -> str:
    """Return the Babel locale that formats dates and numbers for document language `lang`."""
    return BABEL_LOCALES.get(lang, lang)


def format_long_date(value: date | None, lang: str = 'nl') -> str:
    """Return `value` as a long date ("14 maart 2026"), or '' when unknown (Babel would print today)."""
    return format_date(value, 'long', locale=babel_locale(lang)) if value else ''


class MissingTranslation(LookupError):
    """A language Traject offers has no catalog: never a document in the wrong language."""


@lru_cache(maxsize=32)
def document_translations(lang: str, domain: str = 'documents') -> NullTranslations:
    """Return the catalog of `domain` for document language `lang`: the compiled .mo, else the .po read directly.

    Dutch is the source language. Any other language without a catalog raises MissingTranslation naming the file.
    """
    if lang == 'nl':
        return NullTranslations()
    folder = LOCALES_DIR / lang / 'LC_MESSAGES'
    po, mo = folder / f'{domain}.po', folder / f'{domain}.mo'
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open('rb') as fp:
            return Translations(fp, domain=domain)
    if not po.is_file():
        raise MissingTranslation(f'No {domain!r} catalog for language {lang!r}: {po} is missing')
    # Not compiled (an install that skipped `make i18n-compile`), or older than its .po: compile it in memory.
    with po.open('rb') as fp:
        catalog = read_po(fp, locale=lang, domain=domain)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=domain)


@lru_cache(maxsize=16)
def make_document_env(lang: str) -> SandboxedEnvironment:
    """Return the Jinja environment for documents in `lang`; cached, as templates compile once per process."""
    env = SandboxedEnvironment(loader=FileSystemLoader(PDF_DIR), autoescape=True, undefined=StrictUndefined,
                               extensions=['jinja2.ext.i18n'], trim_blocks=True, lstrip_blocks=True)
    # The language comes from the document, never from the request of whoever clicks "download"; document
    # strings have their own catalog (domain 'documents'), apart from the UI's 'messages'.
    env.install_gettext_translations(document_translations(lang), newstyle=True)
    env.filters['datum'] = lambda value: format_long_date(value, lang)
    env.globals['lang'] = lang
    return env


def fingerprint(sources: Iterable[tuple[Path, str]]) -> str:
    """Return a short hash of the names and bytes of the files matching each (folder, glob) in `sources`."""
    digest = hashlib.sha256()
    for root, pattern in sources:
        for path in sorted(root.glob(pattern)):
            if path.is_file() and '__pycache__' not in path.parts:
                digest.update(path.relative_to(root).as_posix().encode() + b'\0')
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def template_version() -> str:
    """Return the version of the document templates: it changes whenever a file a document is made from changes.

    Computed once per process: reading about 2.5 MB (fonts included) takes a few milliseconds, and a deployment
    starts new processes.
    """
    return fingerprint(DOCUMENT_SOURCES)
