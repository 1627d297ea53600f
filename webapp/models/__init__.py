"""Every model, importable from one place (Alembic and the services need them all)."""
from webapp.models.audit import AuditEvent
from webapp.models.case import Case, CaseDate, Organisation
from webapp.models.job import Job, JobFile, RenderedDocument
from webapp.models.portal import LinkAttempt
from webapp.models.samenwerking import Samenwerking
from webapp.models.security import CaseGrant, LoginAttempt, LoginSession, RecoveryCode
from webapp.models.sharing import ParentLink, ParentReply
from webapp.models.user import User
from webapp.models.version import Version, VersionDocument
from webapp.models.wizard import Draft, WizardProgress


__all__ = ['AuditEvent', 'Case', 'CaseDate', 'CaseGrant', 'Draft', 'Job', 'JobFile', 'LinkAttempt', 'LoginAttempt', 'LoginSession',
           'Organisation', 'ParentLink', 'ParentReply', 'RecoveryCode', 'RenderedDocument', 'Samenwerking', 'User',
           'Version', 'VersionDocument', 'WizardProgress']
