"""Housekeeping, safe to run from cron or the job worker at any time: each part removes what outlived its period.

Every part runs in its own short transaction (a long one would hold SQLite's write lock while the app serves), and
running it twice removes nothing more the second time.
"""
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.orm import Session

from webapp.models import (Case, Draft, Job, JobFile, LoginAttempt, LoginSession, ParentLink, ParentReply,
                           RenderedDocument)
from webapp.models.case import delete_before, utcnow
from webapp.models.wizard import DRAFT_LIFETIME
from webapp.services import erasure, links, throttle


logger = logging.getLogger(__name__)
# A parents' link row is the evidence of what was shared with whom: kept this long after it expired or was revoked.
LINK_EVIDENCE = timedelta(days=90)
# The ZIP of a finished bulk job can be downloaded for this long; then the job and its files go.
JOB_FILES_KEPT = timedelta(days=7)
# A render claimed but never finished (its worker died) is forgotten after this long.
STALE_RENDER = timedelta(hours=1)
# Login sessions end after 12 hours at the latest (PERMANENT_SESSION_LIFETIME); an idle one is kept until then, so
# that a step posted just after the idle timeout is still kept as a draft for its user (wizard.views.keeps_input).
DEFAULT_SESSION_LIFETIME = timedelta(hours=12)

PARTS = ('drafts', 'parent_links', 'deleted_cases', 'login_attempts', 'login_sessions', 'bulk_jobs',
         'rendered_documents')


def _drafts(session: Session, now: datetime, **_options) -> int:
    return delete_before(session, Draft.updated_at, now - DRAFT_LIFETIME)


def _parent_links(session: Session, now: datetime, **_options) -> int:
    cutoff = now - LINK_EVIDENCE
    old = select(ParentLink.id).where(or_(ParentLink.expires_at < cutoff, ParentLink.revoked_at < cutoff))
    ids = list(session.scalars(old))
    if not ids:
        return 0
    # The replies stay with the case; only the link they came through is forgotten.
    session.execute(update(ParentReply).where(ParentReply.link_id.in_(ids)).values(link_id=None))
    return session.execute(delete(ParentLink).where(ParentLink.id.in_(ids))).rowcount


def _deleted_cases(session: Session, now: datetime, **_options) -> int:
    due = erasure.deleted_due(session, now=now)
    for case in due:
        erasure.erase_case(session, case, actor='maintenance', reason='deleted')
    return len(due)


def _login_attempts(session: Session, now: datetime, **_options) -> int:
    # Failed logins, and failed opens of parents' links (services/links.py): both keep an address, for one window.
    before = session.scalar(select(func.count()).select_from(LoginAttempt))
    throttle.purge(session, now=now)
    return before - session.scalar(select(func.count()).select_from(LoginAttempt)) + links.purge_attempts(session,
                                                                                                           now=now)


def _login_sessions(session: Session, now: datetime, *, session_lifetime: timedelta = DEFAULT_SESSION_LIFETIME,
                    **_options) -> int:
    return delete_before(session, LoginSession.created_at, now - session_lifetime)


def _bulk_jobs(session: Session, now: datetime, **_options) -> int:
    finished = select(Job.id).where(Job.status.in_(('done', 'failed', 'cancelled')),
                                    Job.finished_at < now - JOB_FILES_KEPT)
    ids = list(session.scalars(finished))
    if ids:
        session.execute(delete(JobFile).where(JobFile.job_id.in_(ids)))
        session.execute(delete(Job).where(Job.id.in_(ids)))
    return len(ids)


def _rendered_documents(session: Session, now: datetime, **_options) -> int:
    # The shared cache keeps the newest render of each document of each record (webapp.jobs.renders). Gone from it:
    # renders of cases that were deleted or no longer exist, and claims whose render never finished.
    live = select(Case.id).where(Case.deleted_at.is_(None))
    rows = session.execute(select(RenderedDocument.key, RenderedDocument.item)
                           .where(RenderedDocument.item.like('case-%'))).all()
    live_ids = set(session.scalars(live))
    stale = [key for key, item in rows if _case_of(item) not in live_ids]
    removed = 0
    if stale:
        removed += session.execute(delete(RenderedDocument).where(RenderedDocument.key.in_(stale))).rowcount
    removed += session.execute(delete(RenderedDocument).where(and_(
        RenderedDocument.data.is_(None), RenderedDocument.started_at < now - STALE_RENDER))).rowcount
    return removed


def _case_of(item: str) -> int | None:
    # 'case-12/verslag.pdf/nl/final' -> 12
    head = item.split('/', 1)[0].removeprefix('case-')
    return int(head) if head.isdigit() else None


_RUNNERS: dict[str, Callable[..., int]] = {
    'drafts': _drafts, 'parent_links': _parent_links, 'deleted_cases': _deleted_cases,
    'login_attempts': _login_attempts, 'login_sessions': _login_sessions, 'bulk_jobs': _bulk_jobs,
    'rendered_documents': _rendered_documents,
}


def run(session_factory: Callable[[], Session], *, now: datetime | None = None,
        session_lifetime: timedelta = DEFAULT_SESSION_LIFETIME) -> dict[str, int | None]:
    """Run every part, each in its own transaction; return how many rows (cases, jobs) each part removed.

    A part that fails is logged and rolled back (None in the result); the others still run.
    """
    now = now or utcnow()
    removed: dict[str, int | None] = {}
    for part in PARTS:
        with session_factory() as session:
            try:
                removed[part] = _RUNNERS[part](session, now, session_lifetime=session_lifetime)
                session.commit()
            except Exception:  # noqa: BLE001 - logged; the next part and the next run go on
                session.rollback()
                logger.exception('Maintenance part %s failed', part)
                removed[part] = None
    return removed
