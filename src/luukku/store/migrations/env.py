"""Alembic environment: migrations run on a connection the broker hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from luukku.store.audit.partitions import undeclared
from luukku.store.sql.tables import metadata

config = context.config
connection = config.attributes.get("connection")

if connection is None:
    # Plain `alembic` command line use: connect from the configured URL.
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as conn:
        context.configure(connection=conn, target_metadata=metadata, include_object=undeclared)
        context.run_migrations()
else:
    context.configure(connection=connection, target_metadata=metadata, include_object=undeclared)
    with context.begin_transaction():
        context.run_migrations()
