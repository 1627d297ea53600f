"""Access of a leersteuncentrum to one case: granted by the school or the CLB, revocable, every change audited."""
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.models import Case, CaseGrant
from webapp.models.case import utcnow
from webapp.services import audit


class GrantError(ValueError):
    """The grant cannot be given as asked; the message says why."""


def active_grant(session: Session, case: Case) -> CaseGrant | None:
    """Return the grant through which the case's leersteuncentrum sees the case now, if any."""
    if case.leersteuncentrum_id is None:
        return None
    return session.scalar(select(CaseGrant).where(CaseGrant.case_id == case.id,
                                                  CaseGrant.organisation_id == case.leersteuncentrum_id,
                                                  CaseGrant.revoked_at.is_(None)))


def history(session: Session, case: Case) -> list[CaseGrant]:
    """Return every grant of the case, newest first."""
    return list(session.scalars(select(CaseGrant).where(CaseGrant.case_id == case.id)
                                .order_by(CaseGrant.granted_at.desc(), CaseGrant.id.desc())))


def grant(session: Session, case: Case, *, actor: str, user_id: int | None = None) -> CaseGrant:
    """Let the case's leersteuncentrum see the case (its shareable view); flush."""
    if case.leersteuncentrum_id is None:
        raise GrantError(_('Dit dossier noemt nog geen leersteuncentrum (stap Leersteun).'))
    found = active_grant(session, case)
    if found is not None:
        return found
    item = CaseGrant(case_id=case.id, organisation_id=case.leersteuncentrum_id, granted_by=actor, granted_at=utcnow())
    session.add(item)
    session.flush()
    audit.record(session, 'grant', actor=actor, user_id=user_id, item=case,
                 detail={'organisation_id': case.leersteuncentrum_id})
    return item


def revoke(session: Session, case: Case, *, actor: str, user_id: int | None = None) -> None:
    """End the leersteuncentrum's access to the case; flush."""
    found = active_grant(session, case)
    if found is None:
        return
    found.revoked_at, found.revoked_by = utcnow(), actor
    session.flush()
    audit.record(session, 'revoke', actor=actor, user_id=user_id, item=case,
                 detail={'organisation_id': found.organisation_id})
