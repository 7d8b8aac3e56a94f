"""Who calls: the directory of organisations and their certificates, and the check of a
cached caller.

- ``directory``: the repository of organisations and client certificates (and the
  directory's version that every change to them moves, on PostgreSQL).
- ``check``: on PostgreSQL, every transaction's ``BEGIN`` sent by the store, carrying
  the check of a caller the broker served from its cache against that version.

It may import the domain, the SQL machinery (``store.sql``) and the store's errors;
never the other repositories, the audit log's or the use cases.
"""
