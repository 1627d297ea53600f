"""`traject backup` and `traject restore`: a restore into a fresh instance finds every case, version and audit row."""
import sqlite3
import uuid
from contextlib import closing

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from webapp import create_app, db
from webapp.models import AuditEvent, Case
from webapp.services.cases import save_step


def snapshot(session) -> dict:
    """Return what a restore must bring back: every case with its version and data, every audit row."""
    session.rollback()
    return {'cases': [(c.id, c.version, c.data) for c in session.scalars(select(Case).order_by(Case.id))],
            'audit': [(a.id, a.action, a.case_id, a.actor) for a in session.scalars(select(AuditEvent)
                                                                                   .order_by(AuditEvent.id))]}


@pytest.fixture
def fresh_database(database_url, tmp_path):
    """Return the URL of a new, empty database next to the test database (a fresh instance)."""
    if database_url.startswith('sqlite'):
        yield f'sqlite:///{tmp_path}/fresh/traject.db'
        return
    name = f'fresh_{uuid.uuid4().hex[:8]}'
    admin = create_engine(database_url, isolation_level='AUTOCOMMIT')
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE {name}'))
    yield make_url(database_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE {name} WITH (FORCE)'))
    admin.dispose()


def test_backup_then_restore_into_a_fresh_instance_finds_every_case_version_and_audit_row(
        runner, cases, session, fresh_database, tmp_path):
    case = next(iter(cases.values()))
    save_step(session, case, 'aanmelding', {('traject', 'aanleiding'): 'Tweede versie.'}, actor='test')
    session.commit()
    before = snapshot(session)
    assert before['audit'] and any(version == 2 for _id, version, _data in before['cases'])
    backup = tmp_path / 'traject.backup'
    result = runner.invoke(args=['backup', '-o', str(backup)])
    assert result.exit_code == 0 and 'Back-up geschreven naar' in result.output, result.output
    assert backup.stat().st_mode & 0o777 == 0o600

    fresh = create_app({'TESTING': True, 'DATABASE_URL': fresh_database, 'SECRET_KEY': 'test'})
    result = fresh.test_cli_runner().invoke(args=['restore', str(backup), '--yes'])
    assert result.exit_code == 0 and 'Databank hersteld uit' in result.output, result.output
    with fresh.app_context():
        assert snapshot(db.session()) == before
    db.get_engine(fresh).dispose()


@pytest.mark.parametrize('content', [b'', b'geen databank', None])
def test_restore_refuses_a_file_that_is_no_backup_and_changes_nothing(runner, cases, session, tmp_path, database_url,
                                                                      content):
    before = snapshot(session)
    other = tmp_path / 'other.db'
    if content is None:  # an SQLite database, but not Traject's
        with closing(sqlite3.connect(other)) as connection:
            connection.execute('CREATE TABLE x (y)')
    else:
        other.write_bytes(content)
    result = runner.invoke(args=['restore', str(other), '--yes'])
    sqlite = database_url.startswith('sqlite')
    assert result.exit_code == 1 and ('is geen back-up van Traject' if sqlite else 'pg_restore mislukte') in \
        result.output, result.output
    assert snapshot(session) == before
