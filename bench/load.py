"""`make load`: a bounded load test of `make serve`'s stack (gunicorn, Redis, job workers) on 127.0.0.1.

50 simulated CLB workers (bench/locustfile.py) for 90 seconds while a bulk job of 200 cases runs, on SQLite and then
on a throw-away PostgreSQL server, at two paces (PROFILES): a working day, where a worker reads and types 5-15 s
between two clicks, and a peak, where every worker clicks every 1-3 s without reading. Prints requests per second
and p50/p95/p99 per request kind, errors, and how many "database is locked" the server logged; writes
bench/load-results.json. Measured, never asserted.
"""
import copy
import csv
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.helpers import example_cases
from tests.jobs.conftest import free_port


ROOT = Path(__file__).resolve().parents[1]
USERS, SPAWN_RATE, DURATION = 50, 10, '110s'  # counted: the last 95 s (bench/locustfile.py WARM_UP)
CASES = 200
TARGETS = {'step save': 100, 'preview': 150, 'download 3 s after save': 50, 'case list': 200}
# Seconds a simulated worker waits between two actions (locust's wait_time), per pace.
PROFILES = {'werkdag': (5, 15), 'piek': (1, 3)}


def prepare(database_url: str, instance: Path, password: str) -> tuple[list[int], int]:
    """Create the schema, 200 cases of one CLB, the load account and a queued bulk job of all 200 cases."""
    from sqlalchemy import select

    from webapp import create_app, db
    from webapp.jobs import bulk
    from webapp.models import Case
    from webapp.services.cases import import_document
    from webapp.services.users import create_user
    app = create_app({'DATABASE_URL': database_url, 'SECRET_KEY': 'load', 'PRERENDER': False,
                      'TRAJECT_MFA': 'optional'})
    app.instance_path = str(instance)
    examples = [d for d in example_cases().values() if d.get('verslag')]
    with app.app_context():
        db.upgrade()
        session = db.session()
        clb = examples[0]['clb']
        for number in range(CASES):
            doc = copy.deepcopy(examples[number % len(examples)])
            doc['id'], doc['clb'] = f'load-{number}', clb
            import_document(session, doc)
        session.commit()
        create_user(session, 'last', password, role='clb-medewerker', organisation=clb['naam'])
        ids = list(session.scalars(select(Case.id).order_by(Case.id)))
        job = bulk.create_job(session, {'organisation_id': 0, 'organisation': clb['naam'], 'schooljaar': 'alle',
                                        'case_ids': ids, 'samenwerking_ids': []}, actor='load', user_id=None)
        session.commit()
        job_id = job.id
    db.get_engine(app).dispose()
    return ids, job_id


def start_stack(env: dict, log: Path) -> subprocess.Popen:
    """Start tools/serve.sh (Redis, job workers, gunicorn) as its own process group."""
    with log.open('wb') as out:
        return subprocess.Popen(['tools/serve.sh'], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)


def wait_healthy(url: str, seconds: float = 60) -> None:
    """Wait until /healthz answers 200 with status ok."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + '/healthz', timeout=2) as response:
                if json.load(response).get('status') == 'ok':
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError('the stack did not become healthy')


def run_once(label: str, database_url: str, workdir: Path, profile: str) -> dict:
    """Run the load at pace `profile` against one (empty) database; return the figures."""
    instance = workdir / f'{label}-{profile}'
    instance.mkdir(parents=True)
    password = secrets.token_urlsafe(16)
    ids, job_id = prepare(database_url, instance, password)
    port, redis_port = free_port(), free_port()
    env = dict(os.environ, DATABASE_URL=database_url, SECRET_KEY='load', TRAJECT_INSTANCE=str(instance),
               PORT=str(port), HOST='127.0.0.1', REDIS_PORT=str(redis_port), PYTHONPATH=str(ROOT),
               TRAJECT_ACCESS_LOG=str(instance / 'access.log'), TRAJECT_JOB_WORKERS='2', TRAJECT_BULK_WORKERS='2',
               TRAJECT_MFA='optional')  # the load account has no second factor
    env.pop('REDIS_URL', None)
    log = instance / 'serve.log'
    stack = start_stack(env, log)
    url = f'http://127.0.0.1:{port}'
    try:
        wait_healthy(url)
        # The bulk job of 200 cases runs during the whole test.
        enqueue = ('from webapp import create_app; from webapp.jobs.tasks import start_bulk; '
                   f'app = create_app(); app.app_context().push(); start_bulk({job_id})')
        subprocess.run([sys.executable, '-c', enqueue], env=dict(env, REDIS_URL=f'redis://127.0.0.1:{redis_port}/0'),
                       check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        prefix = instance / 'locust'
        subprocess.run([sys.executable, '-m', 'locust', '-f', str(ROOT / 'bench' / 'locustfile.py'), '--headless',
                        '-u', str(USERS), '-r', str(SPAWN_RATE), '-t', DURATION, '--host', url, '--csv', str(prefix),
                        '--only-summary', '--stop-timeout', '10'],
                       env=dict(env, TRAJECT_LOAD_CASES=','.join(map(str, ids[:USERS])),
                                TRAJECT_LOAD_PASSWORD=password,
                                TRAJECT_LOAD_THINK=','.join(map(str, PROFILES[profile]))),
                       cwd=ROOT, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
        bulk_done = job_progress(database_url, job_id)
        served = log.read_text(errors='replace')  # what the stack logged while serving, before it is stopped
    finally:
        os.kill(stack.pid, signal.SIGTERM)  # serve.sh stops gunicorn and the workers, then Redis
        try:
            stack.wait(60)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(stack.pid, signal.SIGKILL)  # whatever is left of the group
        except ProcessLookupError:
            pass
    rows = list(csv.DictReader((prefix.parent / f'{prefix.name}_stats.csv').open()))
    server_log = served
    return {'database': label, 'profile': profile, 'think_seconds': PROFILES[profile],
            'bulk_documents_rendered': bulk_done,
            'database_is_locked': server_log.count('database is locked'),
            'server_errors': server_log.count('Traceback'),
            'requests': {row['Name']: {
                'count': int(row['Request Count']), 'failures': int(row['Failure Count']),
                'rps': round(float(row['Requests/s']), 1), 'p50': _ms(row['50%']), 'p95': _ms(row['95%']),
                'p99': _ms(row['99%'])} for row in rows}}


def _ms(value: str) -> int | None:
    return None if value in ('', 'N/A') else int(float(value))


def job_progress(database_url: str, job_id: int) -> str:
    """Return 'done/total' of the bulk job."""
    from sqlalchemy import create_engine, text
    engine = create_engine(database_url)
    with engine.connect() as connection:
        done, total = connection.execute(text('SELECT done, total FROM jobs WHERE id = :id'), {'id': job_id}).one()
    engine.dispose()
    return f'{done}/{total}'


def print_report(result: dict) -> None:
    """Print one run as a table against the targets."""
    low, high = result['think_seconds']
    print(f"\n{result['database']}, {result['profile']} ({low}-{high} s between actions): "
          f"bulk job {result['bulk_documents_rendered']} documents during the test; "
          f"'database is locked' {result['database_is_locked']}x; server tracebacks {result['server_errors']}")
    print(f"{'request':28} {'count':>6} {'fail':>5} {'rps':>6} {'p50':>6} {'p95':>6} {'p99':>6}  target p95")
    for name, r in sorted(result['requests'].items()):
        target = TARGETS.get(name)
        print(f"{name:28} {r['count']:6} {r['failures']:5} {r['rps']:6} {r['p50'] or '-':>6} {r['p95'] or '-':>6} "
              f"{r['p99'] or '-':>6}  {f'<= {target} ms' if target else ''}")


def main(argv: list[str]) -> int:
    """Run on SQLite, then (re-run under tests.with_postgres) on PostgreSQL; each at every pace."""
    results_file = ROOT / 'bench' / 'load-results.json'
    workdir = ROOT / 'bench' / 'out' / 'load'  # the logs stay there for a look afterwards
    if argv == ['--postgres']:
        results = json.loads(results_file.read_text()) if results_file.exists() else []
        url = os.environ['TRAJECT_TEST_DATABASE_URL']
        for profile in PROFILES:
            empty_postgres(url)
            results.append(run_once('postgresql', url, workdir, profile))
            print_report(results[-1])
            results_file.write_text(json.dumps(results, indent=2))
        return 0
    shutil.rmtree(workdir, ignore_errors=True)
    results = []
    for profile in PROFILES:
        results.append(run_once('sqlite', f'sqlite:///{workdir}/sqlite-{profile}/traject.db', workdir, profile))
        print_report(results[-1])
        results_file.write_text(json.dumps(results, indent=2))
    return subprocess.run([sys.executable, '-m', 'tests.with_postgres', sys.executable, '-m', 'bench.load',
                           '--postgres'], cwd=ROOT).returncode


def empty_postgres(url: str) -> None:
    """Drop every table of the throw-away PostgreSQL database (a run starts from nothing)."""
    from sqlalchemy import create_engine, text
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text('DROP SCHEMA public CASCADE'))
        connection.execute(text('CREATE SCHEMA public'))
    engine.dispose()


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
