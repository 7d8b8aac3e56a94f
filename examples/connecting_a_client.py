"""Connecting a client: the README's first SDK example, the address and PKI as options.

It needs only the SDK (``pip install luukku-client``); CI runs it from a virtual
environment that has nothing else (.ci/sdk-alone). Run it against a broker
started with `make run`, from the repository root:

    .venv/bin/python examples/connecting_a_client.py --target 127.0.0.1:50051 --pki certs/dev
"""

from __future__ import annotations

import argparse
import asyncio

from luukku.client import Client, Practitioner, TLSConfig


async def main(target: str, pki: str) -> None:
    tls = TLSConfig.from_pki_dir(pki, "hoiva-oy")
    async with await Client.connect(
        target, tls=tls, practitioner=Practitioner("p-1", "Aino Virtanen", "nurse")
    ) as client:
        me = await client.who_am_i()
        print(me.organization.name, me.practitioner.display_name)
        async for org in client.list_organizations():
            print(org.id, org.name, org.kind)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", default="127.0.0.1:50051", help="the broker's HOST:PORT")
    parser.add_argument("--pki", default="certs/dev", help="folder with ca.pem and orgs/hoiva-oy.*")
    args = parser.parse_args()
    asyncio.run(main(args.target, args.pki))
