"""The command line speaks the UI's languages (Dutch unless TRAJECT_TAAL says fr or en), also in click's own usage
errors, and shows Brussels time."""
import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import update

from webapp.models import Case


def traject(*args: str, db_url: str, cwd: Path, taal: str | None = None) -> subprocess.CompletedProcess:
    """Run the installed `traject` console script, optionally with TRAJECT_TAAL."""
    env = dict(os.environ, DATABASE_URL=db_url, TRAJECT_INSTANCE=str(cwd / 'instance'))
    env.pop('TRAJECT_TAAL', None)
    if taal:
        env['TRAJECT_TAAL'] = taal
    exe = Path(sys.executable).with_name('traject')
    return subprocess.run([str(exe), *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=120)


@pytest.fixture
def db_url(app, database_url) -> str:
    return database_url


@pytest.mark.parametrize('taal, expected', [
    (None, ("Gebruik: traject render", "Typ 'traject render --help' voor hulp.",
            "Fout: Ongeldige waarde voor '--format': 'odt' is geen van deze: 'docx', 'pdf'.")),
    ('fr', ("Utilisation : traject render", "Erreur : Valeur non valide pour '--format' : 'odt' ne fait pas partie")),
    ('en', ("Usage: traject render", "Error: Invalid value for '--format': 'odt' is not one of 'docx', 'pdf'.")),
])
def test_usage_errors_speak_the_language_of_the_command_line(tmp_path, db_url, taal, expected):
    result = traject('render', 'x', '--format', 'odt', '--document', 'verslag', '-o', 'x.pdf', db_url=db_url,
                     cwd=tmp_path, taal=taal)
    assert result.returncode == 2
    for text in expected:
        assert text in result.stderr, (text, result.stderr)


def test_every_usage_error_of_every_command_is_dutch(tmp_path, db_url):
    missing = traject('import', db_url=db_url, cwd=tmp_path)
    assert "Fout: Argument ontbreekt 'FILE'." in missing.stderr
    unknown = traject('export', '1', '--bogus', db_url=db_url, cwd=tmp_path)
    assert "Fout: Onbekende optie '--bogus'." in unknown.stderr
    command = traject('no-such-command', db_url=db_url, cwd=tmp_path)
    assert "Fout: Onbekende opdracht 'no-such-command'." in command.stderr
    role = traject('user', 'create', 'x', '--role', 'koning', '--organisatie', 'CLB', db_url=db_url, cwd=tmp_path)
    assert "Ongeldige waarde voor '--role'" in role.stderr
    helped = traject('--help', db_url=db_url, cwd=tmp_path).stdout
    assert helped.startswith('Gebruik: traject') and 'Opties:' in helped and 'Toon deze hulp en stop.' in helped
    for result in (missing, unknown, command, role):
        assert 'Usage:' not in result.stderr and 'Error:' not in result.stderr and 'Invalid value' not in result.stderr


def test_a_missing_file_is_said_in_dutch(tmp_path, db_url):
    result = traject('import', str(tmp_path / 'nope.json'), db_url=db_url, cwd=tmp_path)
    assert result.returncode == 1
    assert f'Het bestand {tmp_path / "nope.json"} bestaat niet.' in result.stderr
    assert 'No such file' not in result.stderr


def test_list_shows_brussels_time(tmp_path, db_url, create_case, dummy_case, session):
    case = create_case(dummy_case)
    # Stored in UTC: 10:30 UTC on a summer day is 12:30 in Brussels, on a winter day 11:30.
    for moment, shown in ((datetime(2026, 7, 1, 10, 30, tzinfo=timezone.utc), '2026-07-01 12:30'),
                          (datetime(2026, 1, 15, 10, 30, tzinfo=timezone.utc), '2026-01-15 11:30')):
        session.execute(update(Case).where(Case.id == case.id).values(updated_at=moment))
        session.commit()
        listed = traject('list', db_url=db_url, cwd=tmp_path)
        assert listed.returncode == 0, listed.stderr
        assert shown in listed.stdout, listed.stdout


def test_a_language_without_a_babel_code_gets_its_name(logged_in, create_case, dummy_case):
    case = create_case(dummy_case)
    page = logged_in.get(f'/cases/{case.id}/steps/aanmelding').get_data(as_text=True)
    assert '>Dari (prs)</option>' in page and '>prs (prs)<' not in page
