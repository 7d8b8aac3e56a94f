"""The client's calls, one module per service family (audit, cases, consents, consent
requests, desks, threads), each a mixin of :class:`~luukku.client.Client` on the shared
transport of ``base`` (channel, call metadata, errors, paging, resuming streams).

Private: the SDK's public names are those ``luukku.client`` exports.
"""
