"""Shared service desks: a citizen asks, one clerk claims, hands over and closes.

``asking`` creates, gets and lists inquiries; ``inquiry`` is who may see one
and how it is shown; ``handling`` is claim, hand over, close, reopen and link
a case; ``conversation`` the inquiry's messages; ``queue_watching`` and
``inquiry_watching`` the access side of their live streams; ``askers`` who is
asking, for the organisation handling an inquiry; ``figures`` the
desk's waiting times and queue lengths; ``notes`` the clerks' internal notes;
``ready_answers`` the desk's stock replies; ``consent_requests`` a clerk's request
for the citizen's consent; ``admin`` the operator's commands and the public desk list.

It may import the access guard, the shared request helpers and watch grants,
the domain and the store; never the transport (``luukku.server``).
"""
