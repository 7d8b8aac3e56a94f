"""The workspace's pages, one module for each thing a clerk does: the desk's live
queue (``queue``), an inquiry (``inquiry``, with who is asking in ``asker``), the
desk's ready answers (``answers``), cases and their records (``cases``), a case's
discussions (``discussions``) and the desk's figures (``figures``).

They may import the shared web layer, the SDK and the workspace's own state, words
and consent requests; never the portal, and nothing of the broker but the SDK.
"""
