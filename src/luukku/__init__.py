"""Luukku: cross-organisation customer data exchange hub."""
