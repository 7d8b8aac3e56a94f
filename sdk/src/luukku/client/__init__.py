"""The Luukku Python SDK.

client = await Client.connect("localhost:50051", tls=TLSConfig.from_pki_dir("certs/dev", "my-org"))
me = await client.who_am_i()

The public names are those of ``__all__`` (a test pins them); the implementation is
private: the client and its configuration (``_client``, ``_config``, ``_targets``), its
calls by service family (``_calls/``), what they return (``_models``, ``_desk_models``,
``_enums``) and the typed errors (``_errors``). It imports only the generated
``luukku.v1`` code and ``luukku.verify``: nothing of the hub.
"""

from luukku.client._calls.desks import InquiryEvent
from luukku.client._calls.ready_answers import ReadyAnswer
from luukku.client._calls.representation import (
    CapacityJudgement,
    RepresentationBlocker,
    RepresentationRight,
    RepresentationRights,
)
from luukku.client._client import Client
from luukku.client._config import Practitioner, TLSConfig
from luukku.client._desk_figures import DeskFigures, MemberFigures, WaitFigures
from luukku.client._desk_models import (
    ConsentRequest,
    Desk,
    DeskShift,
    DeskTopic,
    Inquiry,
    InquiryAsker,
    InquiryNote,
    InquiryStep,
    QueueEntry,
)
from luukku.client._enums import (
    CaseStatus,
    Category,
    ConsentRequestState,
    ConsentState,
    InquiryChannel,
    InquiryStatus,
    InquiryStepKind,
    MandateCode,
    MinorCapacity,
    OrganizationKind,
    OrganizationStatus,
    Outcome,
    Permission,
    QueueEntryKind,
    RepresentationBlockerKind,
    RepresentationKind,
    RepresentationSource,
    RepresentationState,
)
from luukku.client._errors import (
    AbortedError,
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
    CaseAccess,
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
from luukku.client._names import claimed_name, plain_name
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
    "AbortedError",
    "AccessCount",
    "AlreadyExistsError",
    "AuditEvent",
    "CapacityJudgement",
    "Case",
    "CaseAccess",
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
    "DeskFigures",
    "DeskShift",
    "DeskTopic",
    "FailedPreconditionError",
    "FieldViolation",
    "Identity",
    "InclusionProof",
    "Inquiry",
    "InquiryAsker",
    "InquiryChannel",
    "InquiryEvent",
    "InquiryNote",
    "InquiryStatus",
    "InquiryStep",
    "InquiryStepKind",
    "InvalidArgumentError",
    "MandateCode",
    "MemberFigures",
    "Message",
    "MinorCapacity",
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
    "ReadyAnswer",
    "Record",
    "RepresentationBlocker",
    "RepresentationBlockerKind",
    "RepresentationKind",
    "RepresentationRight",
    "RepresentationRights",
    "RepresentationSource",
    "RepresentationState",
    "TLSConfig",
    "Thread",
    "UnauthenticatedError",
    "UnavailableError",
    "UnreadSummary",
    "VerificationError",
    "WaitFigures",
    "claimed_name",
    "is_valid_identity_code",
    "leaf_hash",
    "plain_name",
    "verify_checkpoint",
    "verify_consistency",
    "verify_inclusion",
]
