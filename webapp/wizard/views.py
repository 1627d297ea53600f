"""HTTP glue of the wizard: one route serves every step of a case (GET shows, POST saves and redirects).

The step engine (`run_step`) is shared with the samenwerking wizard through the record classes of records.py.
Every POST first stores what was typed as a draft; only then is it checked, and then saved or shown again.
"""
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import validate_csrf
from sqlalchemy.orm.exc import StaleDataError
from wtforms import Field, FormField, ValidationError

from forms.base import StepForm, dig, move_rows, parse_row_action
from forms.fields import plain
from webapp import db
from webapp.access import may_read_document, organisation_kind, permits, visible_cases
from webapp.auth import current_user, expired_user, login_required
from webapp.caseformat import check
from webapp.cases import get_case_or_404, summary_downloads
from webapp.documents import DOCUMENTS
from webapp.documents.html import PreviewUnavailable, render_html
from webapp.models import Case, User
from webapp.services import audit
from webapp.services import cases as case_service
from webapp.services import versions
from webapp.services.readability import check_case
from webapp.versions import queue_renders
from webapp.views import csrf
from webapp.wizard import drafts
from webapp.wizard.display import display_value, has_value, text_rows
from webapp.wizard.records import CaseRecord
from webapp.wizard.review import Reviewer, document_checks, problems_by_step
from webapp.wizard.steps import CASE_FLOW, Step


bp = Blueprint('wizard', __name__)
bp.add_app_template_filter(display_value, 'display')
bp.add_app_template_test(has_value, 'filled')
bp.add_app_template_filter(text_rows, 'text_rows')


# Keeping input when the session or the CSRF token is gone

def _csrf_ok() -> bool:
    if not current_app.config.get('WTF_CSRF_ENABLED', True):
        return True
    try:
        validate_csrf(request.form.get('csrf_token'))
    except ValidationError:
        return False
    return True


def keeps_input(flow, draft_key: Callable[..., dict[str, Any] | None]):
    """Decorate a step view so that a POST with an expired login or a stale CSRF token loses nothing.

    The input is kept as a draft, but only for a known user: the one logged in (whose form token went stale), or the
    one whose login has just run out of idle time in this browser. After logging in again the same step opens with
    it. `draft_key(user, **view_args)` names the record if that user may edit it, else None (nothing is kept).
    """
    def decorator(view):
        @functools.wraps(view)
        def wrapper(**kwargs):
            if request.method != 'POST':
                return view(**kwargs)  # enforce_policy has sent anonymous visitors to the login page
            user = current_user()
            if user is not None and _csrf_ok():
                return view(**kwargs)
            if request.form.get('action') == 'concept':
                return Response(status=401)  # a background autosave: the next real submit keeps the text
            return _rescue_input(flow, kwargs.get('step') or flow.names[0], draft_key, kwargs, user)
        return wrapper
    return decorator


def _same_origin() -> bool:
    # A form posted from another site never becomes a draft (the session cookie is SameSite=Lax as well).
    origin = request.headers.get('Origin') or request.headers.get('Referer')
    return not origin or urlsplit(origin).netloc == request.host


def _rescue_input(flow, step: str, draft_key, kwargs: dict[str, Any], user: User | None) -> Response:
    owner = user or expired_user()
    kept = False
    if owner is not None and _same_origin() and (found := flow.get(step)) is not None and owner.role in found.roles:
        key = draft_key(owner, **kwargs)
        if key is not None:
            session = db.session()
            try:
                drafts.keep(session, user_id=owner.id, step=step, data=drafts.posted_pairs(request.form),
                            base_version=request.form.get('case_version'), **key)
            except drafts.DraftTooLarge:
                session.rollback()
            else:
                session.commit()
                kept = True
    resume = request.path + ('?' + urlencode(_terug_args()) if _terug_args() else '')
    if user is None:
        flash(_('Uw sessie was verlopen. Wat u typte, is bewaard: meld u opnieuw aan om verder te gaan.') if kept
              else _('Uw sessie was verlopen. Meld u opnieuw aan om verder te gaan.'), 'info')
        return redirect(url_for('auth.login', next=resume))
    return Response(render_template('wizard/input_kept.html', resume_url=resume), status=400)


def _case_key(user: User, case_id: int, **_kwargs) -> dict[str, Any] | None:
    # Only a case this user may edit gets a draft; any other number (another organisation's, or none) stores nothing.
    if not permits(user, 'case.edit'):
        return None
    found = db.session().scalar(visible_cases(user).where(Case.id == case_id).with_only_columns(Case.id))
    return {'case_id': case_id} if found is not None else None


def _terug_args() -> dict[str, str]:
    return {'terug': 'nalezen'} if request.args.get('terug') == 'nalezen' else {}


# The step engine

@dataclass(frozen=True)
class Difference:
    """A field that changed elsewhere since the page was opened: what the user typed and what is stored now."""

    label: str
    mine: Field
    stored: Field


def run_step(record, step_name: str) -> Response:
    """Show (GET) or save (POST) step `step_name` of `record`; the caller has checked access to the record."""
    user = current_user()
    flow = record.flow
    step = flow.get(step_name)
    if step is None:
        abort(404)
    if step not in flow.available(record.doc, user.role):
        target = flow.nearest(step_name, record.doc, user.role)
        if target is None:
            abort(404)
        return redirect(record.step_url(target, **_terug_args()))
    if step.form_class is None:
        if request.method == 'POST':
            abort(405)
        return _show_review(record, step, user)
    if request.method == 'POST':
        return _submit_step(record, step, user)
    return _show_step(record, step, user)


def _show_step(record, step: type[Step], user: User) -> Response:
    session = db.session()
    key = record.draft_key()
    editable = record.read_only_reason(user) is None
    draft = drafts.find(session, user_id=user.id, step=step.name, **key) if editable else None
    context = step.form_context(record.doc)
    conflict = None
    if draft is not None:
        form = step.form_class(drafts.as_formdata(draft), **context)
        if _same_as_stored(record, step, form):
            # Saved after all (say, in another tab): an old copy of what is stored is no unsaved input.
            drafts.discard(session, user_id=user.id, step=step.name, **key)
            draft = None
        else:
            # Typed before someone saved this step elsewhere: show both now rather than refusing the next save.
            conflict = _changed_elsewhere(record, step, form)
            if conflict is not None:
                _keep_seen(session, user, step, key, drafts.as_formdata(draft), form)
    if draft is None:
        form = step.form_class.from_document(record.doc, version=record.version, **context)
    if record.id is not None:
        audit.record(session, 'view', actor=user.username, user_id=user.id, item=record.item,
                     detail={'step': step.name})
    session.commit()
    return _render_step(record, step, form, user, draft=draft, conflict=conflict)


def _same_as_stored(record, step: type[Step], form: StepForm) -> bool:
    """Return whether the input in `form` equals what is stored for the step."""
    stored = step.form_class.from_document(record.doc, **step.form_context(record.doc))
    return all(plain(field.data) == plain(stored[field.short_name].data) for field in form.content_fields())


def _keep_seen(session, user: User, step: type[Step], key: dict[str, Any], formdata, form: StepForm) -> None:
    """Store the draft again with the stored version it was compared with: the conflict was shown, once is enough.

    Reopening the step then shows the draft without bringing the same conflict back, and saving it keeps it.
    """
    pairs = [[name, value] for name, value in drafts.posted_pairs(formdata)
             if name not in ('case_version', 'step_hash')]
    pairs += [['case_version', str(form.case_version.data)], ['step_hash', form.step_hash.data]]
    try:
        drafts.keep(session, user_id=user.id, step=step.name, data=pairs, base_version=form.case_version.data, **key)
    except drafts.DraftTooLarge:
        session.rollback()  # too large to keep at all (see _submit_step): the page still shows every word


def _submit_step(record, step: type[Step], user: User) -> Response:
    session = db.session()
    key = record.draft_key()
    reason = record.read_only_reason(user)
    if reason:
        flash(reason, 'error')
        return redirect(record.step_url(step.name))
    action = request.form.get('action', 'volgende')
    if action == 'verwerpen':
        drafts.discard(session, user_id=user.id, step=step.name, **key)
        session.commit()
        flash(_('Uw niet-bewaarde invoer is verwijderd. U ziet de bewaarde versie.'), 'info')
        return redirect(record.step_url(step.name, **_terug_args()))
    row_action = parse_row_action(action)
    formdata = move_rows(request.form, *row_action) if row_action else request.form
    # First of all, keep what was typed: whatever happens next, it is not lost.
    try:
        drafts.keep(session, user_id=user.id, step=step.name, data=drafts.posted_pairs(formdata),
                    base_version=formdata.get('case_version'), **key)
    except drafts.DraftTooLarge:
        # Far more than a step can hold: nothing is kept, and the form below says which texts are too long.
        session.rollback()
        if action == 'concept':
            return Response(status=413)
    else:
        session.commit()
    if action == 'concept':  # the page's periodic autosave
        return Response(status=204)
    if (leaving := _leave(record, step, action, user)) is not None:
        return leaving
    form = step.form_class(formdata, **step.form_context(record.doc))
    if row_action:
        return _render_step(record, step, form, user, focus=_focus_after(form, *row_action))
    valid = form.check(complete=action == 'volgende' or record.must_complete)
    conflict = _changed_elsewhere(record, step, form)
    if conflict is not None:
        _keep_seen(session, user, step, key, formdata, form)
        session.commit()
        return _render_step(record, step, form, user, conflict=conflict, status=409)
    if not valid:
        return _render_step(record, step, form, user, status=422)
    try:
        record.save(session, step, form.changes(), user)
    except StaleDataError:
        # Another save came in between the check above and this one: nothing was stored, show what changed.
        session.rollback()
        session.refresh(record.item)
        return _render_step(record, step, form, user, conflict=_changed_elsewhere(record, step, form) or [],
                            status=409)
    if not record.still_visible(session, user):
        session.rollback()
        record.forget_unsaved()
        _mark_own_organisation(form, user)
        return _render_step(record, step, form, user, status=422)
    drafts.discard(session, user_id=user.id, step=step.name, **key)
    target = _destination(record, step, action, user)
    session.commit()
    return redirect(target)


def _destination(record, step: type[Step], action: str, user: User) -> str:
    """Return where to go after saving, and remember how far the wizard got."""
    flow, session = record.flow, db.session()
    record.reach(session, step.name)
    if action == 'bewaren':
        flash(_('Uw wijzigingen zijn bewaard.'), 'success')
        return record.close_url()
    if action == 'vorige':
        return record.step_url(flow.prev_step(step.name, record.doc, user.role) or step.name)
    if request.args.get('terug') == 'nalezen' and flow.get('nalezen'):
        flash(_('Uw wijzigingen in de stap {step} zijn bewaard.').format(step=step.title), 'success')
        return record.step_url('nalezen', _anchor=f'stap-{step.name}')
    following = flow.next_step(step.name, record.doc, user.role)
    if following is None:
        flash(_('Uw wijzigingen zijn bewaard.'), 'success')
        return record.close_url()
    record.reach(session, following)
    return record.step_url(following)


def _leave(record, step: type[Step], action: str, user: User) -> Response | None:
    """Follow a way out of the step page once the typed text is kept as a draft, or return None.

    The header's language and logout buttons and the step page's links are buttons of the step's form, so leaving
    the page never drops input, even without JavaScript. Targets are names, not URLs: nothing to redirect elsewhere.
    """
    verb, _sep, target = action.partition(':')
    if verb == 'afmelden':
        # 307: the browser posts the same form (with its CSRF token) to the logout view.
        return redirect(url_for('auth.logout'), code=307)
    if verb == 'taal':
        back = record.step_url(step.name, **_terug_args())
        return redirect(url_for('auth.set_language', lang=target, next=back), code=307)
    if verb == 'stap' and record.flow.get(target) in record.flow.available(record.doc, user.role):
        return redirect(record.step_url(target))
    if verb == 'dossier':
        return redirect(record.close_url())
    if verb == 'lijst':
        return redirect(record.list_link()[1])
    if verb == 'menu' and target in _MENU:
        return redirect(url_for(_MENU[target]))
    return None


# The header's menu on a step page: where each of its buttons leads.
_MENU = {'dossiers': 'cases.list_cases', 'samenwerkingen': 'samenwerking.list_samenwerkingen', 'bulk': 'jobs.start_bulk'}


def _focus_after(form: StepForm, verb: str, target: str) -> str | None:
    """Return the id to focus after a list button: the new or moved row, or the list after a removal."""
    if verb == 'add':
        added = form.add_row(target)
        return f'{added}-row' if added else None
    list_name, _sep, index = target.rpartition('-')
    if verb == 'remove':
        return f'{list_name}-add'
    rows = form.find_list(list_name)
    moved = int(index) + (-1 if verb == 'up' else 1)
    return f'{list_name}-{moved}-row' if rows is not None and 0 <= moved < len(rows.entries) else f'{target}-row'


def _changed_elsewhere(record, step: type[Step], form: StepForm) -> list[Difference] | None:
    """Return the fields changed elsewhere since the page was opened, or None if this step was not changed.

    The version says whether anything in the case changed; the fingerprint of this step's stored values says
    whether this step did. Afterwards the form carries the stored version, so saving again means "keep mine".
    """
    if record.version is None or form.case_version.data == str(record.version):
        return None
    stored_hash = form.stored_hash(record.doc)
    if form.step_hash.data == stored_hash:
        return None
    stored = step.form_class.from_document(record.doc, **step.form_context(record.doc))
    form.case_version.data, form.step_hash.data = record.version, stored_hash
    return [Difference(str(mine.label.text), mine, stored[mine.short_name]) for mine in form.content_fields()
            if plain(mine.data) != plain(stored[mine.short_name].data)]


def _mark_own_organisation(form: StepForm, user: User) -> None:
    """Explain, beside the organisation's name, that a save may not take the record out of the user's sight."""
    message = _('Dit hoort bij uw eigen organisatie ({name}): u kunt het niet aan een andere organisatie geven.'
                ).format(name=user.organisation.naam if user.organisation else '')
    group = form._fields.get(organisation_kind(user))
    if isinstance(group, FormField):
        group.form.naam.errors = [*group.form.naam.errors, message]
    else:
        flash(message, 'error')


def progress(record, current: str, user: User, problems: dict[str, list]) -> list[dict[str, Any]]:
    """Return the progress list: every available step, its state, and a link if it was reached."""
    flow, doc = record.flow, record.doc
    available = flow.available(doc, user.role)
    reached = record.reached(db.session())
    furthest = flow.names.index(reached) if reached in flow.names else 0
    # An imported case was never walked through: every step that holds data counts as reached.
    for step in available:
        if step.form_class and any(v not in (None, '', [], {}) for v in step.form_class.document_values(doc).values()):
            furthest = max(furthest, flow.names.index(step.name))
    items = []
    for step in available:
        position = flow.names.index(step.name)
        is_reached = position <= furthest or step.form_class is None
        if step.name == current:
            state = 'current'
        elif not is_reached or step.form_class is None:
            state = 'todo'
        else:
            state = 'problems' if problems.get(step.name) else 'complete'
        items.append({'name': step.name, 'title': step.title, 'state': state, 'count': len(problems.get(step.name, [])),
                      'url': record.step_url(step.name) if is_reached and record.id is not None else None})
    return items


def _frame(record, step: type[Step], user: User, problems: list) -> dict[str, Any]:
    """Return what every wizard page shows around its content: the steps, where we are, the way back."""
    flow, doc = record.flow, record.doc
    available = [s.name for s in flow.available(doc, user.role)]
    return {'record': record, 'step': step, 'terug': _terug_args(),
            'nav': progress(record, step.name, user, problems_by_step(flow, problems)),
            'number': available.index(step.name) + 1, 'total': len(available),
            'prev_step': flow.prev_step(step.name, doc, user.role),
            'next_step': flow.next_step(step.name, doc, user.role)}


def _render_step(record, step: type[Step], form: StepForm, user: User, *, draft=None, focus: str | None = None,
                 conflict: list[Difference] | None = None, status: int = 200) -> Response:
    preview = step.preview if step.preview in DOCUMENTS and record.id is not None else None
    form.name_hints(dig(record.doc, ('leerling', 'voornaam')))
    page = render_template(
        'wizard/step.html', **_frame(record, step, user, record.problems()), form=form, errors=form.error_list(),
        conflict=conflict, draft=draft, focus=focus, read_only=record.read_only_reason(user),
        preview_url=record.preview_url(preview) if preview else None,
        preview_title=DOCUMENTS[preview].title if preview else None,
        readability=check_case(record.doc) if step.name == 'ouders' else None)
    return Response(page, status=status)


def _show_review(record, step: type[Step], user: User) -> Response:
    doc = record.doc
    format_problems = check(doc)
    problems = record.problems()
    reviewer = Reviewer(record.flow, doc)
    grouped = problems_by_step(record.flow, problems)
    sections = [{'step': s, 'form': reviewer.form(s), 'missing': list(map(reviewer.describe, grouped.get(s.name, ())))}
                for s in record.flow.available(doc, user.role) if s.form_class is not None]
    clb_editor = permits(user, 'case.finalize')
    session = db.session()
    audit.record(session, 'view', actor=user.username, user_id=user.id, item=record.item, detail={'step': step.name})
    session.commit()
    return Response(render_template(
        'wizard/review.html', **_frame(record, step, user, problems), sections=sections,
        checks=document_checks(record.flow, doc, format_problems),
        can_finalize=clb_editor and not record.is_final and not format_problems and 'verslag' in doc,
        can_reopen=clb_editor and record.is_final,
        readability=check_case(doc) if doc.get('verslag') else None, summaries=summary_downloads(doc)))


# Routes of the case wizard

def _new_case_record() -> CaseRecord:
    """Return a case not stored yet, its CLB filled in from the user's organisation."""
    user = current_user()
    org = user.organisation
    clb = {k: v for k, v in (('naam', org.naam), ('instellingsnummer', org.instellingsnummer)) if v} if org else None
    return CaseRecord(None, case_service.new_case_document(clb))


@bp.route('/cases/nieuw', methods=['GET', 'POST'])
@csrf.exempt  # checked by keeps_input, after the input has been kept
@keeps_input(CASE_FLOW, lambda user, **_kwargs: {'case_id': None} if permits(user, 'case.create') else None)
def new_case():
    """Step 1 of a new case; its first save creates the case (abandoned, it leaves nothing behind but a draft)."""
    return run_step(_new_case_record(), CASE_FLOW.names[0])


@bp.route('/cases/<int:case_id>/steps')
@login_required
def resume_case(case_id: int):
    """Open the wizard where the case was left: the furthest step reached that is still available."""
    record = CaseRecord(get_case_or_404(case_id))
    available = [s.name for s in CASE_FLOW.available(record.doc, current_user().role)]
    reached = record.reached(db.session())
    candidates = [n for n in available if reached and CASE_FLOW.names.index(n) <= CASE_FLOW.names.index(reached)]
    return redirect(record.step_url((candidates or available)[-1 if candidates else 0]))


@bp.route('/cases/<int:case_id>/steps/<step>', methods=['GET', 'POST'])
@csrf.exempt  # checked by keeps_input, after the input has been kept
@keeps_input(CASE_FLOW, _case_key)
def edit_step(case_id: int, step: str):
    """Show or save one step of a case."""
    return run_step(CaseRecord(get_case_or_404(case_id)), step)


@bp.route('/cases/<int:case_id>/preview/<kind>')
@login_required
def preview_document(case_id: int, kind: str):
    """Return the live HTML preview of one document of the case (shown in a frame beside the form)."""
    case, user = get_case_or_404(case_id), current_user()
    spec = DOCUMENTS.get(kind)
    if spec is None or spec.formaat != case_service.CASE_FORMAT or not may_read_document(user, spec.audience):
        abort(404)
    audit.record(db.session(), 'preview', actor=user.username, user_id=user.id, item=case, kind=kind,
                 audience=spec.audience)
    db.session().commit()
    return preview_response(case.data, kind, final=case.is_final)


def preview_response(doc: dict[str, Any], kind: str, *, final: bool) -> Response:
    """Return the preview page, or a calm message when the document cannot be built yet; never an error."""
    try:
        body = render_html(doc, kind, final=final)
    except PreviewUnavailable as exc:
        body = render_template('wizard/preview_message.html', message=str(exc))
    response = Response(body)
    # The document is data, not an application page: no scripts, nothing fetched but our own stylesheet.
    response.headers['Content-Security-Policy'] = ("default-src 'none'; style-src 'self' 'unsafe-inline'; "
                                                   "img-src 'self' data:; frame-ancestors 'self'")
    response.headers['X-Frame-Options'] = 'SAMEORIGIN'
    return response


@bp.route('/cases/<int:case_id>/definitief', methods=['GET', 'POST'])
@login_required
def finalize_case(case_id: int):
    """Ask first, saying what finalising does (GET); mark the case final once its verslag is complete (POST)."""
    case, user = get_case_or_404(case_id), current_user()
    record = CaseRecord(case)
    if check(case.data) or 'verslag' not in case.data:
        flash(_('Het verslag is nog niet volledig: vul eerst aan wat hieronder ontbreekt.'), 'error')
    elif not case.is_final and (request.method == 'GET' or request.form.get('bevestigd') != 'ja'):
        latest = versions.latest_version(db.session(), case)
        return render_template('wizard/finalize_confirm.html', record=record,
                               next_version=(latest.number if latest else 0) + 1)
    elif not case.is_final:
        case_service.finalize_case(db.session(), case, actor=user.username, user_id=user.id)
        version = versions.latest_version(db.session(), case)
        db.session().commit()
        queue_renders(version.id)  # its documents are rendered and stored in the background, after the commit
        flash(_('Het dossier is definitief (versie %(nummer)s). De documenten hebben geen CONCEPT-vermelding meer.',
                nummer=version.number), 'success')
    return redirect(record.step_url('nalezen'))


@bp.route('/cases/<int:case_id>/nieuwe-versie', methods=['POST'])
@login_required
def reopen_case(case_id: int):
    """Make a final case editable again (a new version, CONCEPT until it is final again)."""
    case, user = get_case_or_404(case_id), current_user()
    if case.is_final:
        case_service.reopen_case(db.session(), case, actor=user.username, user_id=user.id)
        db.session().commit()
        flash(_('U werkt nu aan een nieuwe versie. De documenten zijn weer een CONCEPT tot ze definitief zijn.'),
              'success')
    return redirect(CaseRecord(case).step_url('nalezen'))

