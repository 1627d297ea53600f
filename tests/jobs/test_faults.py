"""Faults: Redis stopped, a job worker killed in the middle of a bulk job, a web worker killed in a loop of saves.

Each is bounded: the processes are killed by the test, and every wait has a deadline.
"""
import io
import os
import signal
import subprocess
import sys
import textwrap
import time
import zipfile

from sqlalchemy import func, select, text

from tests.conftest import PASSWORD
from tests.helpers import ROOT
from tests.jobs.conftest import CLB, free_port, kill_group, traject_process
from webapp.jobs import bulk
from webapp.jobs.queue import get_queue
from webapp.models import Case, Job, JobFile, Organisation, User


def wait_for(check, seconds: float, what: str):
    """Return check()'s first true value, polling; fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f'timed out waiting for {what}')


def test_healthz_reports_the_database_the_queue_and_the_renderer(app, client, redis_url):
    report = client.get('/healthz').get_json()
    assert report == {'database': 'ok', 'queue': 'geen REDIS_URL: taken lopen in de app zelf', 'renderer': 'ok',
                      'status': 'ok'}
    app.config['REDIS_URL'] = get_queue(app).redis_url = redis_url
    assert client.get('/healthz').get_json()['queue'] == 'ok'


def test_with_redis_stopped_the_app_serves_pages_renders_downloads_and_healthz_says_what_is_down(
        app, clb_client, cases, session):
    app.config['REDIS_URL'] = get_queue(app).redis_url = f'redis://127.0.0.1:{free_port()}/0'  # nobody listens
    response = clb_client.get('/healthz')
    report = response.get_json()
    assert response.status_code == 200 and report['status'] == 'degraded'
    assert report['queue'].startswith('defect: Redis antwoordt niet') and report['database'] == 'ok'
    assert clb_client.get('/').status_code == 200
    case = next(iter(cases.values()))
    assert clb_client.get(f'/cases/{case.id}/documents/verslag.pdf').data.startswith(b'%PDF')
    clb = session.scalar(select(Organisation.id).where(Organisation.naam == CLB))
    job_url = clb_client.post('/bulk', data={'organisatie': clb, 'schooljaar': '2025-2026'}).headers['Location']
    assert get_queue(app).wait_idle(300)  # the bulk job ran in the app's own worker thread
    assert 'Klaar: ' in clb_client.get(job_url).get_data(as_text=True)


def test_a_job_worker_killed_in_the_middle_of_a_bulk_job_is_resumed_and_the_zip_is_complete(
        app, cases, session, database_url, redis_url, tmp_path):
    app.config['REDIS_URL'] = get_queue(app).redis_url = redis_url
    clb = session.scalar(select(Organisation).where(Organisation.naam == CLB))
    job = bulk.create_job(session, bulk.plan(session, select(Case), clb, '2025-2026'), actor='test', user_id=None)
    session.commit()
    total = bulk.count_entries(session, job.params)
    assert total > 2
    assert get_queue(app).enqueue('run_bulk', job.id, queue='bulk') == 'redis'

    def done() -> int:
        found = session.scalar(select(func.count()).select_from(JobFile).where(JobFile.job_id == job.id))
        session.rollback()  # the next look reads the newest commit
        return found

    first = traject_process(['worker'], database_url, tmp_path, REDIS_URL=redis_url)
    try:
        wait_for(lambda: done() >= 2, 120, 'the first documents')
    finally:
        kill_group(first)
    killed_at = done()
    assert killed_at < total
    second = traject_process(['worker', '--burst'], database_url, tmp_path, REDIS_URL=redis_url)
    try:
        second.wait(240)
    finally:
        kill_group(second)
    session.rollback()
    session.expire_all()  # a rollback outside a transaction expires nothing
    finished = session.get(Job, job.id)
    assert finished.status == 'done', second.log.read_text()[-3000:]
    names = zipfile.ZipFile(io.BytesIO(bulk.zip_bytes(session, finished))).namelist()
    assert len(names) == total and len(set(names)) == total
    assert finished.done == finished.total == total


SAVER = textwrap.dedent('''
    import sys
    from webapp import create_app
    from tests.wizard.helpers import submit, step_url
    app = create_app({'TESTING': True, 'DATABASE_URL': sys.argv[1], 'SECRET_KEY': 'test', 'WTF_CSRF_ENABLED': False,
                      'TRAJECT_MFA': 'optional'})
    client = app.test_client()
    assert client.post('/login', data={'username': 'lotte', 'password': sys.argv[3]}).status_code == 302
    for i in range(1, 100000):
        response = submit(client, step_url(int(sys.argv[2]), 'aanmelding'), {'aanleiding': f'Bewaring {i}.'})
        assert response.status_code == 302, response.status_code
        print(i, flush=True)  # acknowledged: the save's transaction has committed
''')


def test_a_web_worker_killed_in_a_loop_of_saves_loses_no_acknowledged_save(app, clb_client, cases, session,
                                                                            database_url):
    case = next(iter(cases.values()))
    saver = subprocess.Popen([sys.executable, '-c', SAVER, database_url, str(case.id), PASSWORD],
                             env=dict(os.environ, PYTHONPATH=str(ROOT)), stdout=subprocess.PIPE, text=True,
                             start_new_session=True)
    acknowledged = 0
    try:
        while acknowledged < 15:
            line = saver.stdout.readline()
            assert line, 'the saving process stopped by itself'
            acknowledged = int(line)
        os.killpg(saver.pid, signal.SIGKILL)  # in the middle of the next save
    finally:
        saver.kill()
        saver.wait(10)
        saver.stdout.close()
    if database_url.startswith('sqlite'):
        assert session.execute(text('PRAGMA integrity_check')).scalar() == 'ok'
    else:
        assert session.execute(text('SELECT count(*) FROM cases')).scalar() == len(cases)
    session.rollback()
    stored = session.get(Case, case.id)
    saved = int(stored.data['traject']['aanleiding'].removeprefix('Bewaring ').rstrip('.'))
    assert saved >= acknowledged  # the one killed mid-save is either all there or not at all
    assert stored.version >= acknowledged
    assert session.scalar(select(User.id).where(User.username == 'lotte'))
