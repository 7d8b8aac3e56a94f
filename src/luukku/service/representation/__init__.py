"""Use cases of acting for another person.

- ``register_import``: guardianships from a population-register extract.

It may import the domain, the store and ``luukku.verify``'s identity codes.
"""
