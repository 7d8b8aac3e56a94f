"""A fresh PostgreSQL schema for a bench run, dropped when the run ends."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from luukku.store.engine import normalise_url


@contextmanager
def fresh_schema(database_url: str, prefix: str = "bench") -> Iterator[str]:
    """Create an empty schema in ``database_url``; yield a URL whose search path is it.

    Brokers and stores opened on the yielded URL migrate the schema on start;
    it is dropped, with everything in it, on leaving.
    """
    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(normalise_url(database_url))
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            yield (
                make_url(normalise_url(database_url))
                .update_query_dict({"options": f"-csearch_path={schema}"})
                .render_as_string(hide_password=False)
            )
        finally:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    finally:
        admin.dispose()
