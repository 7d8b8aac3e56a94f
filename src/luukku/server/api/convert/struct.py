"""A record's structured data: a protobuf Struct checked and turned into plain Python values.

``json_format.MessageToDict`` accepts what no JSON column can hold (NaN and
infinities) and recurses as deep as the sender nests; this walk refuses both,
and the same characters free text refuses.
"""

from __future__ import annotations

import math
from typing import Any

from google.protobuf import struct_pb2

from luukku.domain.errors import invalid_argument
from luukku.domain.text import storable_text

MAX_DEPTH = 20


def struct_data(data: struct_pb2.Struct) -> dict[str, Any]:
    """The Struct as a dict, else INVALID_ARGUMENT naming the offending path."""
    return _struct(data, "data", 1)


def _struct(data: struct_pb2.Struct, path: str, depth: int) -> dict[str, Any]:
    if depth > MAX_DEPTH:
        raise invalid_argument("INVALID_DATA", path, f"nested deeper than {MAX_DEPTH} levels")
    return {
        storable_text(key, path): _value(value, f"{path}.{key}", depth)
        for key, value in data.fields.items()
    }


def _value(value: struct_pb2.Value, path: str, depth: int) -> Any:
    kind = value.WhichOneof("kind")
    if kind == "number_value":
        if not math.isfinite(value.number_value):
            raise invalid_argument("INVALID_DATA", path, "numbers must be finite")
        return value.number_value
    if kind == "string_value":
        return storable_text(value.string_value, path)
    if kind == "bool_value":
        return value.bool_value
    if kind == "struct_value":
        return _struct(value.struct_value, path, depth + 1)
    if kind == "list_value":
        if depth + 1 > MAX_DEPTH:
            raise invalid_argument("INVALID_DATA", path, f"nested deeper than {MAX_DEPTH} levels")
        return [_value(v, f"{path}[{i}]", depth + 1) for i, v in enumerate(value.list_value.values)]
    return None  # null_value, or a Value with nothing set: JSON null
