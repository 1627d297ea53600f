"""The case list (the worker's home page), the case page with its documents, downloads and JSON import/export."""
import json
from datetime import date
from io import BytesIO

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import func, or_, select
from werkzeug.utils import secure_filename

from webapp import db
from webapp.access import visible_cases, visible_samenwerkingen
from webapp.auth import current_user, login_required
from webapp.caseformat import CaseFormatError, check, parse_json
from webapp.caseformat.enums import VERSLAG_SOORTEN, label
from webapp.documents import DOCUMENTS, DocumentError, kinds_for
from webapp.jobs.renders import get_document
from webapp.jobs.runner import RenderRefused
from webapp.models import Case, CaseDate, Organisation, Samenwerking
from webapp.services import audit
from webapp.services import cases as case_service
from webapp.wizard.review import Reviewer
from webapp.wizard.steps import SAMENWERKING_FLOW


bp = Blueprint('cases', __name__)


class ImportForm(FlaskForm):
    """Upload of a traject-case/1 or traject-samenwerking/1 file."""

    file = FileField(_l('JSON-bestand'), validators=[FileRequired(_l('Kies een bestand om te importeren.'))])


def get_case_or_404(case_id: int) -> Case:
    """Return the case if the user's organisation may see it; otherwise 404, never a hint that it exists."""
    case = db.session().scalar(visible_cases(current_user()).where(Case.id == case_id))
    if case is None:
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
    if school := args.get('school', type=int):
        query = query.where(Case.school_id == school)
    if (phase := args.get('fase')) in case_service.PHASES:
        query = query.where(Case.phase == phase)
    if (soort := args.get('verslag')) in VERSLAG_SOORTEN:
        query = query.where(Case.verslag_soort == soort)
    elif soort == 'geen':
        query = query.where(Case.verslag_soort.is_(None))
    cases = db.session().scalars(query.order_by(Case.updated_at.desc())).all()
    schools = db.session().scalars(
        select(Organisation).where(Organisation.id.in_(visible_cases(user).with_only_columns(Case.school_id)))
        .order_by(Organisation.naam)).all()
    samenwerkingen = db.session().scalars(visible_samenwerkingen(user).order_by(Samenwerking.schooljaar.desc())).all()
    return render_template('cases/list.html', cases=cases, schools=schools, samenwerkingen=samenwerkingen,
                           evaluations=next_evaluations([c.id for c in cases]), phases=case_service.PHASES,
                           soorten=VERSLAG_SOORTEN, label=label, form=ImportForm(), filters=args)


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
    try:
        doc = parse_json(form.file.data.read())
        item = case_service.import_document(session, doc, actor=user.username, user_id=user.id,
                                            replace=request.form.get('replace') == '1')
    except CaseFormatError as exc:
        session.rollback()
        return render_template('cases/import_errors.html', problems=exc.problems,
                               filename=form.file.data.filename), 422
    except case_service.DuplicateError as exc:
        session.rollback()
        flash(_('Dit bestand staat al in Traject (dossier {id}). Niets is gewijzigd.').format(id=exc.existing.id),
              'error')
        return redirect(url_for('cases.list_cases'))
    session.commit()
    flash(_('Het bestand is geïmporteerd.'), 'success')
    if isinstance(item, Case):
        return redirect(url_for('cases.show_case', case_id=item.id))
    return redirect(url_for('cases.show_samenwerking', item_id=item.id))


@bp.route('/cases/<int:case_id>')
@login_required
def show_case(case_id: int):
    """Show a case: who, where, which phase, and its documents."""
    case = get_case_or_404(case_id)
    audit.record(db.session(), 'view', actor=current_user().username, user_id=current_user().id, item=case)
    db.session().commit()
    return render_template('cases/detail.html', case=case, doc=case.data, kinds=kinds_for(case.data),
                           documents=DOCUMENTS, label=label, summaries=summary_downloads(case.data))


def _document_filename(doc: dict, kind: str, fmt: str, language: str) -> str:
    # A clean, readable name: verslag-noor-peeters-2026-03-14.pdf
    if doc.get('formaat') == 'traject-case/1':
        who = f"{doc['leerling']['voornaam']}-{doc['leerling']['achternaam']}"
        when = (doc.get('verslag') or {}).get('datum') or date.today().isoformat()
    else:
        who, when = doc['school']['naam'], doc['schooljaar']
    suffix = '' if language == 'nl' else f'-{language}'
    return secure_filename(f'{kind}-{who}-{when}{suffix}.{fmt}'.lower().replace(' ', '-'))


def _send_document(item: Case | Samenwerking, kind: str, fmt: str):
    language = request.args.get('taal', 'nl')
    doc = case_service.export_document(item)
    ref = f'case-{item.id}' if isinstance(item, Case) else f'samenwerking-{item.id}'
    db.session().commit()  # ends the read transaction: no render runs inside one
    try:
        data = get_document(doc, kind, fmt, language, final=getattr(item, 'is_final', False), item=ref)
    except (DocumentError, RenderRefused) as exc:
        flash(str(exc), 'error')
        target = ('cases.show_case', {'case_id': item.id}) if isinstance(item, Case) else \
            ('cases.show_samenwerking', {'item_id': item.id})
        return redirect(url_for(target[0], **target[1]))
    audit.record(db.session(), 'download', actor=current_user().username, user_id=current_user().id, item=item,
                 kind=kind, audience=DOCUMENTS[kind].audience, detail={'format': fmt, 'language': language})
    db.session().commit()
    mimetype = 'application/pdf' if fmt == 'pdf' else \
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
    return send_file(BytesIO(data), mimetype=mimetype, as_attachment=True,
                     download_name=_document_filename(doc, kind, fmt, language))


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
    body = json.dumps(case_service.export_document(case), ensure_ascii=False, indent=2)
    return Response(body, mimetype='application/json', headers={
        'Content-Disposition': f'attachment; filename="dossier-{case.id}.json"'})


@bp.route('/samenwerkingen/<int:item_id>')
@login_required
def show_samenwerking(item_id: int):
    """Show a samenwerking and its document."""
    item = get_samenwerking_or_404(item_id)
    reviewer = Reviewer(SAMENWERKING_FLOW, item.data)
    return render_template('cases/samenwerking.html', item=item, doc=item.data,
                           missing=[reviewer.describe(problem) for problem in check(item.data)])


@bp.route('/samenwerkingen/<int:item_id>/documents/<kind>.<fmt>')
@login_required
def download_samenwerking(item_id: int, kind: str, fmt: str):
    """Download the samenwerkingsafspraken as DOCX or PDF."""
    return _send_document(get_samenwerking_or_404(item_id), kind, fmt)
