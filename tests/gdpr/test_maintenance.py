"""`traject maintenance`: what outlived its period goes, what is fresh stays; twice in a row removes nothing more."""
import hashlib
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from webapp.models import (Case, Draft, Job, JobFile, LoginAttempt, LoginSession, ParentLink, ParentReply,
                           RenderedDocument)
from webapp.services import maintenance


NOW = datetime(2026, 12, 6, 12, 0, tzinfo=timezone.utc)


def ago(**delta) -> datetime:
    return NOW - timedelta(**delta)


def count(session, model, *where) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where))


def fill(session, case: Case, user_id: int) -> None:
    """Add an old and a fresh row of every kind maintenance looks after."""
    session.add_all([
        Draft(user_id=user_id, case_id=case.id, step='intake', data=[], updated_at=ago(days=15)),
        Draft(user_id=user_id, case_id=case.id, step='onthaal', data=[], updated_at=ago(days=13)),
        LoginSession(token_hash='o' * 64, user_id=user_id, created_at=ago(hours=13), last_seen_at=ago(hours=12)),
        # Idle for an hour but within the 12 hours: kept, so a step posted now is still kept as a draft.
        LoginSession(token_hash='i' * 64, user_id=user_id, created_at=ago(hours=2), last_seen_at=ago(hours=1)),
        LoginAttempt(username='x', address='1.2.3.4', at=ago(hours=2)),
        LoginAttempt(username='x', address='1.2.3.4', at=ago(minutes=10)),
    ])
    links = [ParentLink(case_id=case.id, ouder=1, token_hash=hashlib.sha256(name.encode()).hexdigest(),
                        created_by='test', created_at=ago(days=200), expires_at=expires, revoked_at=revoked)
             for name, expires, revoked in (('expired-long-ago', ago(days=91), None),
                                            ('revoked-long-ago', NOW + timedelta(days=5), ago(days=91)),
                                            ('expired-lately', ago(days=89), None),
                                            ('live', NOW + timedelta(days=20), None))]
    session.add_all(links)
    session.flush()
    session.add(ParentReply(case_id=case.id, link_id=links[0].id, ouder=1, kind='akkoord'))
    old_job = Job(kind='bulk', status='done', actor='t', params={}, finished_at=ago(days=8))
    new_job = Job(kind='bulk', status='done', actor='t', params={}, finished_at=ago(days=6))
    running = Job(kind='bulk', status='running', actor='t', params={})
    session.add_all([old_job, new_job, running])
    session.flush()
    session.add_all([JobFile(job_id=job.id, name='a/verslag.pdf', data=b'%PDF') for job in (old_job, new_job)])
    session.add_all([
        RenderedDocument(key='a' * 64, item=f'case-{case.id}/verslag.pdf/nl/concept', data=b'%PDF', finished_at=NOW),
        RenderedDocument(key='b' * 64, item='case-424242/verslag.pdf/nl/concept', data=b'%PDF', finished_at=NOW),
        RenderedDocument(key='c' * 64, item=f'case-{case.id}/iac-plan.pdf/nl/concept', started_at=ago(hours=2)),
        RenderedDocument(key='d' * 64, item='samenwerking-1/samenwerkingsafspraken.pdf/nl/concept', data=b'%PDF',
                         finished_at=NOW),
    ])
    session.commit()


def test_maintenance_removes_the_old_and_keeps_the_fresh(app, session, stored, create_user):
    user = create_user('medewerker', role='clb-medewerker')
    fill(session, stored, user.id)
    removed = maintenance.run(app.extensions['traject_db'], now=NOW)
    assert removed == {'drafts': 1, 'parent_links': 2, 'deleted_cases': 0, 'login_attempts': 1, 'login_sessions': 1,
                       'bulk_jobs': 1, 'rendered_documents': 2}
    session.rollback()
    session.expire_all()
    assert [d.step for d in session.scalars(select(Draft))] == ['onthaal']
    assert {s.token_hash[0] for s in session.scalars(select(LoginSession)) if s.user_id == user.id} == {'i'}
    assert count(session, LoginAttempt) == 1
    assert count(session, ParentLink) == 2
    assert session.scalar(select(ParentReply)).link_id is None  # the reply stays with the case
    assert count(session, Job) == 2 and count(session, JobFile) == 1
    assert sorted(r.key[0] for r in session.scalars(select(RenderedDocument))) == ['a', 'd']
    # Idempotent: nothing more the second time.
    assert set(maintenance.run(app.extensions['traject_db'], now=NOW).values()) == {0}


def test_the_command_prints_what_it_removed_and_exits_0(runner, session, stored, create_user):
    user = create_user('medewerker', role='clb-medewerker')
    session.add(Draft(user_id=user.id, case_id=stored.id, step='intake', data=[],
                      updated_at=datetime.now(timezone.utc) - timedelta(days=20)))
    session.commit()
    result = runner.invoke(args=['maintenance'])
    assert result.exit_code == 0, result.output
    assert 'concepten: 1 verwijderd' in result.output
    assert 'verwijderde dossiers (definitief gewist): 0 verwijderd' in result.output
    again = runner.invoke(args=['maintenance'])
    assert again.exit_code == 0 and 'concepten: 0 verwijderd' in again.output


def test_the_app_runs_maintenance_on_its_worker_thread_without_redis(database_url, session, stored, create_user,
                                                                      tmp_path):
    from webapp import create_app
    from webapp.jobs.queue import get_queue
    user = create_user('medewerker', role='clb-medewerker')
    session.add(Draft(user_id=user.id, case_id=stored.id, step='intake', data=[],
                      updated_at=datetime.now(timezone.utc) - timedelta(days=20)))
    session.commit()
    app = create_app({'TESTING': True, 'DATABASE_URL': database_url, 'SECRET_KEY': 'test', 'MAINTENANCE_EVERY': 3600})
    app.instance_path = str(tmp_path / 'instance')
    assert app.test_client().get('/login').status_code == 200  # the first request queues it
    assert get_queue(app).wait_idle(30)
    session.rollback()
    assert count(session, Draft) == 0
    # Not again within the hour: a fresh old draft stays until the next period.
    session.add(Draft(user_id=user.id, case_id=stored.id, step='onthaal', data=[],
                      updated_at=datetime.now(timezone.utc) - timedelta(days=20)))
    session.commit()
    app.test_client().get('/login')
    assert get_queue(app).wait_idle(30)
    session.rollback()
    assert count(session, Draft) == 1
