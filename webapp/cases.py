"""The case list (the worker's home page), the case page with its documents, downloads and JSON import/export."""
import json
from datetime import date
from io import BytesIO
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import func, or_, select

from webapp import db
from webapp.db import record_number
from webapp.access import audience, may_read_document, permits, visible_cases, visible_samenwerkingen
from webapp.auth import current_user, login_required
from webapp.caseformat import CaseFormatError, check, parse_json, regulation_problems
from webapp.caseformat.enums import VERSLAG_SOORTEN, label
from webapp.documents import DOCUMENTS, DocumentError, download_name, kinds_for
from webapp.documents.context import shareable_case
from webapp.jobs.renders import get_document
from webapp.jobs.runner import RenderRefused
from webapp.models import AuditEvent, Case, CaseDate, Organisation, Samenwerking
from webapp.services import audit, grants, links, versions
from webapp.services import cases as case_service
from webapp.wizard.review import Reviewer, path_label
from webapp.wizard.steps import CASE_FLOW, SAMENWERKING_FLOW


bp = Blueprint('cases', __name__)


class ImportForm(FlaskForm):
    """Upload of a traject-case/1 or traject-samenwerking/1 file."""

    file = FileField(_l('JSON-bestand'), validators=[FileRequired(_l('Kies een bestand om te importeren.'))])


def get_case_or_404(case_id: int) -> Case:
    """Return the case if the user's organisation may see it; otherwise 404, never a hint that it exists."""
    user = current_user()
    case = db.session().scalar(visible_cases(user).where(Case.id == case_id))
    if case is None:
        # Recorded without saying whether the number exists: the trail must not become a way to find out.
        audit.record(db.session(), 'denied', actor=user.username, user_id=user.id,
                     detail={'endpoint': request.endpoint, 'case_id': case_id})
        db.session().commit()
        abort(404)
    return case


def get_samenwerking_or_404(item_id: int) -> Samenwerking:
    """Return the samenwerking if the user may see it; otherwise 404."""
    item = db.session().scalar(visible_samenwerkingen(current_user()).where(Samenwerking.id == item_id))
    if item is None:
        abort(404)
    return item


def summary_downloads(doc: dict) -> list[dict]:
    """Return the parents' letters a case asks for: per language its name, download codes and any fallback note."""
    from flask_babel import get_locale

    from webapp.documents import parents
    locale = get_locale()
    ui = locale.language if locale else 'nl'
    found = []
    for item in parents.summary_languages(doc):
        code = item['taal']
        options = [(code, parents.language_name(code, ui).capitalize())]
        if code != 'nl':
            options.append((f'{code}+nl', _('%(taal)s en Nederlands', taal=options[0][1])))
        found.append({'taal': code, 'opties': options,
                      'meldingen': [parents.fallback_message(asked, ui) for asked in item['gevraagd']]})
    return found


def next_evaluations(case_ids: list[int]) -> dict[int, date]:
    """Return the first planned date from today on, per case."""
    if not case_ids:
        return {}
    rows = db.session().execute(
        select(CaseDate.case_id, func.min(CaseDate.datum))
        .where(CaseDate.case_id.in_(case_ids), CaseDate.datum >= date.today())
        .group_by(CaseDate.case_id))
    return dict(rows.all())


# A CLB worker has some thirty cases; a CLB's or school's list is read a page at a time.
PAGE_SIZE = 50


@bp.route('/')
@login_required
def list_cases():
    """List the cases the user may see, with search by name and filters by school, phase and verslag kind."""
    user = current_user()
    args = request.args
    query = visible_cases(user)
    if q := args.get('q', '').strip():
        pattern = f'%{q.lower()}%'
        query = query.where(or_(func.lower(Case.leerling_voornaam + ' ' + Case.leerling_achternaam).like(pattern),
                                func.lower(Case.leerling_achternaam).like(pattern)))
    if school := record_number(args.get('school')):
        query = query.where(Case.school_id == school)
    if (phase := args.get('fase')) in case_service.PHASES:
        query = query.where(Case.phase == phase)
    if (soort := args.get('verslag')) in VERSLAG_SOORTEN:
        query = query.where(Case.verslag_soort == soort)
    elif soort == 'geen':
        query = query.where(Case.verslag_soort.is_(None))
    session = db.session()
    total = session.scalar(query.with_only_columns(func.count(Case.id)).order_by(None))
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(args.get('pagina', 1, type=int), 1), pages)
    # One page at a time, and the case documents (the large JSON) only for that page's marks.
    cases = session.scalars(query.order_by(Case.updated_at.desc(), Case.id.desc())
                            .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
    schools = session.scalars(
        select(Organisation).where(Organisation.id.in_(visible_cases(user).with_only_columns(Case.school_id)))
        .order_by(Organisation.naam)).all()
    samenwerkingen = session.scalars(visible_samenwerkingen(user).order_by(Samenwerking.schooljaar.desc())).all()
    # Cases stored before the rules of December 2026 may combine a type, opleidingsvorm or level the regulations do
    # not allow: they still open and export, and the list marks them.
    attention = {c.id for c in cases if regulation_problems(c.data)}
    # Parents' replies not yet read, for the roles that share with parents (webapp/portal).
    replies = links.unread_counts(db.session(), [c.id for c in cases]) if permits(user, 'case.share') else {}
    return render_template('cases/list.html', cases=cases, schools=schools, samenwerkingen=samenwerkingen,
                           attention=attention, replies=replies, total=total, page=page, pages=pages,
                           first=(page - 1) * PAGE_SIZE + 1,
                           evaluations=next_evaluations([c.id for c in cases]), phases=case_service.PHASES,
                           soorten=VERSLAG_SOORTEN, label=label, form=ImportForm(), filters=args)


def _named(problems: list, doc: Any) -> list[dict[str, str]]:
    """Return import problems with the wizard's labels instead of JSON paths (the command line shows the paths)."""
    samenwerking = isinstance(doc, dict) and doc.get('formaat') == case_service.SAMENWERKING_FORMAT
    flow = SAMENWERKING_FLOW if samenwerking else CASE_FLOW
    return [{'where': path_label(flow, p.path) if p.path else _('(bestand)'), 'path': p.path, 'message': p.message}
            for p in problems]


@bp.route('/import', methods=['POST'])
@login_required
def import_file():
    """Import an uploaded JSON file with the same validation and messages as `traject import`."""
    form = ImportForm()
    if not form.validate_on_submit():
        for error in form.file.errors:
            flash(error, 'error')
        return redirect(url_for('cases.list_cases'))
    session = db.session()
    user = current_user()
    doc = None
    try:
        doc = parse_json(form.file.data.read())
        item = case_service.import_document(session, doc, actor=user.username, user_id=user.id,
                                            replace=request.form.get('replace') == '1', clb=user.organisation)
    except case_service.ImportRefused as exc:
        session.rollback()
        flash(str(exc), 'error')
        return redirect(url_for('cases.list_cases'))
    except CaseFormatError as exc:
        session.rollback()
        return render_template('cases/import_errors.html', problems=_named(exc.problems, doc),
                               filename=form.file.data.filename), 422
    except case_service.DuplicateError as exc:
        session.rollback()
        flash(_('Dit bestand staat al in Traject (dossier van {naam}). Vink "overschrijven" aan om het te vervangen. '
                'Niets is gewijzigd.').format(naam=exc.existing.data['leerling']['voornaam'] if isinstance(
                    exc.existing, Case) else exc.existing.schooljaar), 'error')
        return redirect(url_for('cases.list_cases'))
    session.commit()
    flash(_('Het bestand is geïmporteerd.'), 'success')
    if isinstance(item, Case):
        return redirect(url_for('cases.show_case', case_id=item.id))
    return redirect(url_for('cases.show_samenwerking', item_id=item.id))


@bp.route('/cases/<int:case_id>')
@login_required
def show_case(case_id: int):
    """Show a case: who, where, which phase, its documents, who else sees it and (for the CLB) its audit trail."""
    from webapp.portal.clb import case_sharing
    case, user = get_case_or_404(case_id), current_user()
    session = db.session()
    audit.record(session, 'view', actor=user.username, user_id=user.id, item=case)
    session.commit()
    kinds = [kind for kind in kinds_for(case.data) if may_read_document(user, DOCUMENTS[kind].audience)]
    trail = session.scalars(select(AuditEvent).where(AuditEvent.case_id == case.id)
                            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(AUDIT_ROWS)).all() \
        if permits(user, 'case.audit') else None
    from webapp.versions import can_compare, version_rows  # here: webapp.versions builds on this module
    return render_template('cases/detail.html', case=case, doc=case.data, kinds=kinds, documents=DOCUMENTS,
                           versions=version_rows(session, case, user), can_compare=can_compare(user, case),
                           label=label, summaries=summary_downloads(case.data), grant=grants.active_grant(session, case),
                           grant_history=grants.history(session, case), trail=trail,
                           renamed=_names_on_case(case),
                           attention=[str(p) for p in regulation_problems(case.data)],
                           chain=verslag_chain(case.data), sharing=case_sharing(case, user))


# The case page shows the newest audit rows; `traject audit export` gives them all.
AUDIT_ROWS = 50


def _names_on_case(case: Case) -> list[tuple[str, str, str]]:
    """Return (field, name in this case, name in Traject) where the case spells an organisation differently."""
    found = []
    for field in ('school', 'clb', 'leersteuncentrum'):
        org, named = getattr(case, field), (case.data.get(field) or {}).get('naam')
        if org is not None and named and ' '.join(named.split()) != org.naam:
            found.append((field, named, org.naam))
    return found


@bp.route('/cases/<int:case_id>/toegang', methods=['POST'])
@login_required
def grant_access(case_id: int):
    """Let the case's leersteuncentrum see this case (its shareable view)."""
    case, user = get_case_or_404(case_id), current_user()
    try:
        grants.grant(db.session(), case, actor=user.username, user_id=user.id)
    except grants.GrantError as exc:
        db.session().rollback()
        flash(str(exc), 'error')
    else:
        db.session().commit()
        flash(_('Het leersteuncentrum ziet dit dossier nu (zonder wat alleen het CLB mag zien).'), 'success')
    return redirect(url_for('cases.show_case', case_id=case.id, _anchor='toegang'))


@bp.route('/cases/<int:case_id>/toegang/intrekken', methods=['POST'])
@login_required
def revoke_access(case_id: int):
    """End the leersteuncentrum's access to this case."""
    case, user = get_case_or_404(case_id), current_user()
    grants.revoke(db.session(), case, actor=user.username, user_id=user.id)
    db.session().commit()
    flash(_('Het leersteuncentrum ziet dit dossier niet meer.'), 'success')
    return redirect(url_for('cases.show_case', case_id=case.id, _anchor='toegang'))


def verslag_chain(doc: dict) -> list[dict]:
    """Return the verslag and the one it replaces, newest first, as lines for the case page; [] without a verslag."""
    from webapp.documents.env import format_long_date
    verslag = doc.get('verslag') if isinstance(doc.get('verslag'), dict) else None
    if not verslag or not verslag.get('soort'):
        return []

    def describe(v: dict) -> str:
        return ', '.join(filter(None, (label('VERSLAG_SOORTEN', v.get('soort')), label('VERSLAG_TYPES', v.get('type')),
                                       label('OPLEIDINGSVORMEN', v.get('opleidingsvorm')))))

    def when(value) -> str:
        try:
            return format_long_date(date.fromisoformat(value)) if isinstance(value, str) else ''
        except ValueError:
            return value
    chain = [{'wat': describe(verslag), 'datum': when(verslag.get('datum')),
              'vanaf': when(verslag.get('ingangsdatum') or verslag.get('datum')),
              'status': label('VERSLAG_STATUSSEN', verslag.get('status') or 'geldig'), 'reden': None}]
    vorig = verslag.get('vorig_verslag')
    if isinstance(vorig, dict):
        chain.append({'wat': describe(vorig), 'datum': when(vorig.get('datum')), 'vanaf': None,
                      'status': _('vervangen'), 'reden': label('VORIG_VERSLAG_REDENEN', vorig.get('reden'))})
    return chain


def _send_document(item: Case | Samenwerking, kind: str, fmt: str):
    language = request.args.get('taal', 'nl')
    spec = DOCUMENTS.get(kind)
    if spec is None or not may_read_document(current_user(), spec.audience):
        abort(404)
    doc = case_service.export_document(item)
    ref = f'case-{item.id}' if isinstance(item, Case) else f'samenwerking-{item.id}'
    # A final record's documents are those of its latest version, as stored: the same bytes on any later day.
    version = versions.latest_version(db.session(), item) if item.is_final else None
    db.session().commit()  # ends the read transaction: no render runs inside one
    try:
        if version is not None:
            doc, data = version.data, versions.version_document(db.session(), version, kind, fmt, language)
        else:
            data = get_document(doc, kind, fmt, language, final=item.is_final, item=ref)
    except (DocumentError, CaseFormatError, RenderRefused) as exc:
        # A case with problems (say one stored before a rule of the regulations existed) still opens and exports;
        # its documents wait until it is corrected.
        flash(_('Dit document kan nog niet gemaakt worden: het dossier heeft problemen. Zie Nalezen.')
              if isinstance(exc, CaseFormatError) else str(exc), 'error')
        target = ('cases.show_case', {'case_id': item.id}) if isinstance(item, Case) else \
            ('cases.show_samenwerking', {'item_id': item.id})
        return redirect(url_for(target[0], **target[1]))
    audit.record(db.session(), 'download', actor=current_user().username, user_id=current_user().id, item=item,
                 kind=kind, audience=DOCUMENTS[kind].audience, detail={'format': fmt, 'language': language} | (
                     {'versie': version.number} if version is not None else {}))
    db.session().commit()
    mimetype = 'application/pdf' if fmt == 'pdf' else \
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
    return send_file(BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=download_name(
        doc, kind, fmt, language, version.number if version is not None else None))


@bp.route('/cases/<int:case_id>/documents/<kind>.<fmt>')
@login_required
def download_document(case_id: int, kind: str, fmt: str):
    """Download one document of a case as DOCX or PDF."""
    return _send_document(get_case_or_404(case_id), kind, fmt)


@bp.route('/cases/<int:case_id>/export.json')
@login_required
def export_case(case_id: int):
    """Download the case as traject-case/1 JSON."""
    case = get_case_or_404(case_id)
    audit.record(db.session(), 'export', actor=current_user().username, user_id=current_user().id, item=case)
    db.session().commit()
    # Each role gets the view its audience may see: the same filter as the documents (DOMAIN.md §6).
    body = json.dumps(shareable_case(case_service.export_document(case), audience(current_user())),
                      ensure_ascii=False, indent=2)
    return Response(body, mimetype='application/json', headers={
        'Content-Disposition': f'attachment; filename="dossier-{case.id}.json"'})


@bp.route('/samenwerkingen/<int:item_id>')
@login_required
def show_samenwerking(item_id: int):
    """Show a samenwerking and its document."""
    item = get_samenwerking_or_404(item_id)
    reviewer = Reviewer(SAMENWERKING_FLOW, item.data)
    from webapp.versions import can_compare, version_rows  # here: webapp.versions builds on this module
    return render_template('cases/samenwerking.html', item=item, doc=item.data,
                           versions=version_rows(db.session(), item, current_user()),
                           can_compare=can_compare(current_user(), item),
                           missing=[reviewer.describe(problem) for problem in check(item.data)])


@bp.route('/samenwerkingen/<int:item_id>/documents/<kind>.<fmt>')
@login_required
def download_samenwerking(item_id: int, kind: str, fmt: str):
    """Download the samenwerkingsafspraken as DOCX or PDF."""
    return _send_document(get_samenwerking_or_404(item_id), kind, fmt)
