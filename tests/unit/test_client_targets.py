"""Where the SDK connects: one target as given, several replicas as one balanced address list."""

from __future__ import annotations

import pytest

from luukku.client._targets import BALANCING, channel_target


def test_one_target_is_passed_on_and_balanced_across_its_addresses():
    assert channel_target("luukku.example:443") == ("luukku.example:443", [BALANCING])


def test_several_replicas_become_one_address_list_checked_against_the_first_host():
    target, options = channel_target(["127.0.0.1:5001", "127.0.0.2:5002"])
    assert target == "ipv4:127.0.0.1:5001,127.0.0.2:5002"
    assert options == [BALANCING, ("grpc.default_authority", "127.0.0.1")]


def test_names_are_resolved_and_tls_checks_the_first_name():
    target, options = channel_target(["localhost:5001", "127.0.0.1:5002"])
    assert target == "ipv4:127.0.0.1:5001,127.0.0.1:5002"
    assert ("grpc.default_authority", "localhost") in options


def test_ipv6_replicas_are_bracketed():
    target, _ = channel_target(["[::1]:5001", "[::1]:5002"])
    assert target == "ipv6:[::1]:5001,[::1]:5002"


@pytest.mark.parametrize("targets", [[], ["no-port", "127.0.0.1:1"], ["127.0.0.1:x", "h:1"]])
def test_malformed_targets_are_refused(targets):
    with pytest.raises(ValueError, match=r".+"):
        channel_target(targets)
