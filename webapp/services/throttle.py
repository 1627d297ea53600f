"""Login throttling per typed username and per address: a growing wait after a few failures, then a lock.

Counted from the LoginAttempt table, so it holds across processes and restarts. An unknown username is throttled
exactly like a known one: the answer never tells which accounts exist. A refused attempt is not recorded, so a lock
runs out LOCK_TIME after the last real failure.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.models import LoginAttempt
from webapp.models.case import delete_before, utcnow


# Failures older than this are forgotten; a successful login forgets a username's failures too.
WINDOW = timedelta(hours=1)
LOCK_TIME = timedelta(minutes=15)
# The longest wait before the lock: about one try a minute, at most 60 an hour (ASVS 2.2.1 allows 100).
MAX_DELAY = timedelta(seconds=64)


@dataclass(frozen=True)
class Limit:
    """How many failures of one key (a username, an address) bring a wait, and how many a lock."""

    delay_after: int
    lock_after: int


# One person mistyping: three tries free, then 1, 2, 4 ... 64 s between tries, locked at the tenth failure.
PER_USERNAME = Limit(delay_after=3, lock_after=10)
# An address may be a whole school behind one router, or one attacker trying many usernames: ten free tries, then
# waits up to a minute, locked at the thirtieth failure.
PER_ADDRESS = Limit(delay_after=10, lock_after=30)


@dataclass(frozen=True)
class Verdict:
    """Whether a login attempt may be tried now; if not, for how long it must wait, and whether that is a lock."""

    wait: timedelta
    locked: bool

    @property
    def allowed(self) -> bool:
        """Return whether the attempt may go ahead."""
        return self.wait <= timedelta(0)


def normalise(username: str) -> str:
    """Return the key a typed username is counted under (as the login compares it)."""
    return (username or '').strip().lower()[:120]


def check(session: Session, username: str, address: str, *, now: datetime | None = None) -> Verdict:
    """Return whether a login for `username` from `address` may be tried now."""
    now = now or utcnow()
    verdicts = [_verdict(*_failures(session, LoginAttempt.username == normalise(username), now), PER_USERNAME, now),
                _verdict(*_failures(session, LoginAttempt.address == address[:64], now, reset_on_success=False),
                         PER_ADDRESS, now)]
    return max(verdicts, key=lambda v: v.wait)


def record(session: Session, username: str, address: str, *, success: bool, now: datetime | None = None) -> bool:
    """Record an attempt; return True when this failure locked the username or the address (to audit); flush."""
    now = now or utcnow()
    session.add(LoginAttempt(username=normalise(username), address=address[:64], success=success, at=now))
    session.flush()
    if success:
        return False
    by_name, _last = _failures(session, LoginAttempt.username == normalise(username), now)
    by_address, _last = _failures(session, LoginAttempt.address == address[:64], now, reset_on_success=False)
    # Attempts during a lock are refused before they get here: past the threshold, every failure starts a new lock.
    return by_name >= PER_USERNAME.lock_after or by_address >= PER_ADDRESS.lock_after


def purge(session: Session, *, now: datetime | None = None) -> None:
    """Delete attempts older than the window: they no longer count; flush."""
    delete_before(session, LoginAttempt.at, (now or utcnow()) - WINDOW)
    session.flush()


def _failures(session: Session, key, now: datetime, *, reset_on_success: bool = True) -> tuple[int, datetime | None]:
    # Failures of this key within the window (after its last success): their number and the latest one's time.
    since = now - WINDOW
    if reset_on_success:
        last_success = session.scalar(select(func.max(LoginAttempt.at)).where(key, LoginAttempt.success.is_(True),
                                                                                LoginAttempt.at > since))
        since = max(since, _aware(last_success)) if last_success else since
    count, last = session.execute(select(func.count(), func.max(LoginAttempt.at)).where(
        key, LoginAttempt.success.is_(False), LoginAttempt.at > since)).one()
    return count, _aware(last) if last else None


def _verdict(failures: int, last: datetime | None, limit: Limit, now: datetime) -> Verdict:
    if last is None or failures < limit.delay_after:
        return Verdict(timedelta(0), False)
    if failures >= limit.lock_after:
        wait = last + LOCK_TIME - now
        return Verdict(wait, wait > timedelta(0))
    # Doubling waits: 1 s after the first failure past the free ones, then 2, 4, 8 ... up to a minute.
    delay = timedelta(seconds=2 ** (failures - limit.delay_after))
    return Verdict(last + min(delay, MAX_DELAY) - now, False)


def _aware(value: datetime) -> datetime:
    # SQLite returns naive datetimes for timezone-aware columns; they were written in UTC.
    return value if value.tzinfo else value.replace(tzinfo=utcnow().tzinfo)
