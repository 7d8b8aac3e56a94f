"""The audit log's use cases: reading it (``reading``, itself audited), its
transparency-log proofs and signed checkpoints (``proofs``), checking it whole
(``verification``), watching it live (``watching``), and auditing the calls the
broker's gate refuses before any use case runs (``refused_calls``).

It may import the access guard, the shared request helpers, the directory, the
domain, the store and the audit log (``luukku.audit``); never the desks' use cases.
"""
