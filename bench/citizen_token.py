"""``python -m bench.citizen_token``: what checking the citizen's token costs a call.

Every call a portal makes for a citizen carries the identity provider's signed
token, which the broker checks before anything else (see
``luukku.server.gate.citizen_token``). This measures that check alone, as the
read path runs it: the provider's keys fetched once through its discovery
document (the development issuer, in process) and then cached, an RS256 id
token per citizen (2,048-bit key, as Suomi.fi signs), each call checking
signature, issuer, audience, times, level and citizen. The CPU time of each
check is read from the thread's own clock, so other processes on the machine
do not count; figures are per call, p50/p99/mean, in microseconds.

The results are printed and written to ``var/bench_citizen_token.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from luukku.pki.dev_issuer import DevIssuer
from luukku.server.gate.citizen_token import CitizenTokens, CitizenTrust
from luukku.server.gate.issuer_keys import DiscoveredKeys

ISSUER = "https://tunnistus.bench"
CLIENT_ID = "bench-portal"


def _identity_code(n: int) -> str:
    """A valid test identity code (individual numbers 900-999) for citizen ``n``."""
    day, month, individual = 1 + n % 28, 1 + (n // 28) % 12, 900 + n % 100
    digits = f"{day:02d}{month:02d}80{individual:03d}"
    return f"{digits[:6]}-{digits[6:]}" + "0123456789ABCDEFHJKLMNPRSTUVWXY"[int(digits) % 31]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def measure(calls: int, citizens: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        issuer = DevIssuer.load_or_create(Path(folder) / "issuer.jwk", ISSUER)
    keys = DiscoveredKeys(ISSUER, transport=httpx.ASGITransport(app=issuer.app()))
    check = CitizenTokens(CitizenTrust(issuer=ISSUER), keys)
    codes = [_identity_code(n) for n in range(citizens)]
    tokens = [issuer.mint(code, audience=CLIENT_ID) for code in codes]
    await check.prove(tokens[0], acting_for=codes[0], client_id=CLIENT_ID)  # keys fetched here
    cpu_us: list[float] = []
    wall_us: list[float] = []
    for n in range(calls):
        token, code = tokens[n % citizens], codes[n % citizens]
        cpu, wall = time.thread_time_ns(), time.perf_counter_ns()
        await check.prove(token, acting_for=code, client_id=CLIENT_ID)
        cpu_us.append((time.thread_time_ns() - cpu) / 1000)
        wall_us.append((time.perf_counter_ns() - wall) / 1000)
    return {
        "calls": calls,
        "citizens": citizens,
        "algorithm": "RS256 (2048-bit)",
        "cpu_us": {
            "p50": round(_percentile(cpu_us, 0.50), 1),
            "p99": round(_percentile(cpu_us, 0.99), 1),
            "mean": round(statistics.fmean(cpu_us), 1),
        },
        "wall_us": {
            "p50": round(_percentile(wall_us, 0.50), 1),
            "p99": round(_percentile(wall_us, 0.99), 1),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=20_000)
    parser.add_argument("--citizens", type=int, default=200)
    args = parser.parse_args()
    result = asyncio.run(measure(args.calls, args.citizens))
    cpu = result["cpu_us"]
    print(
        f"citizen token check, {result['calls']} calls, keys cached: CPU p50 {cpu['p50']} µs, "
        f"p99 {cpu['p99']} µs, mean {cpu['mean']} µs per call "
        f"(wall p99 {result['wall_us']['p99']} µs)"
    )
    out = Path("var/bench_citizen_token.json")
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
