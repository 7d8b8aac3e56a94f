"""Domain rules: plain dataclasses and pure functions, no I/O.

- ``desks/``: shared service desks: desks with their topics and rota, inquiries
  (routing, claiming, hand-over, closing), the queue as its members watch it,
  and the clerks' internal notes.
- ``representation/``: acting for another person: rights (kind, mandate codes,
  validity, source), blockers, a minor's capacity, and the decision.
- Here: who calls (``caller``) and the access rule (``access``), cases and
  records, consents, threads, organisations with their business ids, the events
  use cases emit, the free text a caller may store, and the errors they raise.

It imports nothing of Luukku outside the domain (no store, no use case, no
transport), nor grpc or SQLAlchemy; the modules here do not import ``desks/``.
"""
