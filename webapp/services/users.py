"""Local accounts: create them, check a login, and what an operator or a beheerder may change about them."""
import functools
import secrets

from flask_babel import gettext as _
from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from webapp.access import ORGANISATION_KIND, ROLES
from webapp.models import Organisation, RecoveryCode, User
from webapp.services import sessions


MIN_PASSWORD_LENGTH = 12
# Long passphrases are welcome; past this a password is more likely a paste by mistake (ASVS 2.1.2).
MAX_PASSWORD_LENGTH = 128
# zxcvbn's scores run from 0 (guessed at once) to 4; 3 means 10^8 guesses or more, safe against online attacks.
MIN_PASSWORD_SCORE = 3


class UserError(ValueError):
    """An account cannot be created or changed as asked; the message says why."""


def password_problem(password: str, *, username: str = '') -> str | None:
    """Return why `password` may not be used (in the user's language), or None when it is good enough.

    Checked: the length, zxcvbn's bundled list of the 30 000 most common passwords from public breaches, and
    zxcvbn's estimate of how many guesses it takes (the username and the app's name count as known to an attacker).
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        return _('Het wachtwoord moet minstens {n} tekens lang zijn.').format(n=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        return _('Het wachtwoord mag hoogstens {n} tekens lang zijn.').format(n=MAX_PASSWORD_LENGTH)
    if password.strip().lower() in _breached_passwords():
        return _('Het wachtwoord staat in een lijst van veelgebruikte of gelekte wachtwoorden: kies een ander.')
    from zxcvbn import zxcvbn
    # zxcvbn refuses more than 72 characters; the first 72 of a longer one decide its strength well enough.
    score = zxcvbn(password[:72], user_inputs=[username, 'traject', 'clb', 'wachtwoord'])['score']
    if score < MIN_PASSWORD_SCORE:
        return _('Het wachtwoord is te makkelijk te raden: maak het langer, bijvoorbeeld met enkele losse woorden.')
    return None


@functools.cache
def _breached_passwords() -> frozenset[str]:
    # zxcvbn ships the list (frequency order, lower case); loaded once, on the first password that is checked.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS
    return frozenset(FREQUENCY_LISTS['passwords'])


def check_new_password(password: str, *, username: str = '') -> None:
    """Raise UserError when `password` may not be used."""
    problem = password_problem(password, username=username)
    if problem:
        raise UserError(problem)


def create_user(session: Session, username: str, password: str, *, role: str, organisation: str | None,
                display_name: str | None = None) -> User:
    """Create an account of an existing organisation whose kind fits the role (a beheerder: any kind)."""
    username = username.strip().lower()
    if not username or len(username) > 120:
        raise UserError(_('Geef een gebruikersnaam van 1 tot 120 tekens.'))
    if role not in ROLES:
        raise UserError(_('Onbekende rol "{role}".').format(role=role))
    check_new_password(password, username=username)
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


def find_user(session: Session, username: str) -> User | None:
    """Return the account with this username (as typed: capitals and spaces around it do not count)."""
    return session.scalar(select(User).where(User.username == username.strip().lower()))


@functools.cache
def _dummy_hash() -> str:
    # Hashed once per process with the same method and cost as a real password: see authenticate().
    return generate_password_hash(secrets.token_hex(16))


def authenticate(session: Session, username: str, password: str) -> User | None:
    """Return the active user whose username and password match, else None.

    An unknown username or a disabled account costs the same hash check as a known one, so neither the answer nor
    its time tells which usernames exist.
    """
    user = find_user(session, username)
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    return user


def change_password(session: Session, user: User, new_password: str) -> None:
    """Set a new password that passes the policy and end every login of `user`; flush."""
    check_new_password(new_password, username=user.username)
    user.set_password(new_password)
    user.must_change_password = False
    sessions.end_all(session, user)


def reset_password(session: Session, user: User, new_password: str | None = None) -> str:
    """Give `user` a temporary password (random unless given) and end every login; return it; flush.

    Someone else knows it: it opens only "Mijn account" until the user has chosen their own (ASVS 2.3.1).
    """
    if new_password is None:
        new_password = temporary_password()
    else:
        check_new_password(new_password, username=user.username)
    user.must_change_password = True
    user.set_password(new_password)
    sessions.end_all(session, user)
    return new_password


def temporary_password() -> str:
    """Return a random password of 20 characters that a user gets once and then changes (about 119 bits)."""
    alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789'
    return ''.join(secrets.choice(alphabet) for _i in range(20))


def set_active(session: Session, user: User, active: bool) -> None:
    """Disable or enable an account; disabling ends every login of it at once; flush."""
    user.active = active
    if not active:
        sessions.end_all(session, user)
    session.flush()


def set_role(session: Session, user: User, role: str) -> None:
    """Give `user` another role that fits their organisation; their logins end (what they may see changed)."""
    if role not in ROLES:
        raise UserError(_('Onbekende rol "{role}".').format(role=role))
    kind = ORGANISATION_KIND[role]
    if kind is not None and (user.organisation is None or user.organisation.kind != kind):
        raise UserError(_('De rol {role} past niet bij de organisatie van dit account.').format(role=role))
    if role != user.role:
        user.role = role
        sessions.end_all(session, user)
    session.flush()


def reset_totp(session: Session, user: User) -> None:
    """Forget the second factor and the recovery codes of `user`: the next login enrols again; flush."""
    user.totp_secret = None
    user.totp_last_step = None
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    sessions.end_all(session, user)


def organisation_users(session: Session, organisation_id: int) -> list[User]:
    """Return the accounts of one organisation, by username."""
    return list(session.scalars(select(User).where(User.organisation_id == organisation_id).order_by(User.username)))
