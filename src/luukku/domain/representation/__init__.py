"""Acting for another person: representation rights and the rule that decides them.

- ``rights``: a right's kind, scope (mandate codes), validity and source, and
  the day a guardian's right ends (the child's 18th birthday).
- ``blockers``: what bars a right that is otherwise in force: a care order, a
  non-disclosure order, a capable minor's refusal for one case.
- ``decision``: may representative R do action A on the represented person's
  case C at time T, and may a refusal's reason be told to R.

Pure functions over plain dataclasses: no clock, no store, no transport. Like
the rest of the domain it imports nothing of Luukku outside ``luukku.domain``.
"""
