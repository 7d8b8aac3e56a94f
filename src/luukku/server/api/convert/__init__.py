"""Protos to domain values and back, one module per resource family (``common`` for shared parts).

Pure functions: it may import the domain, the views the use cases return and the
generated code; never the gate, the streams or the runtime.
"""
