"""Local accounts: create them and check a login."""
from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from webapp.access import ORGANISATION_KIND, ROLES
from webapp.models import Organisation, User


MIN_PASSWORD_LENGTH = 12


class UserError(ValueError):
    """An account cannot be created as asked; the message says why."""


def create_user(session: Session, username: str, password: str, *, role: str, organisation: str | None,
                display_name: str | None = None) -> User:
    """Create an account of an existing organisation whose kind fits the role (a beheerder: any kind)."""
    username = username.strip().lower()
    if not username or len(username) > 120:
        raise UserError(_('Geef een gebruikersnaam van 1 tot 120 tekens.'))
    if role not in ROLES:
        raise UserError(_('Onbekende rol "{role}".').format(role=role))
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(_('Het wachtwoord moet minstens {n} tekens lang zijn.').format(n=MIN_PASSWORD_LENGTH))
    if session.scalar(select(User).where(User.username == username)):
        raise UserError(_('Er bestaat al een account "{username}".').format(username=username))
    if not organisation:
        raise UserError(_('Een account met rol {role} hoort bij een organisatie: geef --organisatie.').format(
            role=role))
    org = find_organisation(session, organisation, kind=ORGANISATION_KIND[role])
    if org is None:
        raise UserError(_('Geen organisatie gevonden met naam of instellingsnummer "{org}" die past bij de rol '
                          '{role}.').format(role=role, org=organisation))
    user = User(username=username, display_name=display_name or username, role=role, organisation=org)
    user.set_password(password)
    session.add(user)
    session.flush()
    return user


def find_organisation(session: Session, name_or_number: str, *, kind: str | None = None) -> Organisation | None:
    """Return the organisation with this official number or name (capitals and spacing do not count)."""
    text = ' '.join(name_or_number.split())
    query = select(Organisation).where(or_(Organisation.match_key == 'naam:' + text.lower(),
                                           Organisation.instellingsnummer == text,
                                           func.lower(Organisation.naam) == text.lower()))
    if kind is not None:
        query = query.where(Organisation.kind == kind)
    return session.scalars(query.order_by(Organisation.id)).first()


def authenticate(session: Session, username: str, password: str) -> User | None:
    """Return the user whose username and password match, else None."""
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    return user if user is not None and user.check_password(password) else None
