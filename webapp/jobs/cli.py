"""Operators' commands: `traject bulk`, `traject worker`, `traject backup` and `traject restore`."""
import shutil
import sqlite3
import subprocess
import threading
import time
from contextlib import closing
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.engine import make_url

from webapp import db
from webapp.access import operator_cases
from webapp.cli import InputError, fails_cleanly
from webapp.jobs import bulk
from webapp.models import Organisation


def find_organisation(session, kind: str, ident: str) -> Organisation:
    """Find a school or CLB by its instellingsnummer or by its name (case and spacing ignored)."""
    name = ' '.join(ident.lower().split())
    found = session.scalars(select(Organisation).where(Organisation.kind == kind, or_(
        Organisation.instellingsnummer == ident.strip(), func.lower(Organisation.naam) == name))).all()
    if len(found) != 1:
        raise InputError(_('Geen {kind} gevonden met nummer of naam "{ident}".').format(kind=kind, ident=ident)
                         if not found else _('Meer dan één {kind} heet "{ident}": geef het instellingsnummer.')
                         .format(kind=kind, ident=ident))
    return found[0]


@click.command('bulk')
@click.option('--school', help='Instellingsnummer of naam van de school.')
@click.option('--clb', help='Instellingsnummer of naam van het CLB (in plaats van --school).')
@click.option('--schooljaar', required=True, help='Bijvoorbeeld 2025-2026.')
@click.option('-o', '--output', required=True, type=click.Path(dir_okay=False), help='Het ZIP-bestand.')
@with_appcontext
@fails_cleanly
def bulk_command(school: str | None, clb: str | None, schooljaar: str, output: str) -> None:
    """Write every document of a school (or a CLB) for a school year as one ZIP, with a progress bar."""
    if bool(school) == bool(clb):
        raise click.UsageError(_('Geef --school of --clb (één van beide).'))
    if len(schooljaar) != 9 or bulk.school_year(bulk_date(schooljaar)) != schooljaar:
        raise InputError(_('{value} is geen geldig schooljaar (JJJJ-JJJJ)').format(value=schooljaar))
    db.upgrade()
    session = db.session()
    organisation = find_organisation(session, 'school' if school else 'clb', school or clb)
    # The command line is the installation's own: every case of the organisation.
    job = bulk.create_job(session, bulk.plan(session, operator_cases(), organisation, schooljaar), actor='cli',
                          user_id=None)
    session.commit()
    with click.progressbar(length=bulk.count_entries(session, job.params), label=_('Documenten'),
                           show_pos=True) as bar:
        job = bulk.run(session, job.id, progress=lambda done, total: bar.update(done - bar.pos))
    with open(output, 'wb') as out:
        count = bulk.write_zip(session, job, out)
    if job.message:
        click.echo(job.message + ' ' + _('Zie {name} in de ZIP.').format(name=bulk.NOT_MADE + '/'), err=True)
    click.echo(_('{n} bestand(en) geschreven naar {path}.').format(n=count, path=output))


def bulk_date(schooljaar: str):
    """Return 1 September of the first year of `schooljaar` (or raise InputError)."""
    from datetime import date
    try:
        return date(int(schooljaar[:4]), 9, 1)
    except ValueError:
        raise InputError(_('{value} is geen geldig schooljaar (JJJJ-JJJJ)').format(value=schooljaar))


@click.command('worker')
@click.option('--burst', is_flag=True, help='Stop zodra de wachtrij leeg is.')
@click.option('--queue', 'queues', multiple=True, type=click.Choice(['default', 'bulk']),
              help='Alleen deze wachtrij(en): default (documenten vooraf, versies, onderhoud) of bulk (ZIP\'s). '
                   'Standaard beide, default eerst.')
@with_appcontext
def worker_command(burst: bool, queues: tuple[str, ...]) -> None:
    """Run background jobs from Redis (REDIS_URL): prerenders and bulk ZIPs; resumes jobs of workers that died.

    `make serve` gives each queue workers of its own, so that a document just saved never waits behind a bulk job.
    """
    from redis import Redis
    from rq import SimpleWorker

    from webapp.jobs.queue import QUEUES
    from webapp.jobs.runner import warm_up_in_background
    from webapp.jobs.tasks import resume_stale_jobs
    url = current_app.config.get('REDIS_URL')
    if not url:
        raise click.UsageError(_('Zet REDIS_URL: zonder Redis lopen de taken in de app zelf.'))
    db.upgrade()
    resume_stale_jobs()
    app = current_app._get_current_object()
    interval = bulk.stale_after().total_seconds() / 3
    # Housekeeping at the start and then every MAINTENANCE_EVERY seconds (an hour): cron is not needed beside it.
    every = float(app.config.get('MAINTENANCE_EVERY') or 3600)
    _maintain(app)

    def watch() -> None:
        # A worker that dies leaves its job 'running'; any living worker queues it again once it is stale.
        next_maintenance = time.monotonic() + every
        while True:
            time.sleep(min(interval, every))
            with app.app_context():
                try:
                    resume_stale_jobs()
                except Exception:  # noqa: BLE001 - logged; the next round tries again
                    app.logger.exception('Checking for stale jobs failed')
            if time.monotonic() >= next_maintenance:
                next_maintenance = time.monotonic() + every
                _maintain(app)

    threading.Thread(target=watch, name='traject-stale-jobs', daemon=True).start()
    # SimpleWorker runs each job in this process: the render processes and their warm fonts serve job after job.
    if not burst:  # a worker that serves on starts its render process warm: the first document is as quick as the next
        warm_up_in_background(app.config, background=queues == ('bulk',))
    names = [name for key, name in QUEUES.items() if not queues or key in queues]
    SimpleWorker(names, connection=Redis.from_url(url)).work(burst=burst, logging_level='WARNING')


def _maintain(app) -> None:
    # Never stops the worker: a failed round is logged, and the next one tries again.
    from webapp.jobs.tasks import maintenance
    with app.app_context():
        try:
            maintenance()
        except Exception:  # noqa: BLE001 - logged; the next round tries again
            app.logger.exception('Maintenance failed')


@click.command('backup')
@click.option('-o', '--output', required=True, type=click.Path(dir_okay=False), help='Het back-upbestand.')
@with_appcontext
@fails_cleanly
def backup_command(output: str) -> None:
    """Copy the database to FILE while the app runs (SQLite's online backup, or pg_dump for PostgreSQL)."""
    url = make_url(current_app.config['DATABASE_URL'])
    if url.get_backend_name() == 'sqlite':
        Path(output).unlink(missing_ok=True)
        with closing(sqlite3.connect(url.database)) as source, closing(sqlite3.connect(output)) as target:
            source.backup(target)
    else:
        _run_pg('pg_dump', '--format=custom', '--no-owner', '--file', output, _libpq_url(url))
    Path(output).chmod(0o600)  # it holds every case
    click.echo(_('Back-up geschreven naar {path}.').format(path=output))


@click.command('restore')
@click.argument('file', type=click.Path(exists=True, dir_okay=False))
@click.option('--yes', is_flag=True, help='Niet om bevestiging vragen.')
@with_appcontext
@fails_cleanly
def restore_command(file: str, yes: bool) -> None:
    """Replace the whole database by a backup made with `traject backup`."""
    url = make_url(current_app.config['DATABASE_URL'])
    if not yes:
        click.confirm(_('Alles in de databank wordt vervangen door de back-up. Doorgaan?'), abort=True)
    if url.get_backend_name() == 'sqlite':
        with closing(sqlite3.connect(f'file:{file}?mode=ro', uri=True)) as source:
            try:
                is_backup = source.execute("SELECT count(*) FROM sqlite_master WHERE name = 'alembic_version'"
                                           ).fetchone()[0] == 1
            except sqlite3.DatabaseError:
                is_backup = False  # not an SQLite file at all
            if not is_backup:
                raise InputError(_('{file} is geen back-up van Traject.').format(file=file))
            with closing(sqlite3.connect(url.database)) as target:
                source.backup(target)
    else:
        _run_pg('pg_restore', '--clean', '--if-exists', '--no-owner', '--single-transaction', '--exit-on-error',
                '--dbname', _libpq_url(url), file)
    db.upgrade()  # a backup of an older version gets the newer schema
    click.echo(_('Databank hersteld uit {path}.').format(path=file))


def _libpq_url(url) -> str:
    return url.set(drivername='postgresql').render_as_string(hide_password=False)


def _run_pg(tool: str, *args: str) -> None:
    # The client tools of the newest PostgreSQL installed (Debian keeps them per version, pg_dump must be as new
    # as the server).
    found = sorted(Path('/usr/lib/postgresql').glob(f'*/bin/{tool}'), key=lambda p: int(p.parts[4]))
    program = str(found[-1]) if found else shutil.which(tool)
    if program is None:
        raise InputError(_('{tool} ontbreekt: installeer de PostgreSQL-clienttools.').format(tool=tool))
    result = subprocess.run([program, *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise InputError(_('{tool} mislukte: {reason}').format(tool=tool, reason=result.stderr.strip()[-500:]))


COMMANDS = (bulk_command, worker_command, backup_command, restore_command)
