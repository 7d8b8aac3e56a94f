"""The Luukku Python SDK.

client = await Client.connect("localhost:50051", tls=TLSConfig.from_pki_dir("certs/dev", "my-org"))
me = await client.who_am_i()
"""

from luukku.client._client import Client
from luukku.client._config import Practitioner, TLSConfig
from luukku.client._errors import (
    AlreadyExistsError,
    FailedPreconditionError,
    FieldViolation,
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
    RPCError,
    UnauthenticatedError,
    UnavailableError,
)

__all__ = [
    "AlreadyExistsError",
    "Client",
    "FailedPreconditionError",
    "FieldViolation",
    "InvalidArgumentError",
    "NotFoundError",
    "PermissionDeniedError",
    "Practitioner",
    "RPCError",
    "TLSConfig",
    "UnauthenticatedError",
    "UnavailableError",
]
