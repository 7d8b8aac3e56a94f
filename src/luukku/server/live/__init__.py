"""Calls that stay open: watch streams and the fan-out of events that feeds them.

``watch`` runs one stream (backlog, then live, access checked again on its
schedule); ``thread``, ``inquiry``, ``queue`` and ``audit`` are its kinds.
``fanout`` delivers events inside one process, ``pg_fanout`` across replicas over
PostgreSQL LISTEN/NOTIFY, and ``directory`` ends the streams of a caller whose
certificate or organisation stops being valid.

It may import the use cases, the domain, the store runner (``server.blocking``)
and the converters (``server.api.convert``); never the gate, nor a servicer.
"""
