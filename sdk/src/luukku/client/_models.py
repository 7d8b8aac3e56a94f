"""What the SDK's calls return: plain frozen dataclasses, not protobuf messages.

Field names are those of ``proto/luukku/v1``; enumerations are the string
enums of ``_enums``, times are aware ``datetime``s, and an unset optional
field is ``None``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from google.protobuf import json_format
from google.protobuf.timestamp_pb2 import Timestamp

from luukku.client._config import Practitioner
from luukku.client._enums import (
    CaseStatus,
    Category,
    ConsentState,
    OrganizationKind,
    OrganizationStatus,
    Outcome,
    Permission,
    from_proto,
)
from luukku.v1 import audit_pb2, cases_pb2, consents_pb2, directory_pb2, threads_pb2


def _time(ts: Timestamp) -> datetime:
    return ts.ToDatetime(tzinfo=UTC)


def _practitioner(p: directory_pb2.Practitioner) -> Practitioner:
    return Practitioner(p.id, p.display_name, p.role)


@dataclass(frozen=True)
class Organization:
    """A member organisation of the hub."""

    id: str
    name: str
    business_id: str
    kind: OrganizationKind
    status: OrganizationStatus
    create_time: datetime

    @classmethod
    def from_pb(cls, m: directory_pb2.Organization) -> Organization:
        return cls(
            m.id,
            m.name,
            m.business_id,
            from_proto(OrganizationKind, directory_pb2.OrganizationKind, m.kind),
            from_proto(OrganizationStatus, directory_pb2.OrganizationStatus, m.status),
            _time(m.create_time),
        )


@dataclass(frozen=True)
class Identity:
    """Who the broker takes the caller for (WhoAmI)."""

    organization: Organization
    certificate_fingerprint: str
    practitioner: Practitioner
    request_id: str
    citizen_id: str = ""
    """The opaque id of the citizen the calls act for (a portal's, on behalf of one), as
    :attr:`Message.author_citizen_id` names them; empty when they act for nobody."""

    @classmethod
    def from_pb(cls, m: directory_pb2.WhoAmIResponse) -> Identity:
        return cls(
            Organization.from_pb(m.organization),
            m.certificate_fingerprint,
            _practitioner(m.practitioner),
            m.request_id,
            m.citizen_id,
        )


@dataclass(frozen=True)
class Case:
    """A citizen's matter, owned by one organisation."""

    id: str
    citizen_id: str
    title: str
    category: Category
    owner_organization_id: str
    status: CaseStatus
    create_time: datetime
    close_time: datetime | None

    @classmethod
    def from_pb(cls, m: cases_pb2.Case) -> Case:
        return cls(
            m.id,
            m.citizen_id,
            m.title,
            from_proto(Category, cases_pb2.ServiceCategory, m.category),
            m.owner_organization_id,
            from_proto(CaseStatus, cases_pb2.CaseStatus, m.status),
            _time(m.create_time),
            _time(m.close_time) if m.HasField("close_time") else None,
        )


@dataclass(frozen=True)
class CaseAccess:
    """A case and what the caller may do with it now (as ``GetCase`` answers): the broker
    still decides each later call, so this says what to offer, not what will be allowed."""

    case: Case
    owner: bool
    """The caller's organisation owns the case (it may then do all)."""
    permissions: frozenset[Permission]
    """What the caller may do now: all for the owner, else what its active consents grant."""
    consent_ids: tuple[str, ...]
    """The caller's active consents covering the case, oldest first (none for the owner)."""

    @classmethod
    def from_pb(cls, m: cases_pb2.GetCaseResponse) -> CaseAccess:
        a = m.caller_access
        granted = (
            (Permission.READ, a.may_read),
            (Permission.WRITE, a.may_write_records),
            (Permission.DISCUSS, a.may_discuss),
        )
        return cls(
            Case.from_pb(m.case),
            a.owner,
            frozenset(p for p, allowed in granted if allowed),
            tuple(a.consent_ids),
        )


@dataclass(frozen=True)
class Record:
    """One revision of a record in a case."""

    case_id: str
    record_id: str
    revision: int
    kind: str
    text: str
    data: dict[str, Any] | None
    author_organization_id: str
    author: Practitioner
    create_time: datetime

    @classmethod
    def from_pb(cls, m: cases_pb2.Record) -> Record:
        return cls(
            m.case_id,
            m.record_id,
            m.revision,
            m.kind,
            m.text,
            json_format.MessageToDict(m.data) if m.HasField("data") else None,
            m.author_organization_id,
            _practitioner(m.author),
            _time(m.create_time),
        )


@dataclass(frozen=True)
class Consent:
    """A citizen's consent to one organisation, scoped to a case or a category."""

    id: str
    citizen_id: str
    organization_id: str
    case_id: str | None
    category: Category | None
    permissions: frozenset[Permission]
    purpose: str
    valid_from: datetime
    valid_until: datetime
    state: ConsentState
    revision: int
    create_time: datetime
    revoke_time: datetime | None

    @classmethod
    def from_pb(cls, m: consents_pb2.Consent) -> Consent:
        scope = m.WhichOneof("scope")
        return cls(
            m.id,
            m.citizen_id,
            m.organization_id,
            m.case_id if scope == "case_id" else None,
            from_proto(Category, cases_pb2.ServiceCategory, m.category)
            if scope == "category"
            else None,
            frozenset(
                from_proto(Permission, consents_pb2.ConsentPermission, p) for p in m.permissions
            ),
            m.purpose,
            _time(m.valid_from),
            _time(m.valid_until),
            from_proto(ConsentState, consents_pb2.ConsentState, m.state),
            m.revision,
            _time(m.create_time),
            _time(m.revoke_time) if m.HasField("revoke_time") else None,
        )


@dataclass(frozen=True)
class AuditEvent:
    """One access to a citizen's data, allowed or denied."""

    sequence: int
    id: str
    time: datetime
    organization_id: str
    certificate_fingerprint: str
    practitioner: Practitioner
    acting_for_citizen_id: str
    action: str
    resource: str
    subject_citizen_id: str
    outcome: Outcome
    reason: str
    consent_id: str
    request_id: str
    leaf_hash: str
    leaf_bytes: bytes
    """The exact leaf the hash covers (empty where fields are hidden from the caller)."""
    leaf_index: int
    """The event's leaf in the audit log's Merkle tree: ``sequence - 1``."""
    representative_name: str = ""
    """Who acted for the subject under a representation right, by name ("" otherwise)."""

    @classmethod
    def from_pb(cls, m: audit_pb2.AuditEvent) -> AuditEvent:
        return cls(
            m.sequence,
            m.id,
            _time(m.time),
            m.organization_id,
            m.certificate_fingerprint,
            _practitioner(m.practitioner),
            m.acting_for_citizen_id,
            m.action,
            m.resource,
            m.subject_citizen_id,
            from_proto(Outcome, audit_pb2.AuditOutcome, m.outcome),
            m.reason,
            m.consent_id,
            m.request_id,
            m.leaf_hash,
            m.leaf_bytes,
            m.leaf_index,
            m.representative_name,
        )


@dataclass(frozen=True)
class InclusionProof:
    """An event's place in the audit log's tree of ``tree_size`` leaves; check it with
    :func:`luukku.client.verify_inclusion` against a checkpoint's root.
    """

    sequence: int
    leaf_index: int
    tree_size: int
    leaf_hash: bytes
    leaf_bytes: bytes
    """The leaf's bytes; empty where fields of the event are hidden from the caller."""
    hashes: list[bytes]

    @classmethod
    def from_pb(cls, m: audit_pb2.GetInclusionProofResponse) -> InclusionProof:
        return cls(m.sequence, m.leaf_index, m.tree_size, m.leaf_hash, m.leaf_bytes, list(m.hashes))


@dataclass(frozen=True)
class ConsistencyProof:
    """That the audit log's tree of ``old_size`` leaves is a prefix of that of ``new_size``;
    check it with :func:`luukku.client.verify_consistency`.
    """

    old_size: int
    new_size: int
    hashes: list[bytes]

    @classmethod
    def from_pb(cls, m: audit_pb2.GetConsistencyProofResponse) -> ConsistencyProof:
        return cls(m.old_size, m.new_size, list(m.hashes))


@dataclass(frozen=True)
class AccessCount:
    """How many of the audit events one organisation's calls made were allowed and denied."""

    organization_id: str
    allowed: int
    denied: int

    @classmethod
    def from_pb(cls, m: audit_pb2.OrganizationAccessCount) -> AccessCount:
        return cls(m.organization_id, m.allowed, m.denied)


@dataclass(frozen=True)
class Thread:
    """A discussion on a case, as the caller sees it."""

    id: str
    case_id: str
    subject: str
    created_by_organization_id: str
    create_time: datetime
    last_sequence: int
    unread_count: int
    read_marks: tuple[ReadMark, ...] = ()
    """How far each participant has read (the caller included): filled by ``get_thread``
    only; other calls that return a thread leave it empty."""

    @classmethod
    def from_pb(
        cls, m: threads_pb2.Thread, read_marks: Iterable[threads_pb2.ReadMark] = ()
    ) -> Thread:
        return cls(
            m.id,
            m.case_id,
            m.subject,
            m.created_by_organization_id,
            _time(m.create_time),
            m.last_sequence,
            m.unread_count,
            tuple(ReadMark.from_pb(r) for r in read_marks),
        )


@dataclass(frozen=True)
class UnreadSummary:
    """The caller's unread messages across every thread it may discuss."""

    threads: tuple[Thread, ...]
    """Each thread with unread messages, the newest message first (at most 500 listed)."""
    unread_thread_count: int
    """How many threads have unread messages (all of them, listed or not)."""
    total_unread_count: int
    """The unread messages in all those threads together."""

    @classmethod
    def from_pb(cls, m: threads_pb2.SummarizeUnreadResponse) -> UnreadSummary:
        return cls(
            tuple(Thread.from_pb(t) for t in m.threads),
            m.unread_thread_count,
            m.total_unread_count,
        )


@dataclass(frozen=True)
class Message:
    """A message in a thread; ``corrects_sequence`` is 0 unless it corrects an earlier one."""

    thread_id: str
    sequence: int
    author_organization_id: str
    author: Practitioner
    author_citizen_id: str
    body: str
    corrects_sequence: int
    create_time: datetime

    @classmethod
    def from_pb(cls, m: threads_pb2.Message) -> Message:
        return cls(
            m.thread_id,
            m.sequence,
            m.author_organization_id,
            _practitioner(m.author),
            m.author_citizen_id,
            m.body,
            m.corrects_sequence,
            _time(m.create_time),
        )


@dataclass(frozen=True)
class ReadMark:
    """A participant has read a thread up to ``sequence`` (heard live while watching it, or
    as it stands in ``Thread.read_marks``).

    ``citizen_id`` is set when the citizen did (``organization_id`` is then
    the portal's); it is empty when an organisation did.
    """

    thread_id: str
    organization_id: str
    citizen_id: str
    sequence: int
    mark_time: datetime

    @classmethod
    def from_pb(cls, m: threads_pb2.ReadMark) -> ReadMark:
        return cls(m.thread_id, m.organization_id, m.citizen_id, m.sequence, _time(m.mark_time))
