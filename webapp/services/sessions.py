"""Server-side login sessions: the cookie holds a random token, the database its hash and when it was last used.

Deleting a row ends that login at the next request: logout, a password change, a role or organisation change and
disabling an account all do so. A session unused for the idle timeout, or older than its absolute lifetime, is over.
"""
import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from webapp.models import LoginSession, User
from webapp.models.case import delete_before, utcnow


# Writing last_seen_at on every request would take the write lock for every page; once a minute is precise enough.
TOUCH_EVERY = timedelta(seconds=60)


def token_hash(token: str) -> str:
    """Return the stored form of a session token."""
    return hashlib.sha256(token.encode()).hexdigest()


def start(session: Session, user: User, *, mfa_passed: bool) -> str:
    """Open a login for `user` and return the token for the cookie; flush."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(LoginSession(token_hash=token_hash(token), user_id=user.id, created_at=now, last_seen_at=now,
                             mfa_passed=mfa_passed))
    session.flush()
    return token


def find(session: Session, token: str | None) -> LoginSession | None:
    """Return the login of this token, whether still valid or not."""
    if not token or not isinstance(token, str):
        return None
    return session.get(LoginSession, token_hash(token))


def state(login: LoginSession, *, idle: timedelta, lifetime: timedelta, now: datetime | None = None) -> str:
    """Return 'active', 'idle' (unused too long: the user is known, the login is over) or 'expired'."""
    now = now or utcnow()
    created, seen = _aware(login.created_at), _aware(login.last_seen_at)
    if now - created > lifetime:
        return 'expired'
    if now - seen > idle:
        return 'idle'
    return 'active'


def touch(session: Session, login: LoginSession, *, force: bool = False) -> bool:
    """Record that the login was used now (at most once a minute unless forced); return whether it wrote."""
    now = utcnow()
    if not force and now - _aware(login.last_seen_at) < TOUCH_EVERY:
        return False
    login.last_seen_at = now
    session.flush()
    return True


def end(session: Session, login: LoginSession) -> None:
    """End one login; flush."""
    session.delete(login)
    session.flush()


def end_all(session: Session, user: User) -> None:
    """End every login of `user` (password, role or organisation changed, account disabled); flush."""
    session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
    session.flush()


def purge(session: Session, *, lifetime: timedelta) -> None:
    """Delete logins past their absolute lifetime; flush."""
    delete_before(session, LoginSession.created_at, utcnow() - lifetime)
    session.flush()


def active_count(session: Session, user: User) -> int:
    """Return how many logins of `user` exist (for tests and the account page)."""
    return len(session.scalars(select(LoginSession).where(LoginSession.user_id == user.id)).all())


def _aware(value: datetime) -> datetime:
    # SQLite returns naive datetimes for timezone-aware columns; they were written in UTC.
    return value if value.tzinfo else value.replace(tzinfo=utcnow().tzinfo)


__all__ = ['active_count', 'end', 'end_all', 'find', 'purge', 'start', 'state', 'token_hash', 'touch']
