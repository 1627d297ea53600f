"""`make bench`, jobs part: bulk documents per second with 1 and 2 job workers, and a render process's memory.

    python -m bench.jobs [--cases 200] [--renders 1000]

The bulk runs on `traject worker` processes over a throw-away Redis and SQLite database (as `make serve` runs them);
the memory is the resident size of one render process (what a web or job worker renders in) after each hundred
renders, alternating PDF and DOCX of every example document. Measured, never asserted; writes bench/jobs-results.json.
"""
import argparse
import copy
import json
import os
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from tests.helpers import example_cases
from tests.jobs.conftest import free_port


ROOT = Path(__file__).resolve().parents[1]


def rss_mb(pid: int) -> float:
    """Return the resident memory of process `pid` in MB."""
    for line in Path(f'/proc/{pid}/status').read_text().splitlines():
        if line.startswith('VmRSS:'):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def children(pid: int) -> list[str]:
    """Return the process ids of `pid`'s children (its render process)."""
    return Path(f'/proc/{pid}/task/{pid}/children').read_text().split()


def bulk_rate(cases: int, workers: int, workdir: Path, redis_url: str) -> dict:
    """Run a bulk job of `cases` cases on `workers` job workers; return documents per second and the memory of each
    worker with its render process."""
    from sqlalchemy import select

    from webapp import create_app, db
    from webapp.jobs import bulk, tasks
    from webapp.models import Case, Job
    from webapp.services.cases import import_document
    folder = workdir / f'bulk-{workers}'
    folder.mkdir(parents=True)
    url = f'sqlite:///{folder}/traject.db'
    app = create_app({'DATABASE_URL': url, 'SECRET_KEY': 'bench', 'PRERENDER': False, 'REDIS_URL': redis_url,
                      'BULK_PARTS': workers})
    examples = [d for d in example_cases().values() if d.get('verslag')]
    with app.app_context():
        db.upgrade()
        session = db.session()
        for number in range(cases):
            import_document(session, dict(copy.deepcopy(examples[number % len(examples)]), id=f'bench-{number}'))
        session.commit()
        ids = list(session.scalars(select(Case.id)))
        job = bulk.create_job(session, {'organisation_id': 0, 'organisation': 'bench', 'schooljaar': 'alle',
                                        'case_ids': ids, 'samenwerking_ids': []}, actor='bench', user_id=None)
        session.commit()
        job_id = job.id
        env = dict(os.environ, DATABASE_URL=url, SECRET_KEY='bench', REDIS_URL=redis_url, PYTHONPATH=str(ROOT),
                   TRAJECT_INSTANCE=str(folder))
        # Bulk workers, as make serve starts them (TRAJECT_BULK_WORKERS): each with one render process, warmed at start.
        procs = [subprocess.Popen([sys.executable, '-c', 'from webapp.cli import main; main()', 'worker', '--queue',
                                   'bulk'], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                 for _ in range(workers)]
        time.sleep(3)  # the workers start (and start their render processes) before the clock runs
        started = time.monotonic()
        tasks.start_bulk(job_id)
        while session.scalar(select(Job.status).where(Job.id == job_id)) != 'done':
            session.rollback()  # the next look reads the newest commit
            time.sleep(0.5)
        elapsed = time.monotonic() - started
        memory = [rss_mb(p.pid) + sum(rss_mb(int(child)) for child in children(p.pid)) for p in procs]
        total = session.scalar(select(Job.total).where(Job.id == job_id))
        for proc in procs:
            proc.kill()  # the job is done; a killed worker's render process ends when its pipe closes
            proc.wait(30)
    db.get_engine(app).dispose()
    return {'workers': workers, 'cases': cases, 'documents': total, 'seconds': round(elapsed, 1),
            'documents_per_second': round(total / elapsed, 2), 'worker_rss_mb': memory}


def render_memory(renders: int) -> list[tuple[int, float]]:
    """Return (renders done, render process RSS in MB) after every hundred renders in one render process."""
    from webapp.documents import kinds_for
    from webapp.jobs.runner import RenderPool
    work = [(doc, kind, fmt) for doc in example_cases().values() for kind in kinds_for(doc) for fmt in ('pdf', 'docx')]
    pool = RenderPool(processes=1, timeout=120, memory_mb=1024)
    samples = []
    try:
        for number in range(1, renders + 1):
            doc, kind, fmt = work[number % len(work)]
            pool.render(doc, kind, fmt, 'nl', final=False, today=date.today())
            if number == 1 or number % 100 == 0:
                samples.append((number, rss_mb(pool._idle[0].process.pid)))
    finally:
        pool.close()
    return samples


def main(argv: list[str]) -> int:
    """Measure and print; write bench/jobs-results.json."""
    parser = argparse.ArgumentParser()
    parser.add_argument('--cases', type=int, default=200)
    parser.add_argument('--renders', type=int, default=1000)
    args = parser.parse_args(argv)
    workdir = ROOT / 'bench' / 'out' / 'jobs'
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    port = free_port()
    redis = subprocess.Popen(['redis-server', '--port', str(port), '--bind', '127.0.0.1', '--save', '',
                              '--appendonly', 'no', '--dir', str(workdir)], stdout=subprocess.DEVNULL)
    try:
        time.sleep(0.5)
        rates = [bulk_rate(args.cases, workers, workdir, f'redis://127.0.0.1:{port}/0') for workers in (1, 2)]
    finally:
        redis.terminate()
        redis.wait(10)
    memory = render_memory(args.renders)
    load = os.getloadavg()
    results = {'load_average': load, 'cores': os.cpu_count(), 'bulk': rates, 'render_process_rss_mb': memory}
    (ROOT / 'bench' / 'jobs-results.json').write_text(json.dumps(results, indent=2))
    print(f'load average {load[0]:.1f} on {os.cpu_count()} cores')
    for rate in rates:
        print(f"bulk of {rate['cases']} cases ({rate['documents']} PDF): {rate['workers']} job worker(s): "
              f"{rate['documents_per_second']} documents/s ({rate['seconds']} s); "
              f"worker RSS {rate['worker_rss_mb']} MB")
    print('render process RSS (renders: MB): ' + ', '.join(f'{n}: {mb}' for n, mb in memory))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
