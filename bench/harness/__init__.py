"""What every bench shares: the ``luukku`` command run as an operator would (``cli``),
child processes and their clean-up (``procs``), the mutual-TLS files (``tls``), latency
statistics (``stats``) and a fresh PostgreSQL schema per run (``postgres``).

It imports nothing of the hub: the benches reach the broker through the CLI, the SDK
and the store's bulk loader (``luukku.store.bulk``) only.
"""
