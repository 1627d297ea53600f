"""Rendered documents shared by every web and job worker: rendered once, in a render process, outside any transaction.

The cache lives in the database (table rendered_documents), keyed by documents.cache_key: the case's content, the
template version and the options. A changed case has another key, so a download never gets a stale document. A row
without data marks a render in progress; whoever asks for the same document meanwhile waits for it.
"""
import time
from datetime import date, datetime, timedelta, timezone
from typing import Any

from flask import current_app
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from webapp.caseformat import validate
from webapp.documents import cache_key, get_spec
from webapp.jobs.runner import get_pool
from webapp.models import RenderedDocument


_POLL_SECONDS = 0.05


def get_document(doc: dict[str, Any], kind: str, fmt: str, language: str = 'nl', *, final: bool = False,
                 item: str, background: bool = False) -> bytes:
    """Return document `kind` of `doc` as bytes: from the shared cache, from a render in progress, or rendered now.

    `item` names the record ('case-12'); only the newest render of each of its documents is kept. Raises
    DocumentError (cannot be made) or RenderRefused (past the time or memory limit). `background`: nobody waits for
    this one (a bulk job), so it renders only on CPU time nothing else wants (runner.get_pool).
    """
    get_spec(doc, kind, fmt, language)
    validate(doc)
    today = date.today()
    key = cache_key(doc, kind, fmt, language, final=final, today=today)
    slot = f'{item}/{kind}.{fmt}/{language}/{"final" if final else "concept"}'
    pool = get_pool(current_app.config, background=background)
    if background:
        # Nobody may end up waiting for a render in the idle class: it claims nothing, and is stored once done.
        data = _stored(key)
        if data is None:
            data = pool.render(doc, kind, fmt, language, final=final, today=today)
            _keep(key, slot, data)
        return data
    data = _wait_or_claim(key, slot)
    if data is not None:
        return data
    try:
        data = pool.render(doc, kind, fmt, language, final=final, today=today)
    except BaseException:
        with _new_session() as session, session.begin():
            session.execute(delete(RenderedDocument).where(RenderedDocument.key == key,
                                                            RenderedDocument.data.is_(None)))
        raise
    _keep(key, slot, data)
    return data


def _stored(key: str) -> bytes | None:
    with _new_session() as session:
        return session.scalar(select(RenderedDocument.data).where(RenderedDocument.key == key))


def _keep(key: str, slot: str, data: bytes) -> None:
    # Store the render under its key (filling a claim, or as a new row), and drop the older renders of its slot: they
    # are of an older version of the case, and nobody asks for them again.
    try:
        with _new_session() as session, session.begin():
            filled = session.execute(update(RenderedDocument).where(RenderedDocument.key == key).values(
                data=data, finished_at=_now())).rowcount
            if not filled:
                session.add(RenderedDocument(key=key, item=slot, started_at=_now(), data=data, finished_at=_now()))
                session.flush()
            session.execute(delete(RenderedDocument).where(RenderedDocument.item == slot,
                                                            RenderedDocument.key != key))
    except IntegrityError:
        pass  # another worker stored or claimed the same document a moment earlier: its bytes are the same


def is_cached(doc: dict[str, Any], kind: str, fmt: str, language: str = 'nl', *, final: bool = False) -> bool:
    """Return whether this document is rendered and stored (for the prerender job: nothing to do)."""
    key = cache_key(doc, kind, fmt, language, final=final, today=date.today())
    with _new_session() as session:
        return session.scalar(select(RenderedDocument.key).where(
            RenderedDocument.key == key, RenderedDocument.data.is_not(None))) is not None


def _wait_or_claim(key: str, slot: str) -> bytes | None:
    # Return the stored document, waiting while another worker renders it; or None once this worker has claimed the
    # render. A claim older than the render time limit belonged to a worker that died: it is taken over.
    limit = float(current_app.config.get('RENDER_TIMEOUT', 60))
    deadline = time.monotonic() + limit + 5
    while True:
        with _new_session() as session:
            row = session.get(RenderedDocument, key)
            found = None if row is None else (row.data, row.started_at)
            session.rollback()  # no transaction stays open while this worker waits or renders
            if found is not None and found[0] is not None:
                return found[0]
            now = _now()
            if found is None:
                if _claim_new(session, key, slot, now):
                    return None
            elif _aware(found[1]) < now - timedelta(seconds=limit + 10) or time.monotonic() > deadline:
                with session.begin():
                    taken = session.execute(update(RenderedDocument).where(
                        RenderedDocument.key == key, RenderedDocument.started_at == found[1],
                        RenderedDocument.data.is_(None)).values(started_at=now)).rowcount
                if taken:
                    return None
        time.sleep(_POLL_SECONDS)


def _claim_new(session: Session, key: str, slot: str, now: datetime) -> bool:
    try:
        with session.begin():
            session.add(RenderedDocument(key=key, item=slot, started_at=now))
    except IntegrityError:
        return False  # another worker claimed it a moment earlier: wait for its render
    return True


def _new_session() -> Session:
    # Short sessions of their own: the request's unit of work is not held open while a render runs.
    return current_app.extensions['traject_db']()


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _aware(value: datetime) -> datetime:
    # SQLite hands timezone-aware columns back without their zone; they were written in UTC.
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
