"""A fresh PostgreSQL schema for a bench run, dropped when the run ends."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import psycopg


def _libpq(database_url: str) -> str:
    """``postgresql+psycopg://…`` (SQLAlchemy's spelling) as libpq takes it."""
    scheme, rest = database_url.split("://", 1)
    return f"{scheme.split('+', 1)[0]}://{rest}"


@contextmanager
def fresh_schema(database_url: str, prefix: str = "bench") -> Iterator[str]:
    """Create an empty schema in ``database_url``; yield a URL whose search path is it.

    Brokers and stores opened on the yielded URL migrate the schema on start;
    it is dropped, with everything in it, on leaving.
    """
    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
    url = _libpq(database_url)
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
        try:
            parts = urlsplit(url)
            query = [*parse_qsl(parts.query), ("options", f"-csearch_path={schema}")]
            yield urlunsplit(parts._replace(query=urlencode(query)))
        finally:
            admin.execute(f'DROP SCHEMA "{schema}" CASCADE')


def relation_bytes(schema_url: str, table: str) -> int:
    """Bytes ``table`` takes on disk with its indexes (and its partitions', if partitioned)."""
    with psycopg.connect(_libpq(schema_url)) as conn:
        # pg_partition_tree lists a partitioned table's partitions, and nothing of a plain one.
        row = conn.execute(
            "SELECT greatest(pg_total_relation_size(%(t)s::regclass),"
            " (SELECT coalesce(sum(pg_total_relation_size(relid)), 0)"
            " FROM pg_partition_tree(%(t)s::regclass)))::bigint",
            {"t": table},
        ).fetchone()
    return int(row[0]) if row is not None else 0
