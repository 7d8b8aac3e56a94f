"""Representation rights in storage: their tables, the repository, the register import.

- ``tables``: rights, blockers and minors' decision-capacity judgements.
- ``rights``: the repository the use cases reach through ``Tx.representation``.
- ``register``: guardianships from a population-register extract, written in
  bulk in one transaction.

Like the rest of the store it imports the domain only, never the use cases.
"""
