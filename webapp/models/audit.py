"""Append-only audit trail: who did what with which case, when (DOMAIN.md §6.6)."""
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from webapp.db import Base
from webapp.models.case import utcnow


class AuditEvent(Base):
    """One view, download, generation, import, export or change; rows are only ever added."""

    __tablename__ = 'audit_events'

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey('users.id'))
    actor: Mapped[str] = mapped_column(String(120))  # username, or 'cli' for the command line
    action: Mapped[str] = mapped_column(String(40))
    # No foreign keys: the trail must outlive a deleted case.
    case_id: Mapped[int | None] = mapped_column(index=True)
    samenwerking_id: Mapped[int | None] = mapped_column()
    kind: Mapped[str | None] = mapped_column(String(40))
    audience: Mapped[str | None] = mapped_column(String(30))
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    def __repr__(self) -> str:
        return f'<AuditEvent {self.id} {self.action}>'


# The trail is append-only in the database itself, not only in the code: triggers refuse UPDATE and DELETE.
APPEND_ONLY = {
    'sqlite': [
        "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
        "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END",
        "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events "
        "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END",
    ],
    'postgresql': [
        "CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION 'audit_events is append-only'; END $$",
        "CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events "
        "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()",
    ],
}
DROP_APPEND_ONLY = {
    'sqlite': ['DROP TRIGGER IF EXISTS audit_events_no_update', 'DROP TRIGGER IF EXISTS audit_events_no_delete'],
    'postgresql': ['DROP TRIGGER IF EXISTS audit_events_no_change ON audit_events',
                   'DROP FUNCTION IF EXISTS audit_events_append_only()'],
}
