"""Which cases and documents a bulk job of a user holds, and who may follow and download it.

Who may start one at all is the policy's action 'case.bulk' (webapp.access.ROUTES). Here, in one small place, the
policy's scopes decide the rest: a bulk job renders exactly the cases its user may see, of one organisation, and
only the documents that user may read.
"""
from sqlalchemy import Select, or_, select

from webapp.access import may_read_document, visible_cases
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


def bulk_audiences(user: User) -> list[str]:
    """Return the audiences of the documents `user`'s ZIP may hold (a school's ZIP has no parents' letters)."""
    return [audience for audience in ('school', 'ouders') if may_read_document(user, audience)]
