"""Alembic environment: runs on the connection handed over by webapp.db.upgrade, or on the configured URL."""
from alembic import context
from sqlalchemy import create_engine

import webapp.models  # noqa: F401  (registers every table on Base.metadata)
from webapp.db import Base


config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    """Run the migrations online; SQLite needs batch mode to alter tables."""
    connection = config.attributes.get('connection')
    if connection is None:
        with create_engine(config.get_main_option('sqlalchemy.url')).begin() as conn:
            _run(conn)
    else:
        _run(connection)


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == 'sqlite')
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
