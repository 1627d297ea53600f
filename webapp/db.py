"""One engine per app, one session per app context, and the schema kept up to date by Alembic."""
import re
from pathlib import Path

from alembic import command
from alembic.config import Config
from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from webapp.config import make_private_dir


MIGRATIONS_DIR = Path(__file__).parent / 'migrations'


class Base(DeclarativeBase):
    """Declarative base of every model."""


# The largest record number: every id column is a (32-bit) INTEGER on PostgreSQL. A larger number typed in a URL, a
# form or on the command line names no record; handed to the database it would fail there instead.
MAX_RECORD_NUMBER = 2 ** 31 - 1


def record_number(value: object) -> int | None:
    """Return `value` ('12', 12) as a record number, or None if no record can have it (not ASCII digits, too big)."""
    text = str(value).strip() if value is not None else ''
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= MAX_RECORD_NUMBER else None


def make_engine(url: str) -> Engine:
    """Create the engine; SQLite gets WAL, foreign keys, a busy timeout, and the write lock only to write."""
    if not url.startswith('sqlite'):
        return create_engine(url, pool_pre_ping=True)
    path = None
    if url.startswith('sqlite:///') and url not in ('sqlite://', 'sqlite:///:memory:'):
        # Health data of minors: the folder and the database are readable by their owner only.
        path = Path(url.removeprefix('sqlite:///'))
        if not path.parent.exists():
            make_private_dir(path.parent)
    engine = create_engine(url, connect_args={'timeout': 15})

    @event.listens_for(engine, 'connect')
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy, not pysqlite, decide when transactions begin (see the 'begin' hook below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute('PRAGMA journal_mode=WAL')
        cursor.execute('PRAGMA foreign_keys=ON')
        cursor.execute('PRAGMA busy_timeout=15000')
        cursor.close()
        if path is not None and path.exists():
            path.chmod(0o600)

    @event.listens_for(engine, 'begin')
    def _on_begin(conn):
        # A deferred BEGIN: a reading request takes no lock at all (WAL lets it read beside the one writer).
        conn.info['writing'] = False
        conn.exec_driver_sql('BEGIN')

    @event.listens_for(engine, 'before_cursor_execute')
    def _before_write(conn, cursor, statement, _parameters, _context, _executemany):
        # The first write of a transaction takes the write lock up front (BEGIN IMMEDIATE), so two writers wait
        # for each other (busy_timeout) instead of one failing with "database is locked" when its read snapshot
        # tries to become a write. What it read before is ended first: from here on it reads the newest commit,
        # as PostgreSQL's READ COMMITTED does; Case.version still refuses a lost update.
        if conn.info.get('writing', True) or not _WRITES.match(statement):
            return
        dbapi_connection = cursor.connection
        if dbapi_connection.in_transaction:
            dbapi_connection.execute('COMMIT')
        dbapi_connection.execute('BEGIN IMMEDIATE')
        conn.info['writing'] = True

    return engine


# Statements that change the database; anything else (SELECT, PRAGMA reads) runs under the deferred BEGIN.
_WRITES = re.compile(r'\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER)\b', re.IGNORECASE)


def init_app(app: Flask) -> None:
    """Attach the engine and session factory to `app`; sessions close with the app context."""
    engine = make_engine(app.config['DATABASE_URL'])
    app.extensions['traject_db'] = sessionmaker(bind=engine, expire_on_commit=False)
    app.teardown_appcontext(_close_session)


def get_engine(app: Flask | None = None) -> Engine:
    """Return the engine of `app` (default: the current app)."""
    return (app or current_app).extensions['traject_db'].kw['bind']


def session() -> Session:
    """Return the unit of work of the current app context."""
    if 'db_session' not in g:
        g.db_session = current_app.extensions['traject_db']()
    return g.db_session


def _close_session(_exc) -> None:
    db_session = g.pop('db_session', None)
    if db_session is not None:
        db_session.close()


def alembic_config(url: str) -> Config:
    """Return an Alembic configuration pointing at the bundled migrations and `url`."""
    cfg = Config()
    cfg.set_main_option('script_location', str(MIGRATIONS_DIR))
    cfg.set_main_option('sqlalchemy.url', url.replace('%', '%%'))
    return cfg


def upgrade(app: Flask | None = None) -> None:
    """Bring the database up to the newest migration; a new, empty database gets the whole schema."""
    app = app or current_app
    cfg = alembic_config(app.config['DATABASE_URL'])
    with get_engine(app).begin() as connection:
        cfg.attributes['connection'] = connection
        command.upgrade(cfg, 'head')
