"""Use cases of acting for another person (docs/representation.md).

- ``parties``: who may call which use case, what others are told, people's
  ages from their identity codes, and a clerk's reason;
- ``validity``: a right's period and scope as requests give them;
- ``views``: a right as its parties are shown it (state, names);
- ``listing``: the rights that concern the signed-in citizen;
- ``mandates``: a mandate given and accepted in the portal;
- ``ending``: a right ended early by a party or a clerk;
- ``registration``: a right a clerk registers after seeing the papers;
- ``orders``: care orders and non-disclosure orders recorded and lifted;
- ``capacity``: a minor's decision capacity for one case;
- ``register_import``: guardianships from a population-register extract.

Every call goes through the access guard and is audited once, under the
represented person. It may import the access guard, the shared request
helpers, the domain, the store and ``luukku.verify``'s identity codes; never
the transport (``luukku.server``).
"""
