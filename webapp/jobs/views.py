"""The bulk page (start a ZIP of a school's or CLB's documents, follow it, cancel it, download it) and /healthz."""
from datetime import date

from flask import Blueprint, Response, abort, current_app, flash, jsonify, redirect, render_template, request, \
    url_for
from flask_babel import gettext as _
from sqlalchemy import select, text

from webapp import db
from webapp.auth import current_user, login_required
from webapp.jobs import bulk
from webapp.jobs.access import bulk_audiences, bulk_cases, bulk_organisations, can_see_job
from webapp.jobs.queue import get_queue
from webapp.jobs import tasks
from webapp.models import Job
from webapp.services import audit


bp = Blueprint('jobs', __name__)


def school_years(today: date | None = None) -> list[str]:
    """Return the current school year and the four before it, newest first."""
    start = int(bulk.school_year(today or date.today())[:4])
    return [f'{year}-{year + 1}' for year in range(start, start - 5, -1)]


def get_job_or_404(job_id: int) -> Job:
    """Return the job if the user may see it; otherwise 404."""
    job = db.session().get(Job, job_id)
    if job is None or job.kind != 'bulk' or not can_see_job(current_user(), job):
        abort(404)
    return job


@bp.route('/bulk', methods=['GET', 'POST'])
@login_required
def start_bulk():
    """Ask for every document of a school or CLB for a school year as one ZIP."""
    user = current_user()
    session = db.session()
    organisations = session.scalars(bulk_organisations(user)).all()
    years = school_years()
    if request.method == 'POST':
        chosen = next((o for o in organisations if str(o.id) == request.form.get('organisatie')), None)
        year = request.form.get('schooljaar')
        if chosen is None or year not in years:
            flash(_('Kies een school of CLB en een schooljaar uit de lijst.'), 'error')
            return render_template('jobs/bulk.html', organisations=organisations, years=years, jobs=[]), 422
        params = bulk.plan(session, bulk_cases(user), chosen, year, bulk_audiences(user))
        job = bulk.create_job(session, params, actor=user.username, user_id=user.id)
        job.total = bulk.count_entries(session, params)
        audit.record(session, 'bulk', actor=user.username, user_id=user.id,
                     detail={'job': job.id, 'organisation': chosen.id, 'schooljaar': year})
        session.commit()
        tasks.start_bulk(job.id)
        return redirect(url_for('jobs.show_bulk', job_id=job.id))
    jobs = session.scalars(select(Job).where(Job.kind == 'bulk', Job.user_id == user.id)
                           .order_by(Job.id.desc()).limit(10)).all()
    return render_template('jobs/bulk.html', organisations=organisations, years=years, jobs=jobs)


@bp.route('/bulk/<int:job_id>')
@login_required
def show_bulk(job_id: int):
    """Show a bulk job: a progress bar that fills while it runs, a cancel button, and the download when done."""
    job = get_job_or_404(job_id)
    if bulk.is_stale(job):
        from webapp.jobs.tasks import resume_stale_jobs
        resume_stale_jobs()
        db.session().refresh(job)
    return render_template('jobs/job.html', job=job)


@bp.route('/bulk/<int:job_id>/status.json')
@login_required
def bulk_status(job_id: int):
    """Return the progress of a bulk job as JSON."""
    job = get_job_or_404(job_id)
    return jsonify(status=job.status, done=job.done, total=job.total, message=job.message)


@bp.route('/bulk/<int:job_id>/cancel', methods=['POST'])
@login_required
def cancel_bulk(job_id: int):
    """Stop a bulk job; the worker notices before its next document."""
    job = get_job_or_404(job_id)
    if job.status in ('queued', 'running'):
        job.status = 'cancelled'
        db.session().commit()
        flash(_('De bundel is geannuleerd.'), 'success')
    return redirect(url_for('jobs.show_bulk', job_id=job.id))


@bp.route('/bulk/<int:job_id>/download')
@login_required
def download_bulk(job_id: int):
    """Download the ZIP of a finished bulk job."""
    job = get_job_or_404(job_id)
    if job.status != 'done':
        abort(404)
    user = current_user()
    session = db.session()
    audit.record(session, 'download', actor=user.username, user_id=user.id, kind='bulk', detail={'job': job.id})
    session.commit()
    factory, job_id = current_app.extensions['traject_db'], job.id

    def stream():
        # Its own session: the request's is closed before the client has the whole ZIP.
        with factory() as own:
            yield from bulk.iter_zip(own, job_id)

    name = _zip_name(f"documenten-{job.params['organisation']}-{job.params['schooljaar']}.zip")
    return Response(stream(), mimetype='application/zip',
                    headers={'Content-Disposition': f'attachment; filename="{name}"'})


def _zip_name(name: str) -> str:
    from werkzeug.utils import secure_filename
    return secure_filename(name.lower().replace(' ', '-'))


@bp.route('/healthz')
def healthz():
    """Report the database, the queue and the renderer: 200 while the app can serve, 503 when it cannot."""
    report, serving = {}, True
    try:
        db.session().execute(text('SELECT 1'))
        db.session().rollback()
        report['database'] = 'ok'
    except Exception as exc:  # noqa: BLE001 - whatever the reason, the database is down
        report['database'] = f'onbereikbaar ({type(exc).__name__})'
        serving = False
    up, what = get_queue().redis_status()
    report['queue'] = what if up is not False else f'defect: {what}'
    try:
        from webapp.jobs.runner import get_pool
        get_pool(current_app.config).ping()
        report['renderer'] = 'ok'
    except Exception as exc:  # noqa: BLE001 - a renderer that cannot start serves no download
        report['renderer'] = f'defect ({type(exc).__name__})'
        serving = False
    report['status'] = 'ok' if serving and up is not False else ('degraded' if serving else 'down')
    return jsonify(report), 200 if serving else 503
