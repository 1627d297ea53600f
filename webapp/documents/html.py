"""The live preview: a document as HTML, from the same templates and the same context as its PDF."""
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from jinja2 import TemplateError, TemplateNotFound

from webapp.documents.context import build_document_context
from webapp.documents.env import PDF_DIR, make_document_env
from webapp.documents.registry import DOCUMENTS


SCREEN_CSS = Path(__file__).resolve().parents[1] / 'static' / 'preview.css'
# print.css loads its fonts from the assets folder, relative to WeasyPrint's base_url. In the browser those URLs
# point nowhere and the preview's CSP (default-src 'none') refuses them: every preview logged failed font loads.
_FONT_FACE = re.compile(r'@font-face\s*\{[^}]*\}')


class PreviewUnavailable(Exception):
    """The preview cannot be shown yet; the message says why, in plain Dutch."""


@lru_cache(maxsize=1)
def _stylesheets() -> str:
    # print.css lays out the PDF; preview.css turns its running headers off and draws a page on screen. On screen
    # the fonts fall back to the family list's sans-serif.
    print_css = _FONT_FACE.sub('', (PDF_DIR / 'print.css').read_text(encoding='utf-8'))
    return print_css + '\n' + SCREEN_CSS.read_text(encoding='utf-8')


def render_html(doc: dict[str, Any], kind: str, *, final: bool = False) -> str:
    """Return document `kind` of `doc` as a standalone HTML page; raise PreviewUnavailable if it cannot be built."""
    spec = DOCUMENTS[kind]
    if not spec.applies(doc):
        raise PreviewUnavailable(spec.refusal(doc))
    # Documents are Dutch whatever the language of the screen (STYLE.md rule 12).
    with force_locale('nl'):
        try:
            ctx = build_document_context(doc, kind, audience=spec.audience, final=final)
            html = make_document_env(ctx['lang']).get_template(spec.pdf).render(ctx)
        except TemplateNotFound:
            raise PreviewUnavailable(_('Het voorbeeld van dit document is nog niet beschikbaar.')) from None
        except (KeyError, TypeError, ValueError, AttributeError, TemplateError):
            # The context builder and the templates expect a complete case; an unfinished one lands here.
            raise PreviewUnavailable(_('Er zijn nog onvoldoende gegevens om een voorbeeld van dit document te '
                                       'tonen. Vul de stappen verder in.')) from None
    # The viewport line lets a phone lay the preview out at its own width instead of a zoomed-out 980 px.
    return html.replace('</head>', '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
                                   f'<style>{_stylesheets()}</style>\n</head>', 1)
