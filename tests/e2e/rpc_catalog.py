"""Every RPC of proto/luukku/v1, from the service descriptors: a new RPC is covered at once."""

from __future__ import annotations

from typing import Any

from luukku.v1 import (
    audit_pb2,
    cases_pb2,
    consents_pb2,
    desks_pb2,
    directory_pb2,
    ready_answers_pb2,
    representation_pb2,
    threads_pb2,
)

MODULES = (
    audit_pb2,
    cases_pb2,
    consents_pb2,
    desks_pb2,
    directory_pb2,
    ready_answers_pb2,
    representation_pb2,
    threads_pb2,
)


def all_methods() -> list[tuple[str, Any]]:
    """(path, method descriptor) of every RPC in proto/luukku/v1."""
    return [
        (f"/{service.full_name}/{method.name}", method)
        for module in MODULES
        for service in module.DESCRIPTOR.services_by_name.values()
        for method in service.methods
    ]
