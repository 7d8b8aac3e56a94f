"""The gRPC transport: servicers (proto <-> domain), interceptors and app wiring."""
