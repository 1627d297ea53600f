"""What a parent receives with a link to their letter: the printed cover letter (PDF, with a QR code) and the e-mail.

Both are in the parent's language, from the 'documents' catalogs like the letter itself; like every document they
know nothing of HTTP or the database: the caller passes the case, the parent, the link and its expiry.
The parents' web page (webapp/portal) takes its own words from the same catalogs, through `translator`.
"""
import base64
from datetime import date
from typing import Any, Callable

import segno

from webapp.documents import parents
from webapp.documents.context import build_document_context
from webapp.documents.env import document_translations, format_long_date, make_document_env
from webapp.documents.registry import CASE_FORMAT, DocSpec


def N_(message: str) -> str:
    """Mark `message` for the documents catalog; it is translated later, in the parent's language."""
    return message


# The sentences of the cover letter and the e-mail, in reading order (the page's own are in its templates).
HEADING = N_('Een brief van het CLB over {kind}')
GREETING = N_('Beste {namen},')
GREETING_ANY = N_('Beste ouders,')
INTRO = N_('Het CLB schreef een brief over {kind}. U kan die brief lezen op uw gsm of computer.')
SCAN = N_('Scan de QR-code met de camera van uw gsm. Of typ dit adres in uw browser:')
OPEN = N_('Open de brief met deze link:')
UNTIL = N_('De link werkt tot {datum}.')
PRIVATE = N_('Geef de link aan niemand anders: wie de link heeft, kan de brief lezen.')
REPLY = N_('Op die pagina kan u ook antwoorden aan het CLB.')
QUESTIONS = N_('Werkt de link niet, of heeft u een vraag? Neem dan contact op met het CLB.')
CLOSING = N_('Met vriendelijke groeten,')
QR_ALT = N_('QR-code met de link naar uw brief')

COVER = DocSpec(kind='ouderlink', title='Link voor de ouders', formaat=CASE_FORMAT, audience='ouders',
                pdf='ouderlink.html', docx=lambda ctx: '', applies=lambda doc: True, not_applicable='',
                languages=parents.LANGUAGES)


def translator(language: str) -> Callable[..., str]:
    """Return t(message, **values): `message` in `language` from the documents catalog, values filled in."""
    gettext = document_translations(language).gettext

    def t(message: str, **values: Any) -> str:
        text = gettext(message).replace('**', '')
        return text.format(**values) if values else text
    return t


def _parent(doc: dict[str, Any], ouder: int) -> dict[str, Any]:
    ouders = doc.get('ouders') or []
    return ouders[ouder - 1] if 1 <= ouder <= len(ouders) else {}


def contact(doc: dict[str, Any]) -> dict[str, Any]:
    """Return whom parents contact: the case's CLB (name, phone, e-mail, address) and its CLB worker, if named."""
    clb = doc.get('clb') or {}
    worker = next((b for b in doc.get('betrokkenen') or [] if b.get('rol') == 'clb-medewerker'), None)
    return {'clb': clb.get('naam') or 'CLB', 'medewerker': (worker or {}).get('naam'),
            'telefoon': clb.get('telefoon'), 'email': clb.get('email'), 'adres': clb.get('adres')}


def qr_svg_data(url: str) -> str:
    """Return a data: URI of the QR code of `url` (SVG; medium error correction survives a crumpled letter)."""
    svg = segno.make(url, error='m', micro=False).svg_inline(scale=4, border=4, dark='#000', light='#fff')
    return 'data:image/svg+xml;base64,' + base64.b64encode(svg.encode()).decode()


def _words(doc: dict[str, Any], ouder: int, url: str, expires: date, language: str) -> dict[str, Any]:
    t = translator(language)
    writer = parents.LetterWriter(  # the letter's own helpers: names isolated in a right-to-left sentence
        {'leerling': {'voornaam': (doc.get('leerling') or {}).get('voornaam', ''),
                      'geslacht': (doc.get('leerling') or {}).get('geslacht')}}, language, bilingual=False)
    kind = writer.iso(writer.kind)
    naam = _parent(doc, ouder).get('naam')
    return {
        'titel': t(HEADING, kind=kind),
        'aanhef': t(GREETING, namen=writer.iso(naam)) if naam else t(GREETING_ANY),
        'inleiding': t(INTRO, kind=kind),
        'scan': t(SCAN), 'open': t(OPEN), 'url': url,
        'tot': t(UNTIL, datum=format_long_date(expires, language)),
        'prive': t(PRIVATE), 'antwoord': t(REPLY), 'vragen': t(QUESTIONS), 'groet': t(CLOSING),
        'qr_alt': t(QR_ALT), 'contact': contact(doc),
    }


def render_cover_letter(doc: dict[str, Any], ouder: int, url: str, *, expires: date, language: str,
                        today: date | None = None) -> bytes:
    """Return the printable cover letter (PDF) for parent `ouder`: the link as text and as a QR code."""
    ctx = build_document_context(doc, 'oudersamenvatting', audience='ouders', final=True, today=today,
                                 language=language)
    ctx.update(brief_link=_words(doc, ouder, url, expires, language), qr=qr_svg_data(url),
               dir=parents.direction(language), lang=language)
    from webapp.documents.pdf import render_pdf
    # No case inside: the cover letter may be left on a table; the letter behind the link is what carries data.
    return render_pdf(COVER, ctx, make_document_env(language)).getvalue()


def mail_message(doc: dict[str, Any], ouder: int, url: str, *, expires: date, language: str) -> tuple[str, str]:
    """Return (subject, plain-text body) of the e-mail that brings parent `ouder` their link."""
    words = _words(doc, ouder, url, expires, language)
    who = words['contact']
    signature = [who['medewerker'], who['clb']] if who['medewerker'] else [who['clb']]
    strip = parents.strip_isolates
    body = '\n\n'.join([words['aanhef'], words['inleiding'], f"{words['open']}\n{url}",
                        f"{words['tot']} {words['prive']}", words['antwoord'], words['vragen'],
                        '\n'.join([words['groet'], *filter(None, signature)])])
    return strip(words['titel']), strip(body)


def letter_fragment(doc: dict[str, Any], language: str, *, today: date | None = None) -> str:
    """Return the parents' letter in `language` as HTML to place inside a web page (no page, no styles)."""
    ctx = build_document_context(doc, 'oudersamenvatting', audience='ouders', final=True, today=today,
                                 language=language)
    return make_document_env(ctx['lang']).get_template('brief_web.html').render(ctx)


__all__ = ['COVER', 'contact', 'letter_fragment', 'mail_message', 'qr_svg_data', 'render_cover_letter', 'translator']
