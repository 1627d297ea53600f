"""SQLite: a read never takes the write lock, a writer never waits for a reader, and no 'database is locked'.

These run on their own SQLite file in both runs of the suite (the lock rules are SQLite's, not PostgreSQL's).
"""
import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from webapp import create_app, db
from webapp.models import AuditEvent


@pytest.fixture
def sessions(tmp_path):
    """Return a session factory on a fresh SQLite file with the whole schema."""
    app = create_app({'TESTING': True, 'DATABASE_URL': f'sqlite:///{tmp_path}/locks.db', 'SECRET_KEY': 'test'})
    with app.app_context():
        db.upgrade()
    engine = db.get_engine(app)
    yield sessionmaker(bind=engine, expire_on_commit=False)
    engine.dispose()


def _add_event(session, actor: str) -> None:
    session.add(AuditEvent(action='view', actor=actor))
    session.flush()


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEvent))


def test_a_long_read_does_not_block_a_writer(sessions):
    reader_inside, writer_done = threading.Event(), threading.Event()
    seen = {}

    def read_slowly():
        with sessions() as session:
            seen['before'] = _count(session)  # the read transaction is open from here ...
            reader_inside.set()
            seen['writer_finished_meanwhile'] = writer_done.wait(10)  # ... until the writer has committed
            seen['still_inside'] = _count(session)  # the same snapshot: a consistent read
            session.rollback()

    reader = threading.Thread(target=read_slowly)
    reader.start()
    assert reader_inside.wait(10)
    with sessions() as session:
        _add_event(session, 'writer')
        session.commit()
    writer_done.set()
    reader.join(15)
    assert seen == {'before': 0, 'writer_finished_meanwhile': True, 'still_inside': 0}


def test_a_long_write_does_not_block_a_reader(sessions):
    with sessions() as setup:
        _add_event(setup, 'first')
        setup.commit()
    writer_inside, reader_done = threading.Event(), threading.Event()
    seen = {}

    def write_slowly():
        with sessions() as session:
            _add_event(session, 'slow writer')  # holds the write lock from here ...
            writer_inside.set()
            seen['reader_finished_meanwhile'] = reader_done.wait(10)  # ... until the reader has read
            session.commit()

    writer = threading.Thread(target=write_slowly)
    writer.start()
    assert writer_inside.wait(10)
    with sessions() as session:
        seen['reader_saw'] = _count(session)  # the last commit, not the open write
    reader_done.set()
    writer.join(15)
    assert seen == {'reader_finished_meanwhile': True, 'reader_saw': 1}


def test_a_reader_that_then_writes_after_another_writer_gets_no_database_is_locked(sessions):
    # A deferred transaction whose snapshot is older than the last commit cannot be upgraded in place (SQLite
    # answers SQLITE_BUSY_SNAPSHOT at once); the first write must start from the newest commit instead.
    with sessions() as reader, sessions() as other:
        assert _count(reader) == 0
        _add_event(other, 'other')
        other.commit()
        _add_event(reader, 'reader')
        reader.commit()
        assert _count(reader) == 2


def test_two_writers_wait_for_each_other(sessions):
    errors = []

    def write_many(actor):
        try:
            for _ in range(30):
                with sessions() as session:
                    _count(session)
                    _add_event(session, actor)
                    session.commit()
        except Exception as exc:  # noqa: BLE001 - any failure, "database is locked" included, fails the test
            errors.append(repr(exc))

    threads = [threading.Thread(target=write_many, args=(f'w{i}',)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    with sessions() as session:
        assert _count(session) == 120
