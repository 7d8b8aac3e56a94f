"""Checks anyone can run without trusting the broker: pure code, no I/O.

- ``transparency_log``: RFC 9162 inclusion and consistency proofs, and C2SP
  ``tlog-checkpoint`` / ``signed-note`` checkpoints signed with Ed25519.
- ``identity_code``: the Finnish personal identity code's format and check character.

Shipped with the SDK (``luukku-client``) and used by the broker too, so both
check the same way. Imports only the standard library and ``cryptography``.
"""
