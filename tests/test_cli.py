"""The `traject` command line: exit codes, messages, and what lands in the database."""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.helpers import example_files, load_example


EXAMPLES = example_files()
CASE_FILE = next(p for p in EXAMPLES if load_example(p)['formaat'] == 'traject-case/1')


def traject(*args: str, db_url: str, cwd: Path, input: str = '') -> subprocess.CompletedProcess:
    """Run the installed `traject` console script as a user would (standard input: `input`, never a terminal)."""
    env = dict(os.environ, DATABASE_URL=db_url, TRAJECT_INSTANCE=str(cwd / 'instance'))
    exe = Path(sys.executable).with_name('traject')
    return subprocess.run([str(exe), *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=120,
                          input=input)


@pytest.fixture
def db_url(app, database_url) -> str:
    """The suite's database (SQLite or PostgreSQL), emptied after the test by the `app` fixture."""
    return database_url


def test_fresh_database_import_export_roundtrip(tmp_path):
    db_url = f'sqlite:///{tmp_path / "fresh.db"}'  # a new, empty database: the command migrates it itself
    result = traject('import', str(CASE_FILE), db_url=db_url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    case_id = result.stdout.strip().splitlines()[-1]
    assert case_id.isdigit()
    out = tmp_path / 'out.json'
    assert traject('export', case_id, '-o', str(out), db_url=db_url, cwd=tmp_path).returncode == 0
    assert out.read_text(encoding='utf-8') == json.dumps(load_example(CASE_FILE), ensure_ascii=False, indent=2) + '\n'


def test_second_import_names_the_case_and_offers_replace(tmp_path, db_url):
    first = traject('import', str(CASE_FILE), db_url=db_url, cwd=tmp_path)
    second = traject('import', str(CASE_FILE), db_url=db_url, cwd=tmp_path)
    assert second.returncode == 1
    case_id = first.stdout.strip().splitlines()[-1]
    assert f'dossier {case_id}' in second.stderr
    assert '--replace' in second.stderr
    third = traject('import', '--replace', str(CASE_FILE), db_url=db_url, cwd=tmp_path)
    assert third.returncode == 0
    assert third.stdout.strip().splitlines()[-1] == case_id


def test_check_lists_problems_with_paths(tmp_path, db_url):
    doc = load_example(CASE_FILE)
    doc['formaat'] = 'traject-case/9'
    bad = tmp_path / 'bad.json'
    bad.write_text(json.dumps(doc))
    result = traject('check', str(bad), db_url=db_url, cwd=tmp_path)
    assert result.returncode == 1
    assert 'formaat' in result.stdout
    assert 'Traceback' not in result.stdout + result.stderr
    assert traject('check', str(CASE_FILE), db_url=db_url, cwd=tmp_path).returncode == 0


@pytest.mark.parametrize('content', [b'{not json', b'\xff\xfe', b'[]', b'{"formaat": "traject-case/1"}'])
def test_import_of_bad_input_exits_1_without_traceback(tmp_path, db_url, content):
    bad = tmp_path / 'bad.json'
    bad.write_bytes(content)
    result = traject('import', str(bad), db_url=db_url, cwd=tmp_path)
    assert result.returncode == 1
    assert 'Traceback' not in result.stderr
    assert result.stderr.strip()
    listing = traject('list', db_url=db_url, cwd=tmp_path)
    assert listing.returncode == 0
    assert len(listing.stdout.strip().splitlines()) == 1  # only the header: nothing was stored


def test_usage_errors_exit_2(tmp_path, db_url):
    assert traject('import', db_url=db_url, cwd=tmp_path).returncode == 2
    assert traject('export', '1', '--bogus', db_url=db_url, cwd=tmp_path).returncode == 2
    assert traject('no-such-command', db_url=db_url, cwd=tmp_path).returncode == 2


def test_missing_file_and_unknown_id_exit_1(tmp_path, db_url):
    missing = traject('import', str(tmp_path / 'nope.json'), db_url=db_url, cwd=tmp_path)
    assert missing.returncode == 1 and 'Traceback' not in missing.stderr
    unknown = traject('export', '999', db_url=db_url, cwd=tmp_path)
    assert unknown.returncode == 1 and '999' in unknown.stderr


def test_demo_is_idempotent_and_list_shows_it(tmp_path, db_url):
    assert traject('demo', db_url=db_url, cwd=tmp_path).returncode == 0
    first = traject('list', db_url=db_url, cwd=tmp_path).stdout
    assert traject('demo', db_url=db_url, cwd=tmp_path).returncode == 0
    second = traject('list', db_url=db_url, cwd=tmp_path).stdout
    strip_times = lambda text: [line.rsplit('  ', 1)[0] for line in text.splitlines()]  # noqa: E731
    assert strip_times(first) == strip_times(second)
    rows = first.strip().splitlines()
    assert len(rows) >= 1 + 5  # header + at least five cases
    for soort in ('GC', 'IAC', 'OV4'):
        assert any(f' {soort} type' in row for row in rows), soort
    assert 'samenwerking-' in first


def test_user_create_reads_the_password_from_standard_input_and_refuses_weak_ones(tmp_path, db_url):
    assert traject('demo', db_url=db_url, cwd=tmp_path).returncode == 0  # the demo CLB exists from here on
    account = ('user', 'create', 'lies', '--role', 'clb-medewerker', '--organisatie', '131705')
    short = traject(*account, db_url=db_url, cwd=tmp_path, input='kort\n')
    assert short.returncode == 1
    assert 'Het wachtwoord moet minstens 12 tekens lang zijn.' in short.stderr
    breached = traject(*account, db_url=db_url, cwd=tmp_path, input='qwerty123456\n')
    assert breached.returncode == 1 and 'gelekte wachtwoorden' in breached.stderr
    assert traject(*account, db_url=db_url, cwd=tmp_path).returncode == 1  # nothing on standard input
    # A password is never an option: it would stay in the shell's history and the process list.
    assert traject(*account, '--password', 'een-lang-wachtwoord', db_url=db_url, cwd=tmp_path).returncode == 2
    ok = traject(*account, db_url=db_url, cwd=tmp_path, input='een-lang-wachtwoord\n')
    assert ok.returncode == 0, ok.stderr
    listing = traject('user', 'list', db_url=db_url, cwd=tmp_path).stdout
    assert re.search(r'^lies\s+clb-medewerker\s+Vrij CLB Bosveld-Meerhoven\s+actief\s+niet ingesteld$', listing, re.M)


@pytest.fixture
def clb(runner):
    """Create 'CLB Test' (number 100001) with the CLI; return the runner."""
    result = runner.invoke(args=['org', 'create', '--kind', 'clb', 'CLB Test', '--nummer', '100001'])
    assert result.exit_code == 0, result.output
    return runner


def test_org_create_and_list(clb):
    listing = clb.invoke(args=['org', 'list']).output
    assert re.search(r'^clb\s+100001\s+CLB Test\s+0$', listing, re.M)
    again = clb.invoke(args=['org', 'create', '--kind', 'clb', 'clb  test'])
    assert again.exit_code == 1 and 'bestaat al een organisatie "CLB Test"' in again.output
    number = clb.invoke(args=['org', 'create', '--kind', 'clb', 'CLB Ander', '--nummer', '100001'])
    assert number.exit_code == 1
    assert clb.invoke(args=['org', 'create', '--kind', 'ziekenhuis', 'X']).exit_code == 2
    bad = clb.invoke(args=['org', 'create', '--kind', 'school', 'School', '--nummer', '12 34; drop'])
    assert bad.exit_code == 1 and 'Nummer:' in bad.output
    school = clb.invoke(args=['org', 'create', '--kind', 'school', 'CLB Test'])  # the same name, another kind
    assert school.exit_code == 0


def test_user_commands_change_the_account_and_end_its_logins(app, clb):
    from webapp import db
    from webapp.models import AuditEvent, LoginSession, User
    from webapp.services import sessions
    create = clb.invoke(args=['user', 'create', 'Lotte', '--role', 'clb-arts', '--organisatie', '100001'],
                        input='een-lang-wachtwoord\n')
    assert create.exit_code == 0, create.output

    def login_count():
        with app.app_context():
            session = db.session()
            user = session.scalar(select(User).where(User.username == 'lotte'))
            return len(session.scalars(select(LoginSession).where(LoginSession.user_id == user.id)).all())

    def open_login():
        with app.app_context():
            session = db.session()
            sessions.start(session, session.scalar(select(User).where(User.username == 'lotte')), mfa_passed=True)
            session.commit()

    open_login()
    assert clb.invoke(args=['user', 'disable', 'lotte']).exit_code == 0
    assert login_count() == 0
    assert 'uitgeschakeld' in clb.invoke(args=['user', 'list']).output
    assert clb.invoke(args=['user', 'enable', 'LOTTE']).exit_code == 0
    open_login()
    reset = clb.invoke(args=['user', 'reset-password', 'lotte'], input='fiets-regen-bosveld-thee\n')
    assert reset.exit_code == 0, reset.output
    assert login_count() == 0
    with app.app_context():
        user = db.session().scalar(select(User).where(User.username == 'lotte'))
        assert user.check_password('fiets-regen-bosveld-thee') and user.must_change_password
        user.totp_secret = 'JBSWY3DPEHPK3PXP'
        db.session().commit()
    assert clb.invoke(args=['user', 'reset-totp', 'lotte']).exit_code == 0
    with app.app_context():
        assert db.session().scalar(select(User).where(User.username == 'lotte')).totp_secret is None
        actions = [e.action for e in db.session().scalars(select(AuditEvent).where(AuditEvent.actor == 'cli'))]
    assert actions == ['organisation-created', 'account-created', 'account-disabled', 'account-enabled',
                       'password-reset', 'totp-reset']


@pytest.mark.parametrize('args, message', [
    (['user', 'disable', 'niemand'], 'Gebruikersnaam: geen account "niemand".'),
    (['user', 'reset-totp', 'niemand'], 'Gebruikersnaam: geen account "niemand".'),
    (['user', 'create', 'x', '--role', 'clb-medewerker', '--organisatie', 'Onbekend'], 'Geen organisatie gevonden'),
    (['user', 'create', 'x', '--role', 'zorgcoordinator', '--organisatie', '100001'], 'past bij de rol'),
])
def test_user_commands_name_what_is_wrong(clb, args, message):
    result = clb.invoke(args=args, input='een-lang-wachtwoord\n')
    assert result.exit_code == 1
    assert message in result.output
    assert 'Traceback' not in result.output


def test_reset_password_refuses_a_weak_one(clb):
    clb.invoke(args=['user', 'create', 'lotte', '--role', 'clb-arts', '--organisatie', '100001'],
               input='een-lang-wachtwoord\n')
    result = clb.invoke(args=['user', 'reset-password', 'lotte'], input='qwerty123456\n')
    assert result.exit_code == 1 and 'gelekte wachtwoorden' in result.output
