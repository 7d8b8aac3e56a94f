"""Metrics and structured access logs. Neither ever carries personal data."""

from __future__ import annotations

import logging
import time

from prometheus_client import Counter, Gauge, Histogram

REQUESTS = Counter(
    "luukku_requests_total", "Calls served, by method and status code", ["method", "code"]
)
LATENCY = Histogram(
    "luukku_request_seconds",
    "Call latency by method (streams: until the stream ends)",
    ["method"],
    buckets=(0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
DENIALS = Counter("luukku_denials_total", "Calls refused, by ErrorInfo reason", ["reason"])
# Under ``serve --workers``: the open streams of the live workers, summed.
OPEN_STREAMS = Gauge(
    "luukku_open_streams", "Server streams currently open", multiprocess_mode="livesum"
)

_log = logging.getLogger("luukku.access")


def log_every_call(enabled: bool) -> None:
    """Log every call (INFO), or only calls that fail (WARNING), the default.

    Formatting a log record for every call cost the broker about a tenth of
    the time of a record read; the audit log and the metrics see every call anyway.
    """
    _log.setLevel(logging.INFO if enabled else logging.WARNING)


def record_call(
    method: str,
    code: str,
    started: float,
    *,
    request_id: str,
    org_id: str | None,
    reason: str | None,
) -> None:
    """Count and log one finished call."""
    elapsed = time.perf_counter() - started
    REQUESTS.labels(method, code).inc()
    LATENCY.labels(method).observe(elapsed)
    if reason and code in ("PERMISSION_DENIED", "UNAUTHENTICATED"):
        DENIALS.labels(reason).inc()
    level = logging.INFO if code == "OK" else logging.WARNING
    if _log.isEnabledFor(level):
        fields = {
            "event": "call",
            "method": method,
            "code": code,
            "reason": reason,
            "org": org_id,
            "request_id": request_id,
            "ms": round(elapsed * 1000, 3),
        }
        _log.log(level, "call %s %s", method, code, extra={"fields": fields})
