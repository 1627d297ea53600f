"""The audit trail: one call per event, rows are only ever added."""
from typing import Any

from sqlalchemy.orm import Session

from webapp.models import AuditEvent, Case, Samenwerking


def record(session: Session, action: str, *, actor: str, user_id: int | None = None,
           item: Case | Samenwerking | None = None, kind: str | None = None, audience: str | None = None,
           detail: dict[str, Any] | None = None) -> AuditEvent:
    """Add an audit event; ids only, never a pupil's name."""
    event = AuditEvent(action=action, actor=actor, user_id=user_id, kind=kind, audience=audience, detail=detail,
                       case_id=item.id if isinstance(item, Case) else None,
                       samenwerking_id=item.id if isinstance(item, Samenwerking) else None)
    session.add(event)
    return event
