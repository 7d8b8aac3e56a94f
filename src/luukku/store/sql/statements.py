"""Hot-path statements: compiled once per dialect, run straight on the driver.

SQLAlchemy's per-execution machinery (compiled-cache lookup, execution context,
events, result objects) costs several times what SQLite spends on an indexed
lookup, and the lookups behind every call (the caller's certificate, the case,
the consents, the audit insert) run thousands of times a second. A
``Statement`` is still built with SQLAlchemy and compiled by the connection's
own dialect, so it is the same SQL with the same type conversions; only the
execution skips the machinery. It runs on the connection's open transaction.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, cast

from psycopg import RawCursor
from sqlalchemy import Connection, Engine
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.selectable import SelectBase

Row = dict[str, Any]
# A row's fields by column name: a ``Row`` here or SQLAlchemy's ``RowMapping``.
Fields = Mapping[Any, Any]
_Processor = Callable[[Any], Any] | None


# A bound parameter of SQLAlchemy's psycopg dialect (``%(name)s``), or a literal ``%``.
_PYFORMAT = re.compile(r"%%|%\((\w+)\)s")


def _numbered(sql: str) -> tuple[str, list[str]]:
    """``sql`` with PostgreSQL's own placeholders (``$1``, one a name), and the names in order.

    Converted once here, the statement goes to psycopg as it goes to the server:
    psycopg's own conversion of ``%(name)s`` ran on every execution, and a long
    statement (the audit append with its tree nodes) was parsed anew every time.
    """
    names: list[str] = []

    def number(found: re.Match[str]) -> str:
        name = found.group(1)
        if name is None:
            return "%"
        if name not in names:
            names.append(name)
        return f"${names.index(name) + 1}"

    return _PYFORMAT.sub(number, sql), names


class _Compiled:
    """One statement as one dialect runs it: SQL text, parameter order, converters."""

    def __init__(self, statement: ClauseElement, dialect: Dialect) -> None:
        compiled = cast(SQLCompiler, statement.compile(dialect=dialect))
        self.sql = compiled.string
        self.positional = compiled.positional
        names = list(compiled.positiontup or ()) if compiled.positional else list(compiled.binds)
        self.raw = dialect.name == "postgresql"
        """Run with psycopg's ``RawCursor``: PostgreSQL's placeholders, no conversion per run."""
        if self.raw:
            assert dialect.paramstyle == "pyformat", dialect.paramstyle
            self.sql, names = _numbered(self.sql)
            self.positional = True
        # Literals in the statement (a LIMIT, say) are binds with a value of their own.
        self.constants = {
            name: bind.value for name, bind in compiled.binds.items() if not bind.required
        }
        self.params: list[tuple[str, _Processor]] = [
            (name, _bind_processor(compiled.binds[name].type, dialect)) for name in names
        ]
        self.columns: list[tuple[str, _Processor]] = []
        if isinstance(statement, SelectBase):
            for column in statement.selected_columns:
                impl = column.type.dialect_impl(dialect)
                self.columns.append((str(column.key), impl.result_processor(dialect, None)))
            keys = [key for key, _ in self.columns]
            if len(set(keys)) != len(keys):
                raise ValueError(f"ambiguous column names in {keys}")

    def bind(self, values: Mapping[str, Any]) -> Sequence[Any] | dict[str, Any]:
        if self.constants:
            values = {**self.constants, **values}
        processed = [(name, fn(values[name]) if fn else values[name]) for name, fn in self.params]
        if self.positional:
            return [value for _, value in processed]
        return dict(processed)

    def row(self, raw: Sequence[Any]) -> Row:
        return {
            key: fn(value) if fn else value
            for (key, fn), value in zip(self.columns, raw, strict=True)
        }


def _bind_processor(type_: Any, dialect: Dialect) -> _Processor:
    processor: _Processor = type_.dialect_impl(dialect).bind_processor(dialect)
    return processor


class Statement:
    """A SQLAlchemy statement with named ``bindparam``s, run without the per-call overhead."""

    def __init__(self, statement: ClauseElement) -> None:
        self._statement = statement
        self._by_dialect: dict[str, _Compiled] = {}

    def all(self, conn: Connection, values: Mapping[str, Any]) -> list[Row]:
        """Every row, as dicts keyed by column name."""
        compiled, cursor = self._run(conn, values)
        try:
            return [compiled.row(raw) for raw in cursor.fetchall()]
        finally:
            cursor.close()

    def first(self, conn: Connection, values: Mapping[str, Any]) -> Row | None:
        """The first row, or None."""
        compiled, cursor = self._run(conn, values)
        try:
            raw = cursor.fetchone()
        finally:
            cursor.close()
        return compiled.row(raw) if raw is not None else None

    def execute(self, conn: Connection, values: Mapping[str, Any]) -> int:
        """Run an INSERT, UPDATE or DELETE; the number of rows it touched."""
        _, cursor = self._run(conn, values)
        try:
            return int(cursor.rowcount)
        finally:
            cursor.close()

    def _run(self, conn: Connection, values: Mapping[str, Any]) -> tuple[_Compiled, Any]:
        dialect = conn.dialect
        compiled = self._by_dialect.get(dialect.name)
        if compiled is None:
            compiled = self._by_dialect[dialect.name] = _Compiled(self._statement, dialect)
        params = compiled.bind(values)
        dbapi_connection: Any = conn.connection.dbapi_connection
        cursor = RawCursor(dbapi_connection) if compiled.raw else dbapi_connection.cursor()
        try:
            cursor.execute(compiled.sql, params)
        except dialect.loaded_dbapi.Error as exc:
            cursor.close()
            # The same exception classes SQLAlchemy raises (IntegrityError, ...),
            # and, as everywhere in this store, without the bound values.
            raise DBAPIError.instance(
                compiled.sql,
                None,
                exc,
                dialect.loaded_dbapi.Error,
                hide_parameters=True,
                dialect=dialect,
            ) from exc
        return compiled, cursor


def copied_rows(engine: Engine, sql: str) -> Iterator[list[str | None]]:
    """PostgreSQL: the rows of ``sql``, a ``COPY (...) TO STDOUT`` (text format), as the
    server streams them: each row its columns as text, None for NULL.

    The server writes rows while the reader works on the ones before. It runs on
    a connection of its own, outside any transaction (the broker's connections
    are in the driver's autocommit mode): one statement, one snapshot; the
    connection the caller holds stays free for other reads meanwhile. Leaving
    the iteration early cancels the COPY.

    Parsed here rather than by the driver's typed rows, at half the cost: split
    at the tabs, and only a row with a backslash other than its NULLs' ``\\N``
    unescaped field by field (``_unescaped``).
    """
    with engine.connect() as conn:
        dialect = conn.dialect
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            with cursor.copy(sql) as copy:
                for data in copy:
                    line = str(data, "utf-8")
                    fields: list[str | None] = line[:-1].split("\t")  # type: ignore[assignment]
                    nulls = fields.count(_NULL)
                    if line.count("\\") != nulls:
                        fields = [_unescaped(f) for f in fields]  # type: ignore[arg-type]
                    elif nulls:
                        fields = [None if f == _NULL else f for f in fields]
                    yield fields
        except dialect.loaded_dbapi.Error as exc:
            raise DBAPIError.instance(
                sql, None, exc, dialect.loaded_dbapi.Error, hide_parameters=True, dialect=dialect
            ) from exc
        finally:
            cursor.close()


_NULL = "\\N"
"""A NULL in COPY's text format; a field that is text ``\\N`` is written ``\\\\N``."""
_ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\"}
"""The backslash sequences COPY TO writes (never octal or hex ones: PostgreSQL's COPY docs)."""
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)


def _unescaped(field: str) -> str | None:
    """A field of COPY's text format as the value it stands for; ValueError for a sequence
    COPY TO does not write (refused rather than guessed)."""
    if field == _NULL:
        return None

    def one(found: re.Match[str]) -> str:
        try:
            return _ESCAPES[found[1]]
        except KeyError:
            raise ValueError(f"COPY wrote an unknown escape \\{found[1]}") from None

    return _ESCAPE.sub(one, field)
