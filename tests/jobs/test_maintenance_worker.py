"""`traject worker` runs the housekeeping at its start (and every hour after): no cron needed beside it."""
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from tests.jobs.conftest import kill_group, traject_process
from webapp.models import Draft


def test_the_worker_runs_maintenance_when_it_starts(app, session, cases, create_user, redis_url, database_url,
                                                   tmp_path):
    user = create_user('lotte', role='clb-medewerker', organisation='CLB Voorbeeldstad')
    case_id = next(iter(cases))
    session.add_all([Draft(user_id=user.id, case_id=case_id, step='intake', data=[],
                           updated_at=datetime.now(timezone.utc) - timedelta(days=15)),
                     Draft(user_id=user.id, case_id=case_id, step='onthaal', data=[])])
    session.commit()
    worker = traject_process(['worker', '--burst'], database_url, tmp_path, REDIS_URL=redis_url)
    try:
        assert worker.wait(120) == 0, worker.log.read_text()
    finally:
        kill_group(worker)
    session.rollback()
    assert session.scalars(select(Draft.step)).all() == ['onthaal']
    assert session.scalar(select(func.count()).select_from(Draft)) == 1


def test_a_prerender_worker_takes_the_prerenders_and_leaves_the_bulk_jobs(app, session, cases, redis_url,
                                                                         database_url, tmp_path):
    from webapp.jobs import bulk
    from webapp.jobs.queue import get_queue
    from webapp.models import Case, Job, Organisation, RenderedDocument
    from tests.jobs.conftest import CLB
    app.config['REDIS_URL'] = get_queue(app).redis_url = redis_url
    clb = session.scalar(select(Organisation).where(Organisation.naam == CLB))
    job = bulk.create_job(session, bulk.plan(session, select(Case), clb, '2025-2026'), actor='test', user_id=None)
    session.commit()
    case_id = next(iter(cases.values())).id
    assert get_queue(app).enqueue('run_bulk', job.id, queue='bulk') == 'redis'
    assert get_queue(app).enqueue('prerender', case_id, ['verslag'], job_id=f'prerender-{case_id}-verslag') == 'redis'
    worker = traject_process(['worker', '--burst', '--alleen-voorbereiden'], database_url, tmp_path,
                             REDIS_URL=redis_url)
    try:
        assert worker.wait(120) == 0, worker.log.read_text()
    finally:
        kill_group(worker)
    session.rollback()
    session.expire_all()
    rendered = session.scalars(select(RenderedDocument.item).where(RenderedDocument.data.is_not(None))).all()
    assert rendered == [f'case-{case_id}/verslag.pdf/nl/concept']
    assert session.get(Job, job.id).status == 'queued' and session.get(Job, job.id).done == 0
