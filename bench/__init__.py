"""``make bench``: the broker measured against a bare grpc.aio echo server on the same machine.

Run ``python -m bench`` (``--quick`` for a smoke run). Every server and
load generator is a separate process; all traffic is mutual TLS on loopback.
"""
