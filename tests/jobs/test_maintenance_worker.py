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
