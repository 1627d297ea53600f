"""Bulk: every document of a school (or a CLB) for a school year, as one ZIP.

A job is planned once (which records, in which order), then run file by file. Each file is stored as soon as it is
rendered, under a name unique within the job, so a job that a dying worker leaves behind is resumed where it stopped:
the ZIP is complete and holds no file twice.
"""
import io
import logging
import os
import socket
import zipfile
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta, timezone
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from werkzeug.utils import secure_filename

from webapp.caseformat import CaseFormatError
from webapp.documents import DOCUMENTS, DocumentError, kinds_for
from webapp.jobs.renders import get_document
from webapp.jobs.runner import RenderRefused
from webapp.models import Case, Job, JobFile, Organisation, Samenwerking
from webapp.services import versions
from webapp.services.cases import export_document


logger = logging.getLogger(__name__)
BULK_FORMAT = 'pdf'
NOT_MADE = 'niet-gemaakt'  # the folder of the ZIP that says which documents could not be made, and why


def school_year(day: date) -> str:
    """Return the Flemish school year (1 September to 31 August) that `day` falls in, as '2025-2026'."""
    start = day.year if day.month >= 9 else day.year - 1
    return f'{start}-{start + 1}'


def case_school_year(case: Case) -> str:
    """Return the school year a case counts for: that of its verslag, else of its aanmelding, else of its creation."""
    doc = case.data or {}
    for value in ((doc.get('verslag') or {}).get('datum'), (doc.get('traject') or {}).get('aanmeldingsdatum')):
        try:
            return school_year(date.fromisoformat(value))
        except (TypeError, ValueError):
            continue
    return school_year(case.created_at.date())


def plan(session: Session, cases_query, organisation: Organisation, schooljaar: str,
         audiences: list[str] | None = None) -> dict[str, Any]:
    """Return the params of a bulk job: the cases (of `cases_query`) and samenwerkingen of `organisation` in a year.

    `audiences`: only documents written for these readers (None: every document, for the command line).
    """
    cases = session.scalars(cases_query.where(or_(Case.school_id == organisation.id, Case.clb_id == organisation.id))
                            .order_by(Case.id)).all()
    samenwerkingen = session.scalars(select(Samenwerking.id).where(
        or_(Samenwerking.school_id == organisation.id, Samenwerking.clb_id == organisation.id),
        Samenwerking.schooljaar == schooljaar).order_by(Samenwerking.id)).all()
    return {'organisation_id': organisation.id, 'organisation': organisation.naam, 'schooljaar': schooljaar,
            'case_ids': [c.id for c in cases if case_school_year(c) == schooljaar],
            'samenwerking_ids': list(samenwerkingen), 'audiences': audiences}


def create_job(session: Session, params: dict[str, Any], *, actor: str, user_id: int | None) -> Job:
    """Add a queued bulk job; flush, do not commit."""
    job = Job(kind='bulk', status='queued', params=params, actor=actor, user_id=user_id, total=0, done=0)
    session.add(job)
    session.flush()
    return job


def _entries(session: Session, params: dict[str, Any]) -> Iterator[tuple[str, str, Case | Samenwerking, str]]:
    # (file name, item name, record, kind) in a fixed order; names are unique: they carry the record's number.
    # A case deleted after the job was planned is left out (its documents must not leave Traject any more).
    for case in session.scalars(select(Case).where(Case.id.in_(params['case_ids']), Case.deleted_at.is_(None))
                                .order_by(Case.id)):
        folder = secure_filename(f'{case.leerling_achternaam}-{case.leerling_voornaam}-{case.id}'.lower())
        for kind in kinds_for(case.data):
            if params.get('audiences') is not None and DOCUMENTS[kind].audience not in params['audiences']:
                continue
            yield f'{folder}/{kind}.{BULK_FORMAT}', f'case-{case.id}', case, kind
    for item in session.scalars(select(Samenwerking).where(Samenwerking.id.in_(params['samenwerking_ids']))
                                .order_by(Samenwerking.id)):
        yield (f'samenwerking-{item.id}-{item.schooljaar}/samenwerkingsafspraken.{BULK_FORMAT}',
               f'samenwerking-{item.id}', item, 'samenwerkingsafspraken')


def count_entries(session: Session, params: dict[str, Any]) -> int:
    """Return how many files the job makes."""
    return sum(1 for _ in _entries(session, params))


def worker_name() -> str:
    """Return this process's name in jobs.worker: host and process id."""
    return f'{socket.gethostname()}:{os.getpid()}'


def stale_after() -> timedelta:
    """Return how long a running job may go without a heartbeat before another worker takes it over."""
    default = float(current_app.config.get('RENDER_TIMEOUT', 60)) + 30
    return timedelta(seconds=float(current_app.config.get('JOB_STALE_SECONDS', default)))


def is_stale(job: Job) -> bool:
    """Return whether `job` is unfinished and nobody works on it any more (its worker died or never started)."""
    if job.status not in ('queued', 'running'):
        return False
    last = job.heartbeat_at or job.created_at
    last = last if last.tzinfo else last.replace(tzinfo=timezone.utc)
    if datetime.now(timezone.utc) - last > stale_after():
        return True
    host, _sep, pid = (job.worker or '').rpartition(':')
    # A worker on this machine that no longer exists is known dead at once, without waiting for the heartbeat.
    return job.status == 'running' and host == socket.gethostname() and pid.isdigit() and not _alive(int(pid))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def run(session: Session, job_id: int, progress: Callable[[int, int], None] | None = None, *, part: int = 0,
        parts: int = 1, limit: int | None = None) -> Job | None:
    """Render the files of bulk job `job_id` that are not stored yet, committing after each; workers may share a job.

    Worker `part` of `parts` starts with every parts-th file from its own offset, then helps with whatever is still
    missing, so two workers come close to twice the speed and one that dies leaves nothing undone. A file another
    worker stored meanwhile is skipped; a race on the same file keeps one copy. A document that cannot be made gets
    a note under niet-gemaakt/ instead, so every entry ends with exactly one file. Cancelled or finished: untouched.
    With `limit`, at most that many files are rendered in this call (the job stays 'running' if more are left).
    """
    job = session.get(Job, job_id)
    if job is None or job.status in ('done', 'failed', 'cancelled'):
        return job
    job.status, job.worker, job.heartbeat_at = 'running', worker_name(), datetime.now(timezone.utc)
    entries = list(_entries(session, job.params))
    job.total = len(entries)
    session.commit()
    order = entries[part::parts] + [entry for i, entry in enumerate(entries) if i % parts != part]
    stored = set(session.scalars(select(JobFile.name).where(JobFile.job_id == job.id)))  # names only, one query
    for name, item, record, kind in order:
        if name in stored or problem_name(name) in stored or _has_file(session, job.id, name):
            continue  # stored before this call, or by another worker since
        if limit is not None:
            if limit == 0:
                return job
            limit -= 1
        session.refresh(job)
        if job.status == 'cancelled':
            return job
        doc = export_document(record)
        # A final record's document is its latest version's, as stored (the same bytes as its own download).
        version = versions.latest_version(session, record) if record.is_final else None
        session.commit()  # no transaction stays open during the render (the version's attributes stay loaded)
        try:
            data = versions.version_document(session, version, kind, BULK_FORMAT, 'nl') if version is not None \
                else get_document(doc, kind, BULK_FORMAT, 'nl', final=record.is_final, item=item, background=True)
        except (CaseFormatError, DocumentError, RenderRefused) as exc:
            name, data = problem_name(name), f'{name}: {exc}\n'.encode()
        _store(session, job, name, data)
        job.done = _count_files(session, job.id)
        job.heartbeat_at, job.worker = datetime.now(timezone.utc), worker_name()
        session.commit()
        if progress:
            progress(job.done, job.total)
    session.refresh(job)
    if job.status == 'running' and _count_files(session, job.id) >= job.total:
        problems = session.scalar(select(func.count()).select_from(JobFile).where(
            JobFile.job_id == job.id, JobFile.name.like(f'{NOT_MADE}/%')))
        job.status, job.finished_at, job.done = 'done', datetime.now(timezone.utc), job.total
        job.message = _('{n} document(en) konden niet gemaakt worden.').format(n=problems) if problems else None
        session.commit()
    return job


def problem_name(name: str) -> str:
    """Return the name of the note that takes the place of a document that could not be made."""
    return f'{NOT_MADE}/{name}.txt'


def _has_file(session: Session, job_id: int, name: str) -> bool:
    found = session.scalar(select(JobFile.id).where(JobFile.job_id == job_id,
                                                    JobFile.name.in_((name, problem_name(name)))).limit(1))
    return found is not None


def _count_files(session: Session, job_id: int) -> int:
    return session.scalar(select(func.count()).select_from(JobFile).where(JobFile.job_id == job_id))


def _store(session: Session, job: Job, name: str, data: bytes) -> bool:
    # Another worker may have stored the same file meanwhile (a job resumed twice): the unique name keeps one.
    session.add(JobFile(job_id=job.id, name=name, data=data))
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return False
    return True


def write_zip(session: Session, job: Job, out) -> int:
    """Write the job's files as a ZIP to the binary file `out`; return the number of files."""
    count = session.scalar(select(func.count()).select_from(JobFile).where(JobFile.job_id == job.id))
    for chunk in iter_zip(session, job.id):
        out.write(chunk)
    return count


def iter_zip(session: Session, job_id: int) -> Iterator[bytes]:
    """Yield the ZIP of a job's files piece by piece, one file at a time: a big ZIP never sits in memory whole."""
    names = session.scalars(select(JobFile.name).where(JobFile.job_id == job_id).order_by(JobFile.name)).all()
    sink = _Chunks()
    with zipfile.ZipFile(sink, 'w', compression=zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            archive.writestr(name, session.scalar(select(JobFile.data).where(JobFile.job_id == job_id,
                                                                            JobFile.name == name)))
            session.rollback()  # no read transaction stays open while the client downloads
            yield sink.take()
    yield sink.take()


class _Chunks(io.RawIOBase):
    """A write-only stream that hands over what was written so far (zipfile writes a streamable ZIP into it)."""

    def __init__(self):
        super().__init__()
        self._chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        """Return and forget what was written since the last call."""
        out = b''.join(self._chunks)
        self._chunks.clear()
        return out


def zip_bytes(session: Session, job: Job) -> bytes:
    """Return the job's ZIP as bytes (tests and the command line)."""
    return b''.join(iter_zip(session, job.id))
