"""``python -m bench``'s phases: the broker against a bare grpc.aio echo server.

``prepare`` (with ``seed``: the PKI and organisations through the CLI, the bulk data
through the store's bulk loader) runs before any server starts; ``run`` starts the echo
server (``echo``) and the brokers and drives each phase's load generators (``load``,
one process each), ``fairness`` is the flood phase, ``profile`` says how big a run is,
and ``report`` prints the table and writes ``bench.json``.
"""
