"""Every model, importable from one place (Alembic and the services need them all)."""
from webapp.models.audit import AuditEvent
from webapp.models.case import Case, CaseDate, Organisation
from webapp.models.samenwerking import Samenwerking
from webapp.models.user import User


__all__ = ['AuditEvent', 'Case', 'CaseDate', 'Organisation', 'Samenwerking', 'User']
