"""Local accounts: create them and check a login."""
from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from webapp.access import ROLES
from webapp.models import Organisation, User


MIN_PASSWORD_LENGTH = 10


class UserError(ValueError):
    """An account cannot be created as asked; the message says why."""


def create_user(session: Session, username: str, password: str, *, role: str = 'beheerder',
                display_name: str | None = None, organisation: str | None = None) -> User:
    """Create an account; non-beheerders belong to an existing organisation of the matching kind."""
    username = username.strip().lower()
    if not username or len(username) > 120:
        raise UserError(_('Geef een gebruikersnaam van 1 tot 120 tekens.'))
    if role not in ROLES:
        raise UserError(_('Onbekende rol "{role}".').format(role=role))
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(_('Het wachtwoord moet minstens {n} tekens lang zijn.').format(n=MIN_PASSWORD_LENGTH))
    if session.scalar(select(User).where(User.username == username)):
        raise UserError(_('Er bestaat al een account "{username}".').format(username=username))
    org = None
    if role != 'beheerder':
        if not organisation:
            raise UserError(_('Een account met rol {role} hoort bij een organisatie: geef --organisatie.').format(
                role=role))
        org = session.scalar(select(Organisation).where(
            Organisation.kind == role,
            or_(func.lower(Organisation.naam) == organisation.strip().lower(),
                Organisation.instellingsnummer == organisation.strip())))
        if org is None:
            raise UserError(_('Geen {role} gevonden met naam of instellingsnummer "{org}".').format(
                role=role, org=organisation))
    user = User(username=username, display_name=display_name or username, role=role, organisation=org)
    user.set_password(password)
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, username: str, password: str) -> User | None:
    """Return the user whose username and password match, else None."""
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    return user if user is not None and user.check_password(password) else None
