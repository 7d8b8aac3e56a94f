"""Use cases: what each call does, over the domain rules and a store transaction.

- ``access/``: the audited access guard, the one way a use case reaches a
  citizen's data, and what it owns: the clock, the refusal errors, the mark that
  the call's audit event is written, the events sent once the transaction commits.
- ``audit/``: reading the audit log, its proofs and checkpoints, verifying it,
  watching it, and auditing the calls the gate refuses.
- ``desks/``: shared service desks: asking, handling, the conversation,
  watching the queue and an inquiry, the desk's figures, its administration.
- ``representation/``: acting for another person (so far, the population-register
  import of guardianships).
- Here: cases, records and what lies in a case (``case_pages``), consents,
  threads, the directory, watch grants (``watching``) and a watch's policy
  (``watch_progress``); the request helpers shared by all (``ids``, ``paging``
  with the conversation page, ``identity_codes``, ``conflicts``).

It may import the domain, the store and the audit log (``luukku.audit``); never
the transport (``luukku.server``), the web apps, the CLI or the SDK.
"""
