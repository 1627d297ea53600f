"""Frozen versions on the web: a version's stored documents, the diff between two versions, and finalising (and
starting a new version of) samenwerkingsafspraken.

A version's documents are the bytes stored when it was finalised (webapp/services/versions.py): whoever downloads
them, on whatever day, gets the same file. Who may download which one follows the same rules as a live document
(access.may_read_document): the school and the leersteuncentrum never get the parents' letter.
"""
import difflib
import re
from datetime import date
from io import BytesIO
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import Session
from wtforms import Field

from forms.base import parse_path
from webapp import db
from webapp.access import may_read_document, permits
from webapp.auth import current_user, login_required
from webapp.caseformat import check
from webapp.cases import get_case_or_404, get_samenwerking_or_404, summary_downloads
from webapp.documents import DOCUMENTS, DocumentError, download_name
from webapp.documents.env import format_long_date
from webapp.jobs.queue import get_queue
from webapp.jobs.runner import RenderRefused
from webapp.models import Case, Samenwerking, User, Version
from webapp.services import audit
from webapp.services import cases as case_service
from webapp.services import versions
from webapp.wizard.review import path_label
from webapp.wizard.steps import CASE_FLOW, SAMENWERKING_FLOW, Flow


bp = Blueprint('versions', __name__)
MIMETYPES = {'pdf': 'application/pdf',
             'docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'}


def version_rows(session: Session, item: Case | Samenwerking, user: User) -> list[dict[str, Any]]:
    """Return every version of `item`, newest first, with the documents of each that `user` may download."""
    rows = []
    for version in reversed(versions.versions_of(session, item)):
        stored = versions.stored_documents(session, version)
        documents: dict[str, dict[str, Any]] = {}
        for kind, fmt, language in sorted(versions.document_set(version), key=lambda d: d[1] != 'pdf'):
            if not may_read_document(user, DOCUMENTS[kind].audience):
                continue
            entry = documents.setdefault(kind, {'kind': kind, 'title': DOCUMENTS[kind].title, 'languages': {}})
            entry['languages'].setdefault(language, []).append(
                {'fmt': fmt, 'sha256': stored[(kind, fmt, language)].sha256 if (kind, fmt, language) in stored
                 else None})
        names = {code: name for letter in summary_downloads(version.data) for code, name in letter['opties']}
        for entry in documents.values():
            # Only the parents' letter comes in more than one language: the others need no language name.
            entry['languages'] = [{'code': code, 'name': names.get(code) if entry['kind'] == 'oudersamenvatting'
                                   else None, 'formats': formats} for code, formats in entry['languages'].items()]
        rows.append({'version': version, 'documents': list(documents.values())})
    return rows


def _version_or_404(session: Session, item: Case | Samenwerking, number: int) -> Version:
    version = versions.get_version(session, item, number)
    if version is None:
        abort(404)
    return version


def _send_version(item: Case | Samenwerking, number: int, kind: str, fmt: str):
    """Send one stored document of version `number` of `item`; 404 for what the user may not have or what is not."""
    session, user = db.session(), current_user()
    version = _version_or_404(session, item, number)
    language = request.args.get('taal', 'nl')
    spec = DOCUMENTS.get(kind)
    if spec is None or not may_read_document(user, spec.audience) \
            or (kind, fmt, language) not in versions.document_set(version):
        abort(404)
    session.commit()  # ends the read transaction: no transaction stays open while the document may be rendered
    try:
        data = versions.version_document(session, version, kind, fmt, language)
    except (DocumentError, RenderRefused) as exc:
        flash(str(exc), 'error')
        return redirect(_page_of(item))
    audit.record(session, 'download', actor=user.username, user_id=user.id, item=item, kind=kind,
                 audience=spec.audience, detail={'format': fmt, 'language': language, 'versie': version.number})
    session.commit()
    return send_file(BytesIO(data), mimetype=MIMETYPES[fmt], as_attachment=True,
                     download_name=download_name(version.data, kind, fmt, language, version.number))


def _page_of(item: Case | Samenwerking) -> str:
    if isinstance(item, Case):
        return url_for('cases.show_case', case_id=item.id, _anchor='versies')
    return url_for('cases.show_samenwerking', item_id=item.id, _anchor='versies')


@bp.route('/cases/<int:case_id>/versies/<int:number>/<kind>.<fmt>')
@login_required
def download_case_version(case_id: int, number: int, kind: str, fmt: str):
    """Download one document of a frozen version of a case, byte for byte as it was stored."""
    return _send_version(get_case_or_404(case_id), number, kind, fmt)


@bp.route('/samenwerkingen/<int:item_id>/versies/<int:number>/<kind>.<fmt>')
@login_required
def download_samenwerking_version(item_id: int, number: int, kind: str, fmt: str):
    """Download a frozen version of the samenwerkingsafspraken, byte for byte as it was stored."""
    return _send_version(get_samenwerking_or_404(item_id), number, kind, fmt)


# The diff

def _field_at(flow: Flow, path: str) -> Field | None:
    """Return the wizard's field that edits document path `path` (for its choices), or None."""
    tokens = parse_path(path)
    step, field_path = flow.step_for_path(tokens)
    if field_path is None or step.form_class is None:
        return None
    form = step.form_class(None, **{key: None for key in step.form_class.context_keys})
    return form.locate(tokens[len(field_path) - 1:], grow=True)[0]


def _shown(value: Any, field: Field | None = None) -> str:
    """Return a leaf of the case as a person reads it: a choice by its label, dates written out, yes/no."""
    if value is None:
        return ''
    if isinstance(value, bool):
        return _('ja') if value else _('nee')
    for choice in getattr(field, 'choices', None) or ():
        # WTForms' (value, label) pairs, or this project's SelectChoice (forms/fields.py)
        code, text = (choice.value, choice.label) if hasattr(choice, 'value') else tuple(choice)[:2]
        if code == value:
            return str(text)
    if isinstance(value, str) and re.fullmatch(r'\d{4}-\d{2}-\d{2}', value):
        try:
            return format_long_date(date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


_WORDS = re.compile(r'(\s+)')


def marked(old: str, new: str) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """Return both texts as (piece, changed) runs: the words only one side has are marked."""
    a, b = _WORDS.split(old), _WORDS.split(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.ratio() < 0.5:
        # Mostly rewritten: marking the few words that happen to stay would only make both texts hard to read.
        return [(old, True)] if old else [], [(new, True)] if new else []
    left: list[tuple[str, bool]] = []
    right: list[tuple[str, bool]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for runs, piece in ((left, ''.join(a[i1:i2])), (right, ''.join(b[j1:j2]))):
            if tag == 'equal' or not piece.strip():
                runs.append((piece, False))
                continue
            # The spaces around a changed stretch are not part of the change (no underlined space before a word).
            core = piece.strip()
            start = piece.index(core)
            runs += [(piece[:start], False), (core, True), (piece[start + len(core):], False)]
    return [run for run in left if run[0]], [run for run in right if run[0]]


def compare(flow: Flow, old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """Return what changed from `old` to `new`, per wizard step in the wizard's order, each leaf with its label."""
    sections: dict[str, dict[str, Any]] = {}
    for change in versions.changes(old, new):
        step, field_path = flow.step_for_path(parse_path(change.path))
        key = step.name if field_path is not None else ''
        section = sections.setdefault(key, {'title': step.title if key else _('Overige gegevens'), 'rows': []})
        field = _field_at(flow, change.path)
        old_text, new_text = _shown(change.old, field), _shown(change.new, field)
        left, right = marked(old_text, new_text) if change.status == 'changed' else (
            [(old_text, True)] if old_text else [], [(new_text, True)] if new_text else [])
        section['rows'].append({'label': path_label(flow, change.path), 'path': change.path, 'status': change.status,
                                'old': left, 'new': right})
    order = {name: i for i, name in enumerate(flow.names)}
    return [sections[k] for k in sorted(sections, key=lambda k: order.get(k, len(order)))]


def _compare_page(item: Case | Samenwerking, flow: Flow, endpoint: str, args: dict[str, int]):
    session, user = db.session(), current_user()
    all_versions = versions.versions_of(session, item)
    numbers = [v.number for v in all_versions]
    new_number = _number_arg('naar') or (numbers[-1] if numbers else None)
    old_number = _number_arg('van') or (new_number - 1 if new_number else None)
    # Looked up among the versions already read: a number no version has is simply not there.
    old, new = (next((v for v in all_versions if v.number == n), None) for n in (old_number, new_number))
    message = None
    if len(numbers) < 2:
        message = _('Er is nog maar één versie: er is niets te vergelijken.') if numbers else \
            _('Er is nog geen versie: een versie ontstaat wanneer het document definitief wordt.')
    elif old is None or new is None:
        message = _('Kies twee versies die bestaan.')
    elif old.number == new.number:
        message = _('Kies twee verschillende versies.')
    audit.record(session, 'compare', actor=user.username, user_id=user.id, item=item,
                 detail={'van': old_number, 'naar': new_number})
    session.commit()
    sections = compare(flow, old.data, new.data) if message is None else []
    return render_template('versions/compare.html', item=item, versions=all_versions, old=old, new=new,
                           sections=sections, message=message, endpoint=endpoint, args=args,
                           back=_page_of(item), title=_title(item))


def _number_arg(name: str) -> int | None:
    """Return a version number from the query string, or None when it is missing or no number."""
    value = request.args.get(name, '')
    return int(value) if value.isdigit() and len(value) < 10 else None


def _title(item: Case | Samenwerking) -> str:
    if isinstance(item, Case):
        return f'{item.leerling_voornaam} {item.leerling_achternaam}'.strip()
    return _('Samenwerkingsafspraken {jaar}').format(jaar=item.schooljaar)


@bp.route('/cases/<int:case_id>/versies/vergelijken')
@login_required
def compare_case_versions(case_id: int):
    """Show what changed between two versions of a case, per wizard step, old and new side by side (CLB only:
    the versions hold CLB-internal parts)."""
    case = get_case_or_404(case_id)
    return _compare_page(case, CASE_FLOW, 'versions.compare_case_versions', {'case_id': case.id})


@bp.route('/samenwerkingen/<int:item_id>/versies/vergelijken')
@login_required
def compare_samenwerking_versions(item_id: int):
    """Show what changed between two versions of samenwerkingsafspraken (every party reads all of them)."""
    item = get_samenwerking_or_404(item_id)
    return _compare_page(item, SAMENWERKING_FLOW, 'versions.compare_samenwerking_versions', {'item_id': item.id})


# Finalising samenwerkingsafspraken

@bp.route('/samenwerkingen/<int:item_id>/definitief', methods=['GET', 'POST'])
@login_required
def finalize_samenwerking(item_id: int):
    """Ask first (GET); make the samenwerkingsafspraken final and freeze a version once they are complete (POST)."""
    item, user = get_samenwerking_or_404(item_id), current_user()
    page = url_for('cases.show_samenwerking', item_id=item.id)
    if item.is_final:
        return redirect(page)
    if check(item.data):
        flash(_('De samenwerkingsafspraken zijn nog niet volledig: vul eerst aan wat ontbreekt.'), 'error')
        return redirect(page)
    if request.method == 'GET' or request.form.get('bevestigd') != 'ja':
        return render_template('versions/finalize_samenwerking.html', item=item, title=_title(item))
    session = db.session()
    case_service.finalize_samenwerking(session, item, actor=user.username, user_id=user.id)
    version = versions.latest_version(session, item)
    session.commit()
    queue_renders(version.id)
    flash(_('De samenwerkingsafspraken zijn definitief (versie %(nummer)s). De documenten hebben geen '
            'CONCEPT-vermelding meer.', nummer=version.number), 'success')
    return redirect(page)


@bp.route('/samenwerkingen/<int:item_id>/nieuwe-versie', methods=['POST'])
@login_required
def reopen_samenwerking(item_id: int):
    """Start a new version of final samenwerkingsafspraken: editable again, CONCEPT until final again."""
    item, user = get_samenwerking_or_404(item_id), current_user()
    if item.is_final:
        case_service.reopen_samenwerking(db.session(), item, actor=user.username, user_id=user.id)
        db.session().commit()
        flash(_('U werkt nu aan een nieuwe versie. De documenten zijn weer een CONCEPT tot ze definitief zijn.'),
              'success')
    return redirect(url_for('cases.show_samenwerking', item_id=item.id))


def queue_renders(version_id: int) -> None:
    """Render the new version's documents in the background, so the CLB worker does not wait for them."""
    if current_app.config.get('PRERENDER'):
        get_queue().enqueue('render_version', version_id, job_id=f'version-{version_id}')


def can_compare(user: User, item: Case | Samenwerking) -> bool:
    """Return whether `user` may open the diff page of `item`."""
    return permits(user, 'case.compare' if isinstance(item, Case) else 'samenwerking.view')
