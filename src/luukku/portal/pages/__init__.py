"""The portal's pages, one module per thing a citizen does: their cases and records, the
consents they give and withdraw, who has looked at their data (with its glance chart),
their discussions, their questions to a desk, and the live updates on top of those pages.

Each handler reaches the broker through ``luukku.portal.web`` (the signed-in citizen's
SDK client) and renders the portal's templates; the pages may import each other's
helpers, ``luukku.client`` and ``luukku.web``, never the store, the service layer or the
server.
"""
