"""Shared service desks' rules: a citizen asks a desk, one clerk claims, hands over, closes.

``desks`` are the desks with member organisations, topics and the on-duty rota;
``inquiries`` an inquiry's routing, claiming, hand-over, closing and reopening and
what its citizen may see; ``queue`` a desk's queue log as its members watch it;
``inquiry_notes`` what a desk's clerks tell each other, never the citizen;
``ready_answers`` the stock replies a desk's clerks keep up together; ``askers``
who is asking, as the clerks handling an inquiry see them.

It may import the rest of the domain (callers, errors, text, organisations);
nothing outside it.
"""
