"""The pages a parent opens with their link, without an account: the letter, its PDF, the verslag, and a reply.

Every word a parent reads comes from the 'documents' catalog of their language (documents/parentlink.translator),
so the page speaks every language the letter is written in. A dead link (expired, revoked, unknown, its case
deleted) shows one calm page with the same status whatever the reason, and counts as a failed try for guessing.
"""
from io import BytesIO

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, send_file, url_for
from flask_wtf.csrf import validate_csrf
from markupsafe import Markup
from werkzeug.utils import secure_filename
from wtforms.validators import ValidationError

from webapp import db
from webapp.caseformat import CaseFormatError
from webapp.documents import DocumentError, kinds_for
from webapp.documents.parentlink import contact, letter_fragment, translator
from webapp.documents.parents import LANGUAGES, direction
from webapp.jobs.runner import RenderRefused
from webapp.models import Case, ParentLink
from webapp.services import links
from webapp.views import csrf


bp = Blueprint('parents', __name__, template_folder='templates')

# Stricter than the rest of the app: nothing but this host's stylesheet and inline images (none of them scripts).
PAGE_CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; "
            "frame-ancestors 'none'")
DEAD_STATUS = 404


@bp.after_request
def private_headers(response: Response) -> Response:
    """No referrer leaves with the token, nothing is cached or indexed, nothing loads from another host."""
    response.headers['Referrer-Policy'] = 'no-referrer'
    response.headers['Cache-Control'] = 'no-store'
    response.headers['X-Robots-Tag'] = 'noindex, nofollow'
    response.headers['Content-Security-Policy'] = PAGE_CSP
    return response


def _address() -> str:
    return request.remote_addr or '-'


def _open(token: str) -> tuple[ParentLink | None, Response | None]:
    """Return the live link of `token`, or the response for a throttled address or a dead link."""
    session = db.session()
    if links.guessing_blocked(session, _address()):
        return None, _dead_page(throttled=True)
    link = links.resolve(session, token)
    if link is None:
        links.record_failed_open(session, _address())
        session.commit()
        return None, _dead_page()
    return link, None


def _dead_page(*, throttled: bool = False) -> Response:
    # The same page for every reason, in every letter language: nothing tells which parent or case it was.
    notices = [{'lang': lang, 'dir': direction(lang), 't': translator(lang)} for lang in LANGUAGES]
    body = render_template('portal/dead.html', notices=notices, throttled=throttled, lang='nl', dir='ltr')
    return Response(body, status=429 if throttled else DEAD_STATUS)


def _page(link: ParentLink, token: str, *, errors: tuple[str, ...] = (), values: dict | None = None,
          status: int = 200) -> Response:
    session = db.session()
    case = session.get(Case, link.case_id)
    doc, version = links.parent_view(session, case)
    language = links.parent_language(doc, link.ouder)
    letter = Markup(letter_fragment(doc, language, today=links.document_date(version)))  # autoescaped by its env
    body = render_template(
        'portal/letter.html', token=token, lang=language, dir=direction(language), t=translator(language),
        letter=letter, contact=contact(doc), has_verslag='verslag' in kinds_for(doc),
        voornaam=(doc.get('leerling') or {}).get('voornaam', ''), errors=errors, values=values or {},
        received=request.args.get('ontvangen') == '1', max_length=links.MAX_REPLY_LENGTH)
    return Response(body, status=status)


@bp.route('/o/<token>')
def show_letter(token: str):
    """Show the parent's letter in their language, the downloads, whom to contact and the reply form."""
    link, dead = _open(token)
    if dead:
        return dead
    if request.args.get('ontvangen') != '1':  # the page after a reply is not a new visit
        links.mark_used(db.session(), link, 'open')
        db.session().commit()
    return _page(link, token)


def _send(token: str, kind: str):
    link, dead = _open(token)
    if dead:
        return dead
    session = db.session()
    case = session.get(Case, link.case_id)
    doc, _version = links.parent_view(session, case)
    language = links.parent_language(doc, link.ouder) if kind == 'oudersamenvatting' else 'nl'
    if kind not in kinds_for(doc):
        abort(404)
    try:
        data = links.parent_document(session, case, kind, language)
    except (DocumentError, CaseFormatError, RenderRefused):
        session.rollback()
        own = links.parent_language(doc, link.ouder)  # the page speaks the parent's language, whatever the file's
        body = render_template('portal/unavailable.html', t=translator(own), lang=own, dir=direction(own),
                               contact=contact(doc), token=token)
        return Response(body, status=503)
    links.mark_used(session, link, 'download', detail={'kind': kind, 'language': language})
    session.commit()
    name = secure_filename(f"{'brief' if kind == 'oudersamenvatting' else 'verslag'}-"
                           f"{(doc.get('leerling') or {}).get('voornaam', '')}-{language}.pdf".lower())
    return send_file(BytesIO(data), mimetype='application/pdf', as_attachment=True, download_name=name)


@bp.route('/o/<token>/brief.pdf')
def download_letter(token: str):
    """Download the letter as PDF, in the parent's language (from the latest frozen version)."""
    return _send(token, 'oudersamenvatting')


@bp.route('/o/<token>/verslag.pdf')
def download_verslag(token: str):
    """Download the verslag as the parents may read it (from the latest frozen version)."""
    return _send(token, 'verslag')


@bp.route('/o/<token>/antwoord', methods=['POST'])
@csrf.exempt  # checked below, so that an old page gets a message in the parent's language, with the text kept
def reply(token: str):
    """Store the parent's reply ("Ik ga akkoord" / "Ik heb een vraag", with a text) and confirm it once."""
    link, dead = _open(token)
    if dead:
        return dead
    kind = request.form.get('antwoord', '')
    text = request.form.get('tekst', '').replace('\r\n', '\n')
    errors = []
    try:
        if current_app.config.get('WTF_CSRF_ENABLED', True):
            validate_csrf(request.form.get('csrf_token'))
    except ValidationError:
        errors.append('verlopen')
    if kind not in links.REPLY_KINDS:
        errors.append('kies')
    elif kind == 'vraag' and not text.strip():
        errors.append('leeg')
    if len(text) > links.MAX_REPLY_LENGTH:
        errors.append('lang')
    if errors:
        return _page(link, token, errors=tuple(errors), values={'antwoord': kind, 'tekst': text}, status=422)
    if not links.may_reply(db.session(), link):
        # The text stays in the form: the parent may send it an hour later, or call the CLB.
        return _page(link, token, errors=('veel',), values={'antwoord': kind, 'tekst': text}, status=429)
    links.record_reply(db.session(), link, kind, text)
    db.session().commit()
    return redirect(url_for('parents.show_letter', token=token, ontvangen=1, _anchor='antwoord'), code=303)
