"""Use cases: what each call does, over the domain rules and a store transaction."""
