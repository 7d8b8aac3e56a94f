"""The clerks' workspace: a server-rendered web app on the SDK, for the practitioners of a
member organisation (its desks' queues, the inquiries they claim, reply to and hand over).

It holds the organisation's certificate and acts as the practitioner its sign-in
named; it reaches the broker only through ``luukku.client`` and builds on
``luukku.web``; it never imports the store, the service layer, the server or the portal.
"""
