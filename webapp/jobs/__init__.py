"""Background work for a whole CLB: the job queue, documents rendered before they are asked for, bulk ZIPs.

`init_app` wires it into the app: the queue (RQ on Redis, or a worker thread), the bulk page and /healthz, and a
hook that queues the renders of a case's documents whenever a change to the case is committed.
"""
import os
import time

from flask import Flask
from sqlalchemy import event

from webapp.jobs.queue import JobQueue


def init_app(app: Flask) -> None:
    """Install the job queue, the prerender hook, the blueprint and the CLI commands."""
    from webapp.jobs import cli, views
    app.config.setdefault('REDIS_URL', os.environ.get('REDIS_URL') or None)
    app.config.setdefault('RENDER_TIMEOUT', float(os.environ.get('TRAJECT_RENDER_TIMEOUT', 60)))
    app.config.setdefault('RENDER_MEMORY_MB', int(os.environ.get('TRAJECT_RENDER_MEMORY_MB', 1024)))
    # A bulk job is cut in this many parts, one per bulk worker (make serve starts one per core).
    app.config.setdefault('BULK_PARTS', int(os.environ.get('TRAJECT_BULK_WORKERS') or os.environ.get(
        'TRAJECT_JOB_WORKERS') or os.cpu_count() or 1))
    app.config.setdefault('RENDER_PROCESSES', int(os.environ.get('TRAJECT_RENDER_PROCESSES', 1)))
    app.config.setdefault('RENDER_NICE', int(os.environ.get('TRAJECT_RENDER_NICE', 10)))
    # Tests render on demand, unless a test asks for the background renders.
    app.config.setdefault('PRERENDER', not app.testing)
    if os.environ.get('TRAJECT_JOB_STALE_SECONDS'):  # default (bulk.stale_after): the render time limit plus 30 s
        app.config.setdefault('JOB_STALE_SECONDS', float(os.environ['TRAJECT_JOB_STALE_SECONDS']))
    proxies = int(os.environ.get('TRAJECT_PROXY_COUNT', 0))
    if proxies:
        # Behind that many reverse proxies: the client's address, scheme and host come from X-Forwarded-*.
        from werkzeug.middleware.proxy_fix import ProxyFix
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    # Housekeeping (webapp.services.maintenance) every this many seconds: by `traject worker` with Redis, else by the
    # app's own worker thread. 0 turns it off (cron runs `traject maintenance` instead); tests run it themselves.
    app.config.setdefault('MAINTENANCE_EVERY', float(os.environ.get('TRAJECT_MAINTENANCE_SECONDS',
                                                                    0 if app.testing else 3600)))
    app.extensions['traject_jobs'] = JobQueue(app)
    _queue_prerenders(app)
    _schedule_maintenance(app)
    app.register_blueprint(views.bp)
    for command in cli.COMMANDS:
        app.cli.add_command(command)


def only_prerender(session, case_id: int, kinds: tuple[str, ...]) -> None:
    """Say which documents a change of case `case_id` in this transaction affects (default: every one that applies).

    A wizard step names the document it feeds; after its save only that one is rendered ahead, so the cores go to the
    document the worker is looking at, not to every document of the case at every keystroke-sized change.
    """
    session.info.setdefault('prerender_kinds', {})[case_id] = tuple(kinds)


def _queue_prerenders(app: Flask) -> None:
    # Which cases a transaction changed, and after it committed, a prerender job for each (one waiting job per case
    # and set of documents).
    from webapp.models import Case
    factory = app.extensions['traject_db']

    @event.listens_for(factory, 'after_flush')
    def _remember(session, _context):
        if app.config['PRERENDER']:
            changed = session.info.setdefault('changed_cases', set())
            changed.update(obj.id for obj in (*session.new, *session.dirty) if isinstance(obj, Case))

    @event.listens_for(factory, 'after_commit')
    def _enqueue(session):
        kinds = session.info.pop('prerender_kinds', {})
        for case_id in sorted(session.info.pop('changed_cases', ())):
            only = kinds.get(case_id)
            if only == ():
                continue  # a change no document shows
            suffix = '' if only is None else '-' + '-'.join(only)
            app.extensions['traject_jobs'].enqueue('prerender', case_id, list(only) if only else None,
                                                   job_id=f'prerender-{case_id}{suffix}')

    @event.listens_for(factory, 'after_rollback')
    def _forget(session):
        session.info.pop('changed_cases', None)
        session.info.pop('prerender_kinds', None)


def _schedule_maintenance(app: Flask) -> None:
    # Without Redis there is no `traject worker`: the first request after the start, and then the first one after
    # every period, queue the housekeeping on the app's worker thread (no work at startup, none inside a request).
    every = app.config['MAINTENANCE_EVERY']
    if not every or app.config.get('REDIS_URL'):
        return
    due = {'at': 0.0}

    @app.before_request
    def _queue_maintenance():
        now = time.monotonic()
        if now >= due['at']:
            due['at'] = now + every
            app.extensions['traject_jobs'].enqueue('maintenance', job_id='maintenance')
