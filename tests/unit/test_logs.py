"""Log lines: JSON objects, one a line, with identity codes masked and no traceback text."""

from __future__ import annotations

import json
import logging
import sys

from log_scan import identity_codes_in

from luukku.logs import JsonFormatter


def _record(message: str, *args: object, exc: bool = False) -> logging.LogRecord:
    exc_info = None
    if exc:
        try:
            raise UnicodeDecodeError("utf-8", b"120256-995W\xff", 11, 12, "invalid start byte")
        except UnicodeDecodeError:
            exc_info = sys.exc_info()
    return logging.LogRecord(
        "grpc._cython.cygrpc", logging.ERROR, "x.py", 1, message, args, exc_info
    )


def test_a_record_becomes_one_json_object_on_one_line():
    line = JsonFormatter().format(_record("listening on %s", "127.0.0.1:50051"))

    assert "\n" not in line
    parsed = json.loads(line)
    assert (parsed["level"], parsed["logger"], parsed["message"]) == (
        "ERROR",
        "grpc._cython.cygrpc",
        "listening on 127.0.0.1:50051",
    )


def test_an_identity_code_quoted_by_grpc_is_masked_and_the_traceback_left_out():
    record = _record("Invalid encoding on %r", b"120256-995W\xff", exc=True)

    line = JsonFormatter().format(record)

    assert "120256-995W" not in line
    assert "[identity code]" in line
    parsed = json.loads(line)
    assert parsed["exception"]["type"] == "UnicodeDecodeError"
    assert "Traceback" not in line


def test_the_suites_log_scan_finds_an_identity_code_in_a_message_or_in_fields():
    quoted = _record("acting for %s", "131052-308T")
    in_fields = _record("call")
    in_fields.fields = {"request_id": "010190-900P"}  # type: ignore[attr-defined]
    clean = _record("call %s", "WhoAmI")

    assert len(identity_codes_in([quoted, in_fields, clean])) == 2


def test_a_record_with_fields_keeps_its_message_and_masks_the_fields() -> None:
    record = logging.LogRecord(
        "luukku.portal", logging.WARNING, __file__, 1, "sign-in failed", (), None
    )
    record.fields = {"error": "claim 010190-900P refused", "attempts": 2}
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "sign-in failed"
    assert line["attempts"] == 2
    assert "010190-900P" not in line["error"]
