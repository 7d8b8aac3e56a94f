"""The Luukku Python SDK.

client = await Client.connect("localhost:50051", tls=TLSConfig.from_pki_dir("certs/dev", "my-org"))
me = await client.who_am_i()
"""

from luukku.client._client import Client
from luukku.client._config import Practitioner, TLSConfig
from luukku.client._consent_requests import ConsentRequest
from luukku.client._desk_models import (
    Desk,
    DeskTopic,
    Inquiry,
    InquiryNote,
    InquiryStep,
    QueueEntry,
)
from luukku.client._desks import InquiryEvent
from luukku.client._enums import (
    CaseStatus,
    Category,
    ConsentRequestState,
    ConsentState,
    InquiryChannel,
    InquiryStatus,
    InquiryStepKind,
    OrganizationKind,
    OrganizationStatus,
    Outcome,
    Permission,
    QueueEntryKind,
)
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
from luukku.client._models import (
    AccessCount,
    AuditEvent,
    Case,
    Consent,
    ConsistencyProof,
    Identity,
    InclusionProof,
    Message,
    Organization,
    ReadMark,
    Record,
    Thread,
    UnreadSummary,
)
from luukku.verify.identity_code import is_valid_identity_code
from luukku.verify.transparency_log import (
    Checkpoint,
    VerificationError,
    leaf_hash,
    verify_checkpoint,
    verify_consistency,
    verify_inclusion,
)

__all__ = [
    "AccessCount",
    "AlreadyExistsError",
    "AuditEvent",
    "Case",
    "CaseStatus",
    "Category",
    "Checkpoint",
    "Client",
    "Consent",
    "ConsentRequest",
    "ConsentRequestState",
    "ConsentState",
    "ConsistencyProof",
    "Desk",
    "DeskTopic",
    "FailedPreconditionError",
    "FieldViolation",
    "Identity",
    "InclusionProof",
    "Inquiry",
    "InquiryChannel",
    "InquiryEvent",
    "InquiryNote",
    "InquiryStatus",
    "InquiryStep",
    "InquiryStepKind",
    "InvalidArgumentError",
    "Message",
    "NotFoundError",
    "Organization",
    "OrganizationKind",
    "OrganizationStatus",
    "Outcome",
    "Permission",
    "PermissionDeniedError",
    "Practitioner",
    "QueueEntry",
    "QueueEntryKind",
    "RPCError",
    "ReadMark",
    "Record",
    "TLSConfig",
    "Thread",
    "UnauthenticatedError",
    "UnavailableError",
    "UnreadSummary",
    "VerificationError",
    "is_valid_identity_code",
    "leaf_hash",
    "verify_checkpoint",
    "verify_consistency",
    "verify_inclusion",
]
