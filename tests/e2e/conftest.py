"""The world most end-to-end stories start from: three parties connected to a live broker."""

from __future__ import annotations

from typing import NamedTuple

import pytest

from luukku.client import Client, Practitioner
from luukku.domain.organizations import OrgKind

CITIZEN = "131052-308T"
"""The citizen the portal acts for."""


class Parties(NamedTuple):
    """The municipal social service, a private care company and the citizen's portal."""

    social: Client
    company: Client
    portal: Client


@pytest.fixture
async def parties(register_org, connect) -> Parties:
    """helsinki-social (a social worker), hoiva-oy (a nurse), and omaportaali acting for
    ``CITIZEN``: registered, each with its own certificate, connected through the SDK."""
    social = await connect(
        register_org("helsinki-social", OrgKind.PUBLIC),
        practitioner=Practitioner("sw-1", "Sanna Sosiaalityöntekijä", "social worker"),
    )
    company = await connect(
        register_org("hoiva-oy", OrgKind.PRIVATE),
        practitioner=Practitioner("n-7", "Niko Nurse", "nurse"),
    )
    portal = await connect(register_org("omaportaali", OrgKind.PORTAL), on_behalf_of=CITIZEN)
    return Parties(social, company, portal)
