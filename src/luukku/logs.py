"""Log lines as operators expect them: one JSON object a line, and never personal data.

Luukku's own records carry their fields as ``extra={"fields": {...}}``. Any
other library's record (gRPC's own loggers, SQLAlchemy, Alembic) goes through
the same formatter, which masks anything shaped like a personal identity code
and keeps only the type and place of an exception: a traceback's text may
quote request data (gRPC's "Invalid encoding on b'…'" quotes a raw header).
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime
from typing import Any, TextIO

IDENTITY_CODE = re.compile(r"\b\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]\b")
_MAX_MESSAGE = 500


def masked(text: str) -> str:
    """``text`` with anything shaped like an identity code masked, cut to a sane length."""
    return IDENTITY_CODE.sub("[identity code]", text)[:_MAX_MESSAGE]


class JsonFormatter(logging.Formatter):
    """Formats a record as one JSON object on one line."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": masked(record.getMessage()),
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            line.update({k: masked(v) if isinstance(v, str) else v for k, v in fields.items()})
        if record.exc_info and record.exc_info[0] is not None:
            tb = record.exc_info[2]
            while tb is not None and tb.tb_next is not None:
                tb = tb.tb_next
            where = f"{tb.tb_frame.f_code.co_filename}:{tb.tb_lineno}" if tb else ""
            line["exception"] = {"type": record.exc_info[0].__name__, "at": where}
        return json.dumps(line, separators=(",", ":"), ensure_ascii=False, default=str)


def configure(*, verbose: bool, stream: TextIO) -> None:
    """Send every log record to ``stream`` as JSON lines."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    if not verbose:
        # Migrations run on every start; their progress is noise in one-line errors.
        logging.getLogger("alembic").setLevel(logging.WARNING)
