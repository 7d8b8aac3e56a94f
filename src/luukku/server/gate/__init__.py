"""The gate every call passes before a servicer runs: who calls, whether it may, how it ends.

The interceptor authenticates the caller (the client certificate's organisation,
the practitioner it asserts, the citizen's signed token), applies the per
organisation quotas, decodes the request, binds the request context, audits a
refused call, turns a ``LuukkuError`` into a gRPC status with ``ErrorInfo`` and
counts the call in metrics and logs.

It may import the use cases it needs to decide (``service.directory``,
``service.audit.refused_calls``, ``service.access.call_audit``), the store runner
(``server.blocking``), the domain and the PKI; never a servicer (``server.api``)
nor a stream (``server.live``): those come after it.
"""
