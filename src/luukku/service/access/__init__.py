"""The audited access guard and what it owns: the clock, the decision, the audit write.

``guard`` opens a transaction, names the acting party, decides through the
domain's access rule, writes the audit event (allowed or denied) in the same
transaction and marks the call's audit as written (``call_audit``); events the
use case emits go out only once it commits (``outbox``). ``refusal_errors`` are
what a caller is told when the rule says no. ``acting`` decides a call that acts
for someone under a representation right on the rights too.

It may import the domain, the store and the audit log's events; never a use case.
"""
