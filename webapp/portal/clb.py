"""The CLB worker's side of the parents' link: make one per parent, revoke it, print its cover letter, read replies.

The token is shown once, on the page that follows making the link (and in the cover letter printed from it); the
database keeps only its hash, so a lost link is revoked and a new one made.
"""
from io import BytesIO
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, send_file, url_for
from flask import session as flask_session
from flask_babel import gettext as _
from werkzeug.utils import secure_filename

from webapp import db
from webapp.db import record_number
from webapp.access import permits
from webapp.auth import current_user, login_required
from webapp.cases import get_case_or_404
from webapp.models import Case, ParentLink, User
from webapp.services import links, mail


bp = Blueprint('links', __name__, template_folder='templates')
NEW_LINK = 'nieuwe_ouderlink'


def case_sharing(case: Case, user: User) -> dict[str, Any] | None:
    """Return what the case page shows about parents' links and replies, or None for a role that may not share."""
    if not permits(user, 'case.share'):
        return None
    session = db.session()
    doc = case.data
    ouders = [{'nummer': i, 'naam': o.get('naam') or _('Ouder %(nummer)s', nummer=i),
               'taal': links.parent_language(doc, i), 'email': bool((o.get('email') or '').strip())}
              for i, o in enumerate(doc.get('ouders') or [], start=1) if isinstance(o, dict)]
    return {'ouders': ouders, 'refusal': links.refusal(case), 'links': links.links_of(session, case),
            'replies': links.replies_of(session, case), 'state': links.link_state,
            'mail': mail.configured(current_app.config), 'max_days': links.MAX_DAYS,
            'default_days': links.DEFAULT_DAYS, 'name_of': lambda n: next(
                (o['naam'] for o in ouders if o['nummer'] == n), _('Ouder %(nummer)s', nummer=n))}


def _back(case: Case):
    return redirect(url_for('cases.show_case', case_id=case.id, _anchor='ouderlinks'))


@bp.route('/cases/<int:case_id>/links', methods=['POST'])
@login_required
def create_link(case_id: int):
    """Make a link for one parent, mail it when possible, and show it once with its cover letter."""
    case, user = get_case_or_404(case_id), current_user()
    session = db.session()
    try:
        ouder = int(request.form.get('ouder', ''))
        days = int(request.form.get('dagen') or links.DEFAULT_DAYS)
    except ValueError:
        flash(_('Kies een ouder en een geldigheid in dagen (een getal).'), 'error')
        return _back(case)
    try:
        link, token = links.create_link(session, case, ouder, days=days, actor=user.username, user_id=user.id)
    except links.LinkRefused as exc:
        session.rollback()
        flash(str(exc), 'error')
        return _back(case)
    session.commit()
    mailed, mail_error = False, None
    try:
        mailed = links.mail_link(session, case, link, token, actor=user.username, user_id=user.id)
        session.commit()
    except mail.MailError:
        session.rollback()
        current_app.logger.warning('Mail of parents link %s failed', link.id)
        mail_error = True
    # Shown once on the page that follows (a reload of that page makes no second link): the token rides along in
    # this login's own session cookie until that page takes it out.
    flask_session[NEW_LINK] = {'case': case.id, 'link': link.id, 'token': token, 'mailed': mailed,
                               'mail_error': mail_error}
    return redirect(url_for('links.show_new_link', case_id=case.id), code=303)


@bp.route('/cases/<int:case_id>/links/nieuw')
@login_required
def show_new_link(case_id: int):
    """Show the link just made, once, with its cover letter; afterwards only its row on the case page remains."""
    case, user = get_case_or_404(case_id), current_user()
    shown = flask_session.pop(NEW_LINK, None)
    link = db.session().get(ParentLink, shown['link']) if shown and shown.get('case') == case.id else None
    if link is None or link.case_id != case.id:
        flash(_('Een nieuwe link wordt maar één keer getoond. Kwijt? Trek hem in en maak een nieuwe.'), 'info')
        return _back(case)
    return render_template('portal/created.html', case=case, link=link, url=links.link_url(shown['token']),
                           token=shown['token'], name=case_sharing(case, user)['name_of'](link.ouder),
                           mailed=shown['mailed'], mail_error=shown['mail_error'],
                           mail_on=mail.configured(current_app.config))


@bp.route('/cases/<int:case_id>/links/brief', methods=['POST'])
@login_required
def cover_letter(case_id: int):
    """Download the cover letter of a link just made: the token comes back in the form, never in a URL."""
    case, user = get_case_or_404(case_id), current_user()
    session = db.session()
    token = request.form.get('token', '')
    link = links.resolve(session, token)
    if link is None or link.case_id != case.id:
        flash(_('Deze link werkt niet meer. Maak een nieuwe link.'), 'error')
        return _back(case)
    data = links.cover_letter(session, case, link, token)
    from webapp.services import audit
    audit.record(session, 'link.cover', actor=user.username, user_id=user.id, item=case, detail={'link': link.id})
    session.commit()
    name = secure_filename(f"link-ouder-{link.ouder}-{case.leerling_voornaam}.pdf".lower())
    return send_file(BytesIO(data), mimetype='application/pdf', as_attachment=True, download_name=name)


def _change(case_id: int, change, field: str, done: str):
    """Apply `change` (links.revoke_link or links.mark_read) to the record numbered in form field `field`."""
    case, user = get_case_or_404(case_id), current_user()
    session = db.session()
    try:
        change(session, case, record_number(request.form.get(field)) or 0, actor=user.username, user_id=user.id)
    except links.LinkRefused as exc:
        session.rollback()
        flash(str(exc), 'error')
        return _back(case)
    session.commit()
    flash(done, 'success')
    return _back(case)


@bp.route('/cases/<int:case_id>/links/intrekken', methods=['POST'])
@login_required
def revoke_link(case_id: int):
    """Revoke one link of the case: it opens nothing from now on."""
    return _change(case_id, links.revoke_link, 'link_id', _('De link is ingetrokken: hij opent niets meer.'))


@bp.route('/cases/<int:case_id>/antwoorden/gelezen', methods=['POST'])
@login_required
def mark_read(case_id: int):
    """Mark a parent's reply as read."""
    return _change(case_id, links.mark_read, 'reply_id', _('Het antwoord is gemarkeerd als gelezen.'))
