"""Where the SDK connects: one broker as given, several replicas balanced by round_robin."""

from __future__ import annotations

import pytest

from luukku.client._targets import BALANCING, channel_target


@pytest.mark.parametrize("target", ["127.0.0.1:5001", "localhost:5001", "unix:/tmp/luukku.sock"])
def test_one_broker_keeps_the_policy_that_reconnects_on_the_next_call(target):
    assert channel_target(target) == (target, [])
    assert channel_target([target]) == (target, [])


@pytest.mark.parametrize("target", ["dns:///luukku.example:443", "ipv4:10.0.0.5:1,10.0.0.6:1"])
def test_a_target_naming_several_brokers_is_balanced(target):
    assert channel_target(target) == (target, BALANCING)


def test_several_replicas_become_one_address_list_checked_against_the_first_host():
    target, options = channel_target(["127.0.0.1:5001", "127.0.0.2:5002"])
    assert target == "ipv4:127.0.0.1:5001,127.0.0.2:5002"
    assert options == [*BALANCING, ("grpc.default_authority", "127.0.0.1")]


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
