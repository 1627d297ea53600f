"""The `traject` command line: exit codes, messages, and what lands in the database."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import example_files, load_example


EXAMPLES = example_files()
CASE_FILE = next(p for p in EXAMPLES if load_example(p)['formaat'] == 'traject-case/1')


def traject(*args: str, db_url: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run the installed `traject` console script as a user would."""
    env = dict(os.environ, DATABASE_URL=db_url, TRAJECT_INSTANCE=str(cwd / 'instance'))
    exe = Path(sys.executable).with_name('traject')
    return subprocess.run([str(exe), *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=120)


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


def test_user_create_refuses_short_passwords(tmp_path, db_url):
    assert traject('demo', db_url=db_url, cwd=tmp_path).returncode == 0  # the demo CLB exists from here on
    account = ('user', 'create', 'lies', '--role', 'clb-medewerker', '--organisatie', '131705')
    result = traject(*account, '--password', 'kort', db_url=db_url, cwd=tmp_path)
    assert result.returncode == 1
    assert 'minstens' in result.stderr
    ok = traject(*account, '--password', 'een-lang-wachtwoord', db_url=db_url, cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
