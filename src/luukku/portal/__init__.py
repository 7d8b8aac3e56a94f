"""The citizen's portal: a server-rendered web app on the SDK, acting for the signed-in citizen.

Read top-down: ``app`` maps each address to a handler; ``signin`` lets the citizen in;
``pages/`` holds the handlers, one module per thing a citizen does, and their live
updates; ``web`` is what the handlers share (the app's state, the citizen's SDK client,
rendering), with ``unread`` (the navigation's unread count), ``proofs`` (the access
log's inclusion proofs) and ``words`` (the broker's values in the reader's language);
``config`` and ``serve`` start it.

It reaches the broker only through ``luukku.client`` as the PORTAL organisation and
builds on ``luukku.web``; it never imports the store, the service layer or the server.
"""
