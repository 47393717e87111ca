"""Alembic environment, run programmatically by :func:`db.database.migrate`.

The caller passes an open connection in ``config.attributes["connection"]``; no alembic.ini and
no logging configuration are needed at run time.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from cccd_station.db.models import Base


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("db migrations run only through db.database.migrate(), with a connection")
run_migrations(connection)
