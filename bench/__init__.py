"""``make bench``: what the broker costs, measured from outside the package.

- ``python -m bench`` (``__main__``, ``--quick`` for a smoke run): the broker against a
  bare grpc.aio echo server on the same machine, phase by phase (``phases/``), the
  citizens' portal among them (``portal/``);
- ``python -m bench.audit_log``: the audit log's tree on a log of a million events;
- ``python -m bench.replicas --database URL``: two brokers sharing one PostgreSQL;
- ``python -m bench.desks``: a shared service desk's claim race and queue watchers.

``harness/`` is what they share. Every server and load generator is a separate process,
all traffic mutual TLS on loopback. The benches reach the hub only as its users and
operators do: the ``luukku`` command, the SDK (``luukku.client``, ``luukku.verify``)
and the store's bulk loader (``luukku.store.bulk``, with the domain values it takes).
"""
