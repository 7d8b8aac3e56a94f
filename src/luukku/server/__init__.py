"""The gRPC transport: a call passes the gate, reaches its servicer, and may stay live.

- ``gate/``: the call interceptor and what it runs before any servicer (identity
  from the certificate and the citizen's token, quotas, request decoding, errors
  as gRPC status, the request context, metrics and call logs).
- ``api/``: one servicer per service of ``luukku.v1``, each calling the use cases
  in ``luukku.service``; ``api/convert/`` turns protos into domain values and back.
- ``live/``: watch streams and the fan-out of events between them (in one
  process, or across replicas through PostgreSQL LISTEN/NOTIFY).
- Here: the wiring that starts a broker (``app``), the thread pool that runs the
  store's blocking work (``blocking``), the checkpoint signer and desk metrics.

It may import the use cases, the domain, the store (to open it and run it), the
audit log, the PKI and the generated ``luukku.v1`` code; never the web apps, the
CLI, the SDK or Starlette.
"""
