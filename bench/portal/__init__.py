"""``python -m bench``'s portal phase: citizens browsing a real portal on a real broker.

``seed`` writes their cases, records and discussions through the SDK, ``load`` is the
browsing citizens' process (httpx), ``phase`` starts the portal and reads the figures.
"""
