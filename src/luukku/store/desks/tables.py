"""The tables of shared service desks and their inquiries.

Declared on the schema's one ``MetaData`` (``tables.metadata``), so the
migration check sees them with the rest.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

from luukku.store.sql.tables import message_columns, metadata
from luukku.store.sql.types import UtcDateTime

desks = Table(
    "desks",
    metadata,
    Column("id", String(63), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("overflow_seconds", Integer(), nullable=False),
    Column("reopen_seconds", Integer(), nullable=False),
    # The rota in its file format (domain/desks/desks.py: parse_rota).
    Column("rota", Text(), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    # The newest entry of the desk's queue log, bumped under the desk's row lock.
    Column("queue_seq", BigInteger(), nullable=False, server_default="0"),
)

# A desk's topics in the order it lists them, with their names in fi, sv and en
# ("" until the operator names them).
desk_topics = Table(
    "desk_topics",
    metadata,
    Column("desk_id", String(63), ForeignKey("desks.id"), nullable=False),
    Column("topic", String(63), nullable=False),
    Column("position", Integer(), nullable=False),
    Column("name_fi", String(100), nullable=False),
    Column("name_sv", String(100), nullable=False),
    Column("name_en", String(100), nullable=False),
    PrimaryKeyConstraint("desk_id", "topic"),
)

desk_members = Table(
    "desk_members",
    metadata,
    Column("desk_id", String(63), ForeignKey("desks.id"), nullable=False),
    Column("org_id", String(63), ForeignKey("organizations.id"), nullable=False),
    Column("added_at", UtcDateTime(), nullable=False),
    PrimaryKeyConstraint("desk_id", "org_id"),
    Index(None, "org_id"),
)

inquiries = Table(
    "inquiries",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("desk_id", String(63), ForeignKey("desks.id"), nullable=False),
    # None for an anonymous inquiry: it carries no identity at all.
    Column("citizen_id", String(32), ForeignKey("citizens.id"), nullable=True),
    Column("channel", String(16), nullable=False),
    Column("topic", String(63), nullable=False),
    Column("municipality", String(100), nullable=False),
    Column("subject", String(200), nullable=False),
    # The claim is taken by a conditional UPDATE on this column: one wins.
    Column("status", String(16), nullable=False),
    Column("offered_to_org_id", String(63), nullable=True),
    Column("overflow_at", UtcDateTime(), nullable=False),
    Column("claimed_by_org_id", String(63), nullable=True),
    # The practitioner holding it (or who closed it); None while queued.
    Column("claimed_by_practitioner_id", String(200), nullable=True),
    Column("claimed_by_practitioner_name", String(200), nullable=True),
    Column("claimed_by_practitioner_role", String(200), nullable=True),
    Column("outcome", String(500), nullable=False),
    Column("case_id", String(32), ForeignKey("cases.id"), nullable=True),
    Column("created_by_org_id", String(63), ForeignKey("organizations.id"), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("closed_at", UtcDateTime(), nullable=True),
    # Bumped under the row lock by each message: gapless numbering, as for threads.
    Column("last_seq", BigInteger(), nullable=False),
    Column("request_id", String(128), nullable=True),
    # The language the citizen asked in (fi, sv, en); "" when not known.
    Column("language", String(2), nullable=False, server_default=""),
    # The citizen wrote after a clerk's answer, and no clerk has written since.
    Column("citizen_wrote_since_answer", Boolean(), nullable=False, server_default=false()),
    UniqueConstraint("created_by_org_id", "request_id"),
    Index(None, "desk_id", "status", "created_at"),
    Index(None, "citizen_id", "created_at"),
)

# An inquiry's history: asked, claimed, handed over (with the note), closed…
inquiry_steps = Table(
    "inquiry_steps",
    metadata,
    Column("inquiry_id", String(32), ForeignKey("inquiries.id"), nullable=False),
    Column("seq", Integer(), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("org_id", String(63), nullable=False),
    Column("practitioner_id", String(200), nullable=False),
    Column("practitioner_name", String(200), nullable=False),
    Column("practitioner_role", String(200), nullable=False),
    # Internal to the desk's members; public_note is what the citizen is told.
    Column("note", Text(), nullable=False),
    Column("to_org_id", String(63), nullable=True),
    Column("to_desk_id", String(63), nullable=True),
    Column("at", UtcDateTime(), nullable=False),
    Column("public_note", Text(), nullable=False, server_default=""),
    PrimaryKeyConstraint("inquiry_id", "seq"),
)

# The conversation of an inquiry, numbered like a thread's messages.
inquiry_messages = Table(
    "inquiry_messages",
    metadata,
    *message_columns("inquiry_id", "inquiries", corrects=False),
)

# Each desk's queue log: asked, claimed, handed over, closed, reopened, numbered
# 1, 2, 3… per desk without gaps (the desk's row lock serialises appends), so a
# queue watch resumes from a number. Who should hear of an entry is decided when
# it is written, when it is known who the inquiry was offered to.
desk_queue_entries = Table(
    "desk_queue_entries",
    metadata,
    Column("desk_id", String(63), ForeignKey("desks.id"), nullable=False),
    Column("seq", BigInteger(), nullable=False),
    Column("inquiry_id", String(32), ForeignKey("inquiries.id"), nullable=False),
    Column("kind", String(16), nullable=False),
    # The organisation that acted (the portal, for a citizen).
    Column("org_id", String(63), nullable=False),
    # The member it concerns besides the actor; None: every member of the desk.
    Column("visible_to_org_id", String(63), nullable=True),
    Column("at", UtcDateTime(), nullable=False),
    PrimaryKeyConstraint("desk_id", "seq"),
)
