"""The background tasks, run by `traject worker` (RQ) or by the app's own worker thread, inside an app context."""
import logging
from datetime import datetime, timezone

from flask import current_app
from sqlalchemy import select

from webapp import db
from webapp.caseformat import CaseFormatError
from webapp.documents import DocumentError, kinds_for
from webapp.jobs import bulk
from webapp.jobs.renders import get_document, is_cached
from webapp.jobs.runner import RenderRefused
from webapp.models import Case, Job, Version
from webapp.services import versions
from webapp.services.cases import export_document


logger = logging.getLogger(__name__)


def prerender(case_id: int, kinds: list[str] | None = None) -> None:
    """Render the documents of a case (`kinds`, default every one that applies) that are not in the shared cache
    yet, so the next download is instant."""
    session = db.session()
    case = session.get(Case, case_id)
    if case is None or case.deleted_at is not None:
        return
    if case.is_final and versions.latest_version(session, case) is not None:
        session.rollback()
        return  # its documents are its version's, stored once by render_version: nothing to render live
    doc, final = export_document(case), case.is_final
    session.rollback()
    for kind in kinds_for(doc):
        if kinds is not None and kind not in kinds:
            continue
        for fmt in current_app.config.get('PRERENDER_FORMATS', ('pdf',)):
            if is_cached(doc, kind, fmt, final=final):
                continue
            try:
                get_document(doc, kind, fmt, final=final, item=f'case-{case_id}')
            except (CaseFormatError, DocumentError, RenderRefused) as exc:
                # A case still being filled in cannot be rendered yet: the download says why to whoever asks.
                logger.info('Prerender of case %s %s.%s skipped: %s', case_id, kind, fmt, type(exc).__name__)


def render_version(version_id: int) -> None:
    """Render and store every document of a frozen version just after finalising, so its downloads are instant."""
    session = db.session()
    version = session.get(Version, version_id)
    if version is None:
        return
    session.commit()  # no transaction stays open during the renders (the version's attributes stay loaded)
    for kind, fmt, language, digest in versions.render_all(session, version):
        logger.info('Version %s: %s.%s (%s) %s', version_id, kind, fmt, language, digest or 'not rendered')


def run_bulk(job_id: int, part: int = 0, parts: int = 1) -> None:
    """Run (or resume) a slice of bulk job `job_id` as worker `part` of `parts` (bulk.run), then queue the next one.

    In slices of BULK_SLICE documents (default 4, about a second of rendering): between two slices a worker takes the
    waiting prerenders first, so the document of a case just saved is ready within seconds while a bulk job of
    hundreds of cases runs.
    """
    from webapp.jobs.queue import get_queue
    job = bulk.run(db.session(), job_id, part=part, parts=parts, limit=int(current_app.config.get('BULK_SLICE', 4)))
    if job is not None and job.status == 'running':
        get_queue().enqueue('run_bulk', job_id, part, parts, queue='bulk')


def start_bulk(job_id: int) -> None:
    """Queue a bulk job in BULK_PARTS parts, one per job worker, so that the workers share it."""
    from webapp.jobs.queue import get_queue
    parts = int(current_app.config.get('BULK_PARTS', 2))
    for part in range(parts):
        if get_queue().enqueue('run_bulk', job_id, part, parts, queue='bulk') == 'thread':
            break  # one thread does the whole job


def resume_stale_jobs() -> list[int]:
    """Queue again every bulk job whose worker died; return their ids."""
    from webapp.jobs.queue import get_queue
    session = db.session()
    jobs = session.scalars(select(Job).where(Job.kind == 'bulk', Job.status.in_(('queued', 'running')))).all()
    stale = [job for job in jobs if bulk.is_stale(job)]
    for job in stale:
        # Fresh again for one period: the checks that follow before a worker takes it do not queue it twice.
        job.status, job.worker, job.heartbeat_at = 'queued', None, datetime.now(timezone.utc)
    session.commit()
    for job in stale:
        logger.warning('Resuming bulk job %s: its worker stopped', job.id)
        get_queue().enqueue('run_bulk', job.id, queue='bulk')
    return [job.id for job in stale]


def maintenance() -> dict[str, int | None]:
    """Remove what outlived its period (webapp.services.maintenance); log and return what each part removed."""
    from webapp.services.maintenance import run
    removed = run(current_app.extensions['traject_db'],
                  session_lifetime=current_app.config['PERMANENT_SESSION_LIFETIME'])
    logger.info('Maintenance removed %s', ', '.join(f'{part}={n}' for part, n in removed.items()))
    return removed
