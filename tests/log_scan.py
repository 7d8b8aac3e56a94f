"""Scanning log records for personal identity codes (used by the autouse fixture and its test)."""

from __future__ import annotations

import json
import logging

from luukku.logs import IDENTITY_CODE


def identity_codes_in(records: list[logging.LogRecord]) -> list[str]:
    """Log records (logger: message) that quote anything shaped like an identity code."""
    found = []
    for record in records:
        text = record.getMessage()
        fields = getattr(record, "fields", None)
        if fields:
            text += " " + json.dumps(fields, default=str)
        if IDENTITY_CODE.search(text):
            found.append(f"{record.name}: {text[:200]}")
    return found
