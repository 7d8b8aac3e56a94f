"""Generated protobuf and gRPC code for luukku.v1. Never edit by hand: run `make proto`."""
