"""Who may start a bulk job for which organisation, and who may follow and download it.

One small place that asks today's scopes (webapp.access.visible_cases), so the access policy can take it over in one
step: a bulk job renders exactly the cases its user may see, of one organisation.
"""
from sqlalchemy import Select, or_, select

from webapp.access import visible_cases
from webapp.models import Case, Job, Organisation, User


def bulk_cases(user: User) -> Select:
    """Return a SELECT of the cases `user` may put in a bulk ZIP."""
    return visible_cases(user)


def bulk_organisations(user: User) -> Select:
    """Return a SELECT of the schools and CLBs of the cases `user` may see: those a bulk job can be asked for."""
    ids = visible_cases(user).with_only_columns(Case.school_id).union(
        visible_cases(user).with_only_columns(Case.clb_id)).subquery()
    return select(Organisation).where(Organisation.id.in_(select(ids.c[0])), or_(
        Organisation.kind == 'school', Organisation.kind == 'clb')).order_by(Organisation.kind, Organisation.naam)


def can_see_job(user: User, job: Job) -> bool:
    """Return whether `user` may follow, cancel and download `job`: only whoever started it."""
    return job.user_id is not None and job.user_id == user.id
