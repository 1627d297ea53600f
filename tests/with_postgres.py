"""Run a command against a throw-away PostgreSQL cluster: install if missing, start, run, stop.

Usage: python -m tests.with_postgres pytest -q
The cluster lives in a temporary folder on a free loopback port; the command gets TRAJECT_TEST_DATABASE_URL.
If PostgreSQL cannot be started, this fails (exit 1) instead of letting the tests skip.
"""
import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile


def find_bindir() -> str | None:
    """Return the newest PostgreSQL server bin folder, if one is installed."""
    found = sorted(glob.glob('/usr/lib/postgresql/*/bin/pg_ctl'), key=lambda p: int(p.split('/')[4]))
    return os.path.dirname(found[-1]) if found else None


def install() -> None:
    """Install Debian's PostgreSQL server."""
    print('PostgreSQL ontbreekt; installeren met apt-get ...', flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND='noninteractive')
    subprocess.run(['apt-get', 'update', '-q'], check=True, env=env)
    subprocess.run(['apt-get', 'install', '-y', '-q', 'postgresql'], check=True, env=env)


def free_port() -> int:
    """Return a free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def main(command: list[str]) -> int:
    """Start a cluster, run `command` with the cluster's URL in its environment, stop the cluster."""
    bindir = find_bindir()
    if bindir is None:
        install()
        bindir = find_bindir()
    if bindir is None:
        print('PostgreSQL kon niet geïnstalleerd worden.', file=sys.stderr)
        return 1
    # The server refuses to run as root; Debian's package creates the 'postgres' user for it.
    as_user = [] if os.geteuid() != 0 else ['runuser', '-u', 'postgres', '--']
    tmp = tempfile.mkdtemp(prefix='traject-pg-')
    if as_user:
        pw = pwd.getpwnam('postgres')
        os.chown(tmp, pw.pw_uid, pw.pw_gid)
    data, port = os.path.join(tmp, 'data'), free_port()
    run = lambda *args: subprocess.run(as_user + list(args), check=True, stdout=subprocess.DEVNULL)  # noqa: E731
    try:
        run(f'{bindir}/initdb', '-D', data, '-U', 'traject', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8')
        run(f'{bindir}/pg_ctl', '-D', data, '-l', os.path.join(tmp, 'log'), '-w', '-t', '60', 'start',
            '-o', f'-h 127.0.0.1 -p {port} -k {tmp} -c fsync=off -c synchronous_commit=off -c full_page_writes=off')
    except (subprocess.CalledProcessError, OSError) as exc:
        print(f'PostgreSQL kon niet starten: {exc}', file=sys.stderr)
        log = os.path.join(tmp, 'log')
        if os.path.exists(log):
            print(open(log).read(), file=sys.stderr)
        shutil.rmtree(tmp, ignore_errors=True)
        return 1
    try:
        subprocess.run(as_user + [f'{bindir}/createdb', '-h', '127.0.0.1', '-p', str(port), '-U', 'traject',
                                  'traject_test'], check=True)
        env = dict(os.environ, TRAJECT_TEST_DATABASE_URL=f'postgresql+psycopg://traject@127.0.0.1:{port}/traject_test')
        print(f'PostgreSQL draait op 127.0.0.1:{port}', flush=True)
        return subprocess.run(command, env=env).returncode
    finally:
        subprocess.run(as_user + [f'{bindir}/pg_ctl', '-D', data, '-m', 'fast', 'stop'], stdout=subprocess.DEVNULL)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
