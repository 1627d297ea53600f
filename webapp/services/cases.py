"""State changes of cases and samenwerkingen: import, replace, export, project the queried columns."""
import copy
from collections.abc import Sequence
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.caseformat import validate
from webapp.caseformat.enums import FASEN
from webapp.models import Case, CaseDate, Organisation, Samenwerking, WizardProgress
from webapp.services import audit, versions


CASE_FORMAT = 'traject-case/1'
SAMENWERKING_FORMAT = 'traject-samenwerking/1'
# HGD phases as the case list shows them (DOMAIN.md §3), and the last one a case has reached.
PHASES = FASEN


class DuplicateError(ValueError):
    """The file's `id` is already stored; importing it again needs `replace`."""

    def __init__(self, existing: Case | Samenwerking):
        super().__init__(existing.id)
        self.existing = existing


class ImportRefused(ValueError):
    """The uploader may not store this file (another organisation's record, a final case); the message says why."""


def derive_phase(doc: dict[str, Any]) -> str:
    """Return the furthest HGD phase the document has reached; derived, never typed in."""
    traject = doc.get('traject') or {}
    if doc.get('iac_plan') or doc.get('leersteun') or any(
            o.get('soort') in ('klassenraad', 'opstart', 'evaluatie', 'ontbindende-voorwaarde')
            for o in doc.get('overleg') or []):
        return 'handelen'
    if doc.get('verslag') or doc.get('aanpassingen') or traject.get('doelen'):
        return 'advies'
    if traject.get('beeldvorming') or traject.get('behoeften') or traject.get('diagnosen'):
        return 'integratie'
    if traject.get('onderzoek'):
        return 'onderzoek'
    strategie = traject.get('strategie') or {}
    if strategie.get('hypothesen') or strategie.get('onderzoeksvragen') or strategie.get('onderzoek_nodig'):
        return 'strategie'
    if traject.get('zorgcontinuum') or traject.get('voorgeschiedenis'):
        return 'intake'
    return 'onthaal'


def planned_dates(doc: dict[str, Any]) -> list[tuple[str, date]]:
    """Return the evaluation and review dates of a case document, as (kind, date) pairs."""
    found = [('iac-evaluatie', d) for d in (doc.get('iac_plan') or {}).get('evaluatiemomenten') or []]
    found += [('leersteun-evaluatie', d) for d in (doc.get('leersteun') or {}).get('evaluatiedata') or []]
    if (doc.get('verslag') or {}).get('herzien_tegen'):
        found.append(('herziening-verslag', doc['verslag']['herzien_tegen']))
    return [(kind, date.fromisoformat(d)) for kind, d in found if _is_iso_date(d)]


def _is_iso_date(value: Any) -> bool:
    try:
        date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


def organisation_key(org: dict[str, Any]) -> str:
    """Return how an organisation is recognised: its official number, else its name (capitals, spacing aside)."""
    nummer = (org.get('instellingsnummer') or '').strip()
    return f'nr:{nummer}' if nummer else 'naam:' + ' '.join(org['naam'].lower().split())


def get_organisation(session: Session, kind: str, org: dict[str, Any]) -> Organisation:
    """Return the stored organisation matching `org`, creating it if new.

    A stored organisation is never renamed by a case: a school's name as one file spells it stays on that case.
    """
    key = organisation_key(org)
    found = session.scalar(select(Organisation).where(Organisation.kind == kind, Organisation.match_key == key))
    if found is None:
        nummer = (org.get('instellingsnummer') or '').strip()
        found = Organisation(kind=kind, match_key=key, naam=' '.join(org['naam'].split()),
                             instellingsnummer=nummer or None)
        session.add(found)
        session.flush()
    return found


def _apply_case(session: Session, case: Case, doc: dict[str, Any]) -> None:
    # Tolerant of a case still being filled in by the wizard: every part may be missing yet.
    leerling = doc.get('leerling') or {}
    verslag = doc.get('verslag') or {}
    case.data = doc
    case.school = _organisation_or_none(session, 'school', doc.get('school'))
    case.clb = _organisation_or_none(session, 'clb', doc.get('clb'))
    case.leersteuncentrum = _organisation_or_none(session, 'leersteuncentrum', doc.get('leersteuncentrum'))
    case.leerling_voornaam = leerling.get('voornaam') or ''
    case.leerling_achternaam = leerling.get('achternaam') or ''
    case.onderwijsniveau = leerling.get('onderwijsniveau') or ''
    case.phase = derive_phase(doc)
    case.verslag_soort = verslag.get('soort')
    case.verslag_type = verslag.get('type')
    case.dates = [CaseDate(kind=kind, datum=d) for kind, d in planned_dates(doc)]


def _organisation_or_none(session: Session, kind: str, org: dict[str, Any] | None) -> Organisation | None:
    return get_organisation(session, kind, org) if org and org.get('naam') else None


def _apply_samenwerking(session: Session, item: Samenwerking, doc: dict[str, Any]) -> None:
    item.data = doc
    item.schooljaar = doc['schooljaar']
    item.school = get_organisation(session, 'school', doc['school'])
    item.clb = get_organisation(session, 'clb', doc['clb'])
    item.leersteuncentrum = get_organisation(session, 'leersteuncentrum', doc['leersteuncentrum'])


def import_document(session: Session, doc: dict[str, Any], *, replace: bool = False,
                    actor: str = 'cli', user_id: int | None = None,
                    clb: Organisation | None = None) -> Case | Samenwerking:
    """Validate and store a traject-case/1 or traject-samenwerking/1 document; flush, do not commit.

    A document whose `id` is already stored raises DuplicateError unless `replace` is set, in which case the stored
    record is overwritten in place (same database id). With `clb` (an upload by a CLB worker) the file must name
    that CLB, and only that CLB's own, non-final records can be replaced: ImportRefused says why not, without
    naming anything of another organisation. The command line (the operator) passes no `clb`.
    """
    validate(doc)
    model, apply = ((Case, _apply_case) if doc['formaat'] == CASE_FORMAT else (Samenwerking, _apply_samenwerking))
    if clb is not None and organisation_key(doc['clb']) != clb.match_key:
        raise ImportRefused(_('Dit bestand hoort bij een ander CLB (veld clb: "{naam}"). U kunt alleen dossiers van '
                              'uw eigen CLB importeren.').format(naam=doc['clb']['naam']))
    source_id = doc.get('id')
    existing = session.scalar(select(model).where(model.source_id == source_id)) if source_id else None
    if existing is not None and clb is not None and existing.clb_id != clb.id:
        raise ImportRefused(_('Er bestaat al een dossier met dit id (veld id) dat u niet kunt overschrijven. '
                              'Niets is gewijzigd.'))
    if existing is not None and clb is not None and replace and getattr(existing, 'is_final', False):
        raise ImportRefused(_('Dit dossier is definitief en wordt niet overschreven. Maak eerst een nieuwe versie. '
                              'Niets is gewijzigd.'))
    if existing is not None and not replace:
        raise DuplicateError(existing)
    item = existing or model(source_id=source_id)
    apply(session, item, doc)
    session.add(item)
    session.flush()
    audit.record(session, 'replace' if existing else 'import', actor=actor, user_id=user_id, item=item)
    return item


def export_document(item: Case | Samenwerking) -> dict[str, Any]:
    """Return the stored document exactly as it was imported or created (key order included)."""
    return dict(item.data)


def create_case(session: Session, doc: dict[str, Any], *, actor: str, user_id: int | None = None) -> Case:
    """Store a new, possibly still incomplete case started in the wizard; flush, do not commit."""
    case = Case()
    _apply_case(session, case, doc)
    session.add(case)
    session.flush()
    # A case made here exports the product's own id, right after `formaat`.
    case.source_id = f'traject-{case.id}'
    _apply_case(session, case, {'formaat': CASE_FORMAT, 'id': case.source_id,
                                **{k: v for k, v in doc.items() if k not in ('formaat', 'id')}})
    session.flush()
    audit.record(session, 'create', actor=actor, user_id=user_id, item=case)
    return case


def update_case(session: Session, case: Case, doc: dict[str, Any], *, actor: str, user_id: int | None = None,
                action: str = 'update') -> Case:
    """Store a new, possibly incomplete document for `case`; optimistic locking guards concurrent edits.

    The wizard saves step by step, so the full format check runs at the review step and at import, not here.
    """
    _apply_case(session, case, doc)
    session.flush()
    audit.record(session, action, actor=actor, user_id=user_id, item=case)
    return case


# The wizard: a case is filled in step by step, so each save stores a possibly incomplete document.

# Optional objects of the case format: an object of them with nothing filled in is removed, not stored empty.
OPTIONAL_OBJECTS = ('leersteuncentrum', 'verslag', 'iac_plan', 'leersteun', 'oudersamenvatting')


def new_case_document(clb: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return the document a new case starts from: required lists empty, the CLB filled in when known."""
    doc: dict[str, Any] = {'formaat': CASE_FORMAT, 'ouders': [], 'betrokkenen': [], 'traject': {}}
    if clb:
        doc['clb'] = clb
    return doc


def apply_changes(doc: dict[str, Any], changes: dict[tuple[str, ...], Any],
                  optional_objects: tuple[str, ...] = OPTIONAL_OBJECTS) -> dict[str, Any]:
    """Return a copy of `doc` with each path set to its value, or removed where the value is None."""
    doc = copy.deepcopy(doc)
    for path, value in changes.items():
        parent = doc
        for key in path[:-1]:
            if not isinstance(parent.get(key), dict):
                if value is None:
                    break
                parent[key] = {}
            parent = parent[key]
        else:
            if value is None:
                parent.pop(path[-1], None)
            else:
                parent[path[-1]] = copy.deepcopy(value)
    for key in optional_objects:
        if key in doc and _is_empty(doc[key]):
            del doc[key]
    return doc


def _is_empty(value: Any) -> bool:
    if isinstance(value, dict):
        return all(_is_empty(v) for v in value.values())
    if isinstance(value, list):
        return all(_is_empty(v) for v in value)
    return value in (None, '')


def save_step(session: Session, case: Case, step: str, changes: dict[tuple[str, ...], Any], *, actor: str,
              user_id: int | None = None) -> Case:
    """Store what one wizard step edits (document path -> value, None removes); flush, do not commit.

    Optimistic locking (Case.version) refuses the UPDATE if another save came first; the caller compares
    versions before calling this, so that only a true race ends in StaleDataError.
    """
    _apply_case(session, case, apply_changes(case.data, changes))
    session.flush()
    audit.record(session, 'update', actor=actor, user_id=user_id, item=case, detail={'step': step})
    return case


def reach_step(session: Session, case: Case, step: str, order: Sequence[str]) -> None:
    """Remember that `case` has reached wizard `step` if it is further than before (`order`: every step name)."""
    progress = session.get(WizardProgress, case.id)
    if progress is None:
        session.add(WizardProgress(case_id=case.id, furthest_step=step))
    elif order.index(step) > (order.index(progress.furthest_step) if progress.furthest_step in order else -1):
        progress.furthest_step = step
    session.flush()


def furthest_step(session: Session, case: Case) -> str | None:
    """Return the furthest wizard step `case` has reached, or None if it was never opened in the wizard."""
    progress = session.get(WizardProgress, case.id)
    return progress.furthest_step if progress else None


def finalize_case(session: Session, case: Case, *, actor: str, user_id: int | None = None) -> Case:
    """Mark the case final and freeze its next version (webapp/services/versions.py); flush."""
    case.is_final = True
    session.flush()
    version = versions.freeze(session, case, actor=actor, user_id=user_id)
    audit.record(session, 'finalize', actor=actor, user_id=user_id, item=case, detail={'versie': version.number})
    return case


def reopen_case(session: Session, case: Case, *, actor: str, user_id: int | None = None) -> Case:
    """Start a new version of a final case: it becomes a draft (CONCEPT) that can be edited again; flush."""
    case.is_final = False
    session.flush()
    audit.record(session, 'reopen', actor=actor, user_id=user_id, item=case)
    return case


def create_samenwerking(session: Session, doc: dict[str, Any], *, actor: str,
                        user_id: int | None = None) -> Samenwerking:
    """Store new, possibly incomplete samenwerkingsafspraken (parties and school year are needed); flush."""
    item = Samenwerking()
    _apply_samenwerking(session, item, doc)
    session.add(item)
    session.flush()
    audit.record(session, 'create', actor=actor, user_id=user_id, item=item)
    return item


def save_samenwerking_step(session: Session, item: Samenwerking, step: str, changes: dict[tuple[str, ...], Any],
                           *, actor: str, user_id: int | None = None) -> Samenwerking:
    """Store what one samenwerking step edits; flush, do not commit."""
    _apply_samenwerking(session, item, apply_changes(item.data, changes, optional_objects=()))
    session.flush()
    audit.record(session, 'update', actor=actor, user_id=user_id, item=item, detail={'step': step})
    return item


def finalize_samenwerking(session: Session, item: Samenwerking, *, actor: str,
                          user_id: int | None = None) -> Samenwerking:
    """Mark the samenwerkingsafspraken final and freeze their next version, as finalize_case does; flush."""
    item.is_final = True
    session.flush()
    version = versions.freeze(session, item, actor=actor, user_id=user_id)
    audit.record(session, 'finalize', actor=actor, user_id=user_id, item=item, detail={'versie': version.number})
    return item


def reopen_samenwerking(session: Session, item: Samenwerking, *, actor: str,
                        user_id: int | None = None) -> Samenwerking:
    """Start a new version of final samenwerkingsafspraken: a draft (CONCEPT) again, from the last version; flush."""
    item.is_final = False
    session.flush()
    audit.record(session, 'reopen', actor=actor, user_id=user_id, item=item)
    return item
