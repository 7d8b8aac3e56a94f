"""Storage: what the use cases reach through one transaction, and nothing else imports SQLAlchemy.

- ``sql/``: the machinery below the repositories: the schema's core tables and
  column types, the engines and migration, hot-path statements, group commit.
- ``desks/``: shared service desks: their tables, desks with members and rotas,
  the queue log, inquiries with their conversation, the internal notes.
- ``representation/``: rights to act for another person, the orders that bar
  them, minors' capacity judgements, and the population-register import.
- ``audit/``: the append-only audit log (events, tree, checkpoints) and the SQL
  conditions of its listings.
- ``callers/``: the directory of organisations and certificates, and the check of
  a cached caller that PostgreSQL transactions begin with.
- Here: the store's surface for the layers above: the unit of work (``uow``:
  ``Store`` and a transaction's repositories), ``opening`` a store, its own
  failures (``errors``), the ``bulk`` loader (the one other writer of the schema,
  for the benchmark) and PostgreSQL ``notices`` between replicas; and the
  repositories of citizens, cases, consents and threads, with the
  numbered ``message_log`` a thread and an inquiry share. Alembic's ``migrations/``
  stay here, where ``sql.engine`` points Alembic at them.

It may import the domain and the audit log's own types (``luukku.audit``); never
the use cases, the transport, the web apps, the CLI or the SDK.
"""
