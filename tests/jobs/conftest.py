"""Fixtures of the jobs tests: a CLB worker with the example cases, a throw-away Redis server, a worker process."""
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import PASSWORD
from tests.helpers import OWN_EXAMPLES, ROOT, load_example


CLB = 'CLB Voorbeeldstad'  # the CLB of the project's own example cases


@pytest.fixture
def session(app):
    """Return a session of the test's own, outside any request (its after-commit hooks are the app's)."""
    with app.app_context():
        own = app.extensions['traject_db']()
    yield own
    own.close()


@pytest.fixture
def cases(app, session):
    """Import the project's own example cases (tests/data: both of CLB Voorbeeldstad); return them stored, by id."""
    from webapp.services.cases import import_document
    stored = {}
    for path in sorted(OWN_EXAMPLES.glob('case-*.json')):
        item = import_document(session, load_example(path))
        stored[item.id] = item
    session.commit()
    return stored


def login(client, username: str):
    """Log `client` in as `username`."""
    response = client.post('/login', data={'username': username, 'password': PASSWORD})
    assert response.status_code == 302
    return client


@pytest.fixture
def clb_client(client, cases, create_user):
    """Return a client logged in as a CLB worker of the example cases' CLB."""
    create_user('lotte', role='clb-medewerker', organisation=CLB)
    return login(client, 'lotte')


def free_port() -> int:
    """Return a free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


@pytest.fixture(scope='session')
def redis_url(tmp_path_factory):
    """Start a throw-away redis-server on 127.0.0.1 (Debian's, installed by `make test-deps`); return its URL."""
    program = shutil.which('redis-server')
    assert program, 'redis-server ontbreekt: make test-deps installeert het (Debian-pakket redis-server)'
    folder, port = tmp_path_factory.mktemp('redis'), free_port()
    server = subprocess.Popen([program, '--port', str(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
                               '--dir', str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f'redis://127.0.0.1:{port}/0'
    from redis import Redis
    with Redis.from_url(url) as client:
        for _ in range(100):
            try:
                client.ping()
                break
            except Exception:  # noqa: BLE001 - not up yet
                time.sleep(0.05)
        else:
            server.kill()
            pytest.fail('redis-server kwam niet op')
    yield url
    server.terminate()
    server.wait(10)


def traject_process(args: list[str], database_url: str, tmp_path: Path, **env) -> subprocess.Popen:
    """Start `traject ARGS` from this checkout as its own process group (so a test can kill it with its children)."""
    environment = dict(os.environ, DATABASE_URL=database_url, PYTHONPATH=str(ROOT), SECRET_KEY='test',
                       TRAJECT_INSTANCE=str(tmp_path / 'instance'), **env)
    log = tmp_path / f'{args[0]}-{time.monotonic_ns()}.log'
    with log.open('wb') as out:  # the child keeps its own copy of the descriptor
        process = subprocess.Popen([sys.executable, '-c', 'from webapp.cli import main; main()', *args],
                                   env=environment, start_new_session=True, stdout=out, stderr=subprocess.STDOUT)
    process.log = log
    return process


def kill_group(process: subprocess.Popen) -> None:
    """SIGKILL a process and everything it started (its render process too)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(10)
