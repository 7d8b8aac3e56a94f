"""The SQL machinery below the repositories: schema, engines, statements, durability.

``tables`` holds the core tables on the one ``metadata`` (the desks' tables add
theirs in ``store.desks``) with the column ``types`` they share; ``engine``
creates SQLite and PostgreSQL engines and runs the Alembic migrations;
``statements`` compiles hot-path statements once per dialect; ``durability`` is
SQLite's group commit.

It may import the store's errors (``store.errors``) only: no repository, no
domain rule.
"""
