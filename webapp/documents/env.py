"""The sandboxed, autoescaping Jinja environment shared by the DOCX and the PDF renderer."""
import hashlib
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from pathlib import Path

from babel.dates import format_date
from babel.support import Translations
from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment


ROOT = Path(__file__).resolve().parents[2]
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


@lru_cache(maxsize=16)
def make_document_env(lang: str) -> SandboxedEnvironment:
    """Return the Jinja environment for documents in `lang`; cached, as templates compile once per process."""
    env = SandboxedEnvironment(loader=FileSystemLoader(PDF_DIR), autoescape=True, undefined=StrictUndefined,
                               extensions=['jinja2.ext.i18n'], trim_blocks=True, lstrip_blocks=True)
    # The language comes from the document, never from the request of whoever clicks "download"; document
    # strings have their own catalog (domain 'documents'), apart from the UI's 'messages'.
    env.install_gettext_translations(Translations.load(str(LOCALES_DIR), [lang], domain='documents'), newstyle=True)
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
