"""Who may see what: every query for cases and samenwerkingen goes through these scopes, and nowhere else."""
from sqlalchemy import Select, false, select, true

from webapp.models import Case, Samenwerking, User


ROLES = ('beheerder', 'clb', 'school', 'leersteuncentrum')


def _scope(model, user: User):
    # A beheerder sees everything; everyone else sees the records their organisation is a party to.
    if user.role == 'beheerder':
        return true()
    if user.organisation_id is None:
        return false()
    column = {'clb': model.clb_id, 'school': model.school_id,
              'leersteuncentrum': model.leersteuncentrum_id}.get(user.role)
    return false() if column is None else column == user.organisation_id


def visible_cases(user: User) -> Select:
    """Return a SELECT of the cases `user` may see; callers add filters and ordering."""
    return select(Case).where(_scope(Case, user))


def visible_samenwerkingen(user: User) -> Select:
    """Return a SELECT of the samenwerkingen `user` may see."""
    return select(Samenwerking).where(_scope(Samenwerking, user))


def can_edit_case(user: User) -> bool:
    """Return whether `user` may change case data (the CLB owns the case; the school fills in its parts)."""
    return user.role in ('beheerder', 'clb', 'school')

