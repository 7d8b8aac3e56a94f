"""Shared service desks in the database: desks, their queues, inquiries, notes.

``tables`` are the desks' and inquiries' tables; ``desks`` the repository of
desks, their members, topics and rotas; ``queue`` the desks' queue logs and what
a queue watch reads besides them; ``inquiries`` inquiries with their steps and
conversation; ``inquiry_notes`` the clerks' internal notes (with their table);
``ready_answers`` the desks' stock replies in three languages (with their table);
``figures`` the read side: the desks' queue lengths and each inquiry's waits and
hand-overs, for the desk figures.

It may import the domain, the SQL machinery (``store.sql``) and the shared
``store.message_log``; never the audit log's repository (``store.audit``).
"""
