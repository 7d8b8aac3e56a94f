"""How many request bytes each method accepts: more is refused before it is parsed.

grpc's ``grpc.max_receive_message_length`` is one ceiling for the whole server,
and a request under it is parsed on the event loop before any check of ours
runs: a 3.7 MB Struct of 190,000 fields, invalid by the documented limits,
took every other caller's calls with it while it was parsed. Each method's
limit is what its largest valid request can weigh, from the documented field
limits, so that nothing valid is refused and nothing much larger is parsed.
"""

from __future__ import annotations

from google.protobuf import descriptor_pool
from google.protobuf.descriptor import Descriptor

from luukku.domain.cases import MAX_DATA_BYTES, MAX_TEXT_BYTES

REQUEST_BYTES = 64 * 1024
"""Any request without record content: ids, short texts, an 8 KiB message, a ready
answer's three texts of 4000 characters (at most 48,000 bytes of UTF-8)."""

RECORD_REQUEST_BYTES = MAX_TEXT_BYTES + MAX_DATA_BYTES + 4 * 1024
"""A record's text and its data (each limited in serialised bytes), and its ids."""

_STRUCT = "google.protobuf.Struct"


def receive_limit(method: str) -> int:
    """The most request bytes ``method`` (a gRPC path, ``/package.Service/Method``) accepts."""
    service, _, name = method.lstrip("/").partition("/")
    try:
        described = descriptor_pool.Default().FindMethodByName(f"{service}.{name}")
    except KeyError:  # not a Luukku method (reflection): small requests too
        return REQUEST_BYTES
    return RECORD_REQUEST_BYTES if _carries_struct(described.input_type) else REQUEST_BYTES


def _carries_struct(message: Descriptor, seen: frozenset[str] = frozenset()) -> bool:
    for field in message.fields:
        inner = field.message_type
        if inner is None or inner.full_name in seen:
            continue
        if inner.full_name == _STRUCT or _carries_struct(inner, seen | {message.full_name}):
            return True
    return False
