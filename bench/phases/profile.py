"""How big and how long a bench run is: the default profile and ``--quick``."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any

from bench.phases.seed import Sizes


@dataclass(frozen=True)
class Profile:
    """Every knob of a run; recorded in ``bench.json``."""

    name: str
    duration: float
    """Measured seconds of each throughput phase (echo, read, append)."""
    warmup: float
    """Seconds of load before measuring starts (discarded)."""
    concurrency: int
    """Calls in flight, in total over the load processes."""
    processes: int
    """Load generator processes of a throughput phase."""
    sizes: Sizes
    read_consents: int
    """Cases the reading organisation holds a read consent for (main database)."""
    fanout_watchers: int
    fanout_messages: int
    streams: int
    stream_channels: int
    fairness_streams: int
    """Watch streams the fairness phase's attacker opens at once."""
    fairness_connections: int
    """Fresh connections the fairness phase's attacker opens at once."""
    scale_small: int
    """Consents in the database of the consent-scale baseline."""
    scale_large: int
    """Consents in the database once the filler is added."""
    scale_duration: float
    """Measured seconds of the alternating consent-scale reads."""
    portal_citizens: int
    """Signed-in citizens browsing the portal at once, each in its own session."""
    portal_heavy_records: int
    """Records in the case of the portal phase's heavy citizen."""
    portal_heavy_reads: int
    """Reads of those records by organisations: audit events about the heavy citizen."""
    portal_samples: int
    """Requests of each of the heavy citizen's pages, one at a time."""
    portal_duration: float
    """Measured seconds of the citizens browsing (after ``warmup``)."""

    def per_process(self) -> list[int]:
        """The concurrency of each load process (differing by at most one)."""
        n = max(1, min(self.processes, self.concurrency))
        return [self.concurrency // n + (1 if i < self.concurrency % n else 0) for i in range(n)]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


DEFAULT = Profile(
    name="default",
    duration=10.0,
    warmup=2.0,
    concurrency=32,
    processes=2,
    sizes=Sizes(citizens=5000, cases=5000, records=20000),
    read_consents=2000,
    fanout_watchers=100,
    fanout_messages=50,
    streams=1000,
    stream_channels=10,
    fairness_streams=2000,
    fairness_connections=500,
    scale_small=100,
    scale_large=100_000,
    scale_duration=10.0,
    portal_citizens=20,
    portal_heavy_records=500,
    portal_heavy_reads=10_000,
    portal_samples=30,
    portal_duration=15.0,
)

QUICK = replace(
    DEFAULT,
    name="quick",
    duration=1.5,
    warmup=0.5,
    concurrency=16,
    sizes=Sizes(citizens=1000, cases=1000, records=4000),
    read_consents=400,
    fanout_watchers=20,
    fanout_messages=10,
    streams=200,
    stream_channels=4,
    fairness_streams=400,
    fairness_connections=100,
    scale_large=10_000,
    scale_duration=2.0,
    portal_citizens=4,
    portal_heavy_records=100,
    portal_heavy_reads=500,
    portal_samples=5,
    portal_duration=1.5,
)
