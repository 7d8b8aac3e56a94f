"""The servicers: one per service of ``luukku.v1``, each method a use case of ``luukku.service``.

A servicer reads the caller from the request context the gate bound, converts
the request (``api/convert/``), runs the use case on the store runner and
converts the answer back; a watch method hands over to a stream of ``server.live``.

It may import the use cases, the gate's request context, ``server.live``, the
runtime (``server.blocking``, ``server.desk_metrics``) and the generated code.
"""
