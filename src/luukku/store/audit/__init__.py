"""The append-only audit log in the database: events, the Merkle tree, checkpoints.

``log`` is the repository (append, list, tree nodes, signed checkpoints);
``conditions`` the SQL conditions of its listings: whose events a viewer may see,
and the caller's filters; ``partitions`` the monthly partitions on PostgreSQL;
``archives`` reading a month out and moving it out of the database;
``archive_shelf`` archived months read back for the listings.

It may import the audit log's own types (``luukku.audit``), the domain and the
SQL machinery (``store.sql``); never the desks' repositories (``store.desks``).
"""
