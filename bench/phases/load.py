"""A load generator process: ``python -m bench.phases.load SPEC.json``.

The same code drives the echo server and the broker. The conversation with the
orchestrator is line-based: this process prints ``READY`` once its channels are
connected and starts on the next line from stdin; a ``streams`` run prints
``HOLDING {...}`` while its streams are all open and releases them on the next
line; the last stdout line is the JSON report.

Unary kinds (``echo``, ``identity``, ``read``, ``append``) keep ``concurrency`` calls in
flight, discard a warm-up period, then report every call completed within the
measured period: its count, latency samples (ms) and errors by status code.
``paired`` alternates reads between two brokers, one call at a time.
The fairness phase's other organisation: ``flood`` sends oversized and maximal
records, ``oversized`` only the oversized ones, ``stream_storm`` opens
``watchers`` watch streams at once, waits until each has its backlog, closes
them and starts again, ``connect_storm`` opens ``connections`` fresh
connections at once (a TLS handshake each), makes one call on each, closes
them and starts again, until its ``duration`` is over.
``fanout`` and ``streams`` watch a thread they open.

The load speaks the wire types (``luukku.v1``) itself, not through the SDK:
its figures are the broker's, without the SDK's conversions on the client side.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import sys
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc
from google.protobuf import struct_pb2

from bench.harness.procs import pin
from bench.harness.tls import CHANNEL_OPTIONS, ClientFiles, secure_channel
from bench.phases.echo import METHOD as ECHO_METHOD
from luukku.v1 import (
    cases_pb2,
    cases_pb2_grpc,
    directory_pb2,
    directory_pb2_grpc,
    threads_pb2,
    threads_pb2_grpc,
)

METADATA = (
    ("luukku-practitioner-id", "bench-7"),
    ("luukku-practitioner-name", "Bench Practitioner"),
    ("luukku-practitioner-role", "nurse"),
)
CALL_TIMEOUT = 30.0
ECHO_PAYLOAD_BYTES = 200
RECORD_TEXT = (
    "Kotikäynti tehty. Asiakas voi hyvin, lääkkeet otettu ajallaan ja jääkaapissa on ruokaa. "
    "Seuraava käynti huomenna aamulla; omaiselle soitettu ja sovittu viikkopalaveri."
)
WARMUP_MESSAGES = 3
STORM_ROUND_S = 30.0
"""How long a ``stream_storm`` round waits for every stream to be live."""


@dataclass(frozen=True)
class Spec:
    """What one load process does; written as JSON by the orchestrator."""

    kind: str
    target: str
    tls: ClientFiles
    other_target: str = ""
    """The second server of a ``paired`` run."""
    concurrency: int = 1
    channels: int = 1
    warmup: float = 1.0
    duration: float = 5.0
    pairs: list[list[str]] = field(default_factory=list)
    cases: list[str] = field(default_factory=list)
    watchers: int = 100
    messages: int = 50
    seed: int = 0
    timeout: float = 120.0
    connections: int = 100
    cpus: list[int] = field(default_factory=list)
    """The CPUs this process runs on (all threads); empty: wherever the kernel likes."""

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Spec:
        return cls(**{**data, "tls": ClientFiles(**data["tls"])})


UnaryCall = Callable[[random.Random], Awaitable[object]]


async def drive(call: UnaryCall, spec: Spec) -> dict[str, Any]:
    """Keep ``spec.concurrency`` calls in flight; report the measured period.

    A call belongs to the period it starts in, and every call started in it is
    waited for: on a busy machine a call may outlast the period, and counting by
    completion would then report no samples at all.
    """
    measure_from = time.perf_counter() + spec.warmup
    until = measure_from + spec.duration
    samples: list[float] = []
    errors: Counter[str] = Counter()

    async def worker(index: int) -> None:
        rng = random.Random(spec.seed * 10_000 + index)
        while (started := time.perf_counter()) < until:
            try:
                await call(rng)
            except grpc.aio.AioRpcError as exc:
                if measure_from <= started:
                    errors[exc.code().name] += 1
                await asyncio.sleep(0.01)  # no hot loop against a failing server
                continue
            if measure_from <= started:
                samples.append(round((time.perf_counter() - started) * 1000, 3))

    await asyncio.gather(*(worker(i) for i in range(spec.concurrency)))
    return {
        "kind": spec.kind,
        "count": len(samples),
        "seconds": spec.duration,
        "errors": dict(errors),
        "latencies_ms": samples,
    }


async def drive_paired(calls: Sequence[UnaryCall], spec: Spec) -> dict[str, Any]:
    """One call to each target in turn, in random order, one at a time.

    Both targets then see the same machine (disk flushes, CPU) at the same
    moments, so slow drift in either hits both sets of samples alike.
    """
    rng = random.Random(spec.seed)
    measure_from = time.perf_counter() + spec.warmup
    until = measure_from + spec.duration
    samples: list[list[float]] = [[] for _ in calls]
    errors: Counter[str] = Counter()
    order = list(range(len(calls)))
    while time.perf_counter() < until:
        rng.shuffle(order)
        same = rng.random()  # every target reads the same record this round
        for index in order:
            started = time.perf_counter()
            try:
                await calls[index](random.Random(same))
            except grpc.aio.AioRpcError as exc:
                errors[exc.code().name] += 1
                await asyncio.sleep(0.01)
                continue
            if measure_from <= started < until:  # by its start, as drive() counts
                samples[index].append(round((time.perf_counter() - started) * 1000, 3))
    return {
        "kind": spec.kind,
        "count": [len(s) for s in samples],
        "seconds": spec.duration,
        "errors": dict(errors),
        "latencies_ms": samples,
    }


def echo_call(channels: Sequence[grpc.aio.Channel]) -> UnaryCall:
    methods = [
        ch.unary_unary(ECHO_METHOD, request_serializer=None, response_deserializer=None)
        for ch in channels
    ]
    payload = random.Random(0).randbytes(ECHO_PAYLOAD_BYTES)

    async def call(rng: random.Random) -> object:
        return await rng.choice(methods)(payload, timeout=CALL_TIMEOUT)

    return call


def identity_call(channels: Sequence[grpc.aio.Channel]) -> UnaryCall:
    stubs = [directory_pb2_grpc.DirectoryServiceStub(ch) for ch in channels]
    request = directory_pb2.WhoAmIRequest()

    async def call(rng: random.Random) -> object:
        return await rng.choice(stubs).WhoAmI(request, metadata=METADATA, timeout=CALL_TIMEOUT)

    return call


def read_call(channels: Sequence[grpc.aio.Channel], pairs: Sequence[Sequence[str]]) -> UnaryCall:
    stubs = [cases_pb2_grpc.CaseServiceStub(ch) for ch in channels]

    async def call(rng: random.Random) -> object:
        case_id, record_id = rng.choice(pairs)
        request = cases_pb2.GetRecordRequest(case_id=case_id, record_id=record_id)
        return await rng.choice(stubs).GetRecord(request, metadata=METADATA, timeout=CALL_TIMEOUT)

    return call


def append_call(channels: Sequence[grpc.aio.Channel], cases: Sequence[str]) -> UnaryCall:
    stubs = [cases_pb2_grpc.CaseServiceStub(ch) for ch in channels]

    async def call(rng: random.Random) -> object:
        request = cases_pb2.CreateRecordRequest(
            case_id=rng.choice(cases), kind="visit", text=RECORD_TEXT, request_id=uuid.uuid4().hex
        )
        return await rng.choice(stubs).CreateRecord(
            request, metadata=METADATA, timeout=CALL_TIMEOUT
        )

    return call


def _struct(fields: int, value_bytes: int) -> struct_pb2.Struct:
    data = struct_pb2.Struct()
    data.update({f"f{n}": "x" * value_bytes for n in range(fields)})
    return data


OVERSIZED = (190_000, 5)
"""A record's data of 190,000 fields: about 3.7 MB, under grpc's 4 MiB ceiling (which
would refuse it before the broker's own limit is asked)."""
MAXIMAL = (600, 90)
"""A record's data of about 60 KB: accepted."""


def flood_call(
    channels: Sequence[grpc.aio.Channel],
    cases: Sequence[str],
    shapes: Sequence[tuple[int, int]] = (OVERSIZED, MAXIMAL),
) -> UnaryCall:
    """Records of the data ``shapes`` (fields, bytes a value) in turn: by default an
    oversized record (about 3.8 MB) and a maximal one (about 60 KB).

    The bodies are serialised once: serialising 3.8 MB per call would load
    this machine's cores from the client side instead of the broker. A fresh
    request id is appended to each (concatenated protobuf messages merge).
    """
    methods = [
        ch.unary_unary(
            "/luukku.v1.CaseService/CreateRecord",
            request_serializer=None,
            response_deserializer=None,
        )
        for ch in channels
    ]
    bodies = [
        cases_pb2.CreateRecordRequest(
            case_id=case_id, kind="flood", text="flood", data=_struct(fields, size)
        ).SerializeToString()
        for case_id in cases[:4]
        for fields, size in shapes
    ]

    async def call(rng: random.Random) -> object:
        tail = cases_pb2.CreateRecordRequest(request_id=uuid.uuid4().hex).SerializeToString()
        return await rng.choice(methods)(rng.choice(bodies) + tail, timeout=CALL_TIMEOUT)

    return call


class Arrivals:
    """Counts, per sequence number, the watchers that have received it."""

    def __init__(self, watchers: int) -> None:
        self._watchers = watchers
        self._counts: Counter[int] = Counter()
        self._complete: dict[int, asyncio.Event] = {}
        self._completed_at: dict[int, float] = {}
        self.failures: Counter[str] = Counter()

    def received(self, seq: int) -> int:
        """How many watchers have received ``seq``."""
        return self._counts[seq]

    def _event(self, seq: int) -> asyncio.Event:
        return self._complete.setdefault(seq, asyncio.Event())

    def saw(self, seq: int) -> None:
        self._counts[seq] += 1
        if self._counts[seq] == self._watchers:
            self._completed_at[seq] = time.perf_counter()
            self._event(seq).set()

    async def everyone_has(self, seq: int, within: float) -> float:
        """When the last watcher received ``seq`` (perf_counter seconds)."""
        try:
            await asyncio.wait_for(self._event(seq).wait(), within)
        except TimeoutError:
            raise RuntimeError(
                f"only {self._counts[seq]} of {self._watchers} watchers received message {seq} "
                f"within {within:.0f} s (stream failures: {dict(self.failures)})"
            ) from None
        return self._completed_at[seq]


async def _watch(
    stub: threads_pb2_grpc.ThreadServiceAsyncStub, thread_id: str, arrivals: Arrivals
) -> None:
    call = stub.WatchThread(threads_pb2.WatchThreadRequest(thread_id=thread_id), metadata=METADATA)
    try:
        async for response in call:
            if response.HasField("message"):
                arrivals.saw(response.message.sequence)
    except grpc.aio.AioRpcError as exc:
        if exc.code() is not grpc.StatusCode.CANCELLED:
            arrivals.failures[exc.code().name] += 1


async def _post(stub: threads_pb2_grpc.ThreadServiceAsyncStub, thread_id: str, body: str) -> int:
    request = threads_pb2.PostMessageRequest(
        thread_id=thread_id, body=body, request_id=uuid.uuid4().hex
    )
    response = await stub.PostMessage(request, metadata=METADATA, timeout=CALL_TIMEOUT)
    return response.message.sequence


class Watchers:
    """``count`` WatchThread streams on a new thread that already holds one message."""

    def __init__(self, channels: Sequence[grpc.aio.Channel], count: int) -> None:
        self.stubs = [threads_pb2_grpc.ThreadServiceStub(ch) for ch in channels]
        self.arrivals = Arrivals(count)
        self._count = count
        self._tasks: list[asyncio.Task[None]] = []
        self.thread_id = ""

    async def open(self, case_id: str, within: float) -> float:
        """Create the thread, open every stream; seconds until all had the first message."""
        created = await self.stubs[0].CreateThread(
            threads_pb2.CreateThreadRequest(
                case_id=case_id, subject="Hoitosuunnitelma (bench)", request_id=uuid.uuid4().hex
            ),
            metadata=METADATA,
            timeout=CALL_TIMEOUT,
        )
        self.thread_id = created.thread.id
        first = await _post(self.stubs[0], self.thread_id, "Tervetuloa keskusteluun.")
        started = time.perf_counter()
        self._tasks = [
            asyncio.create_task(
                _watch(self.stubs[i % len(self.stubs)], self.thread_id, self.arrivals)
            )
            for i in range(self._count)
        ]
        # Every stream delivers the backlog first: once all have it, all are live.
        return await self.arrivals.everyone_has(first, within) - started

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)


async def fanout(channels: Sequence[grpc.aio.Channel], spec: Spec) -> dict[str, Any]:
    """Post messages one at a time; each until the last watcher has it."""
    watchers = Watchers(channels, spec.watchers)
    try:
        established = await watchers.open(spec.cases[0], spec.timeout)
        poster = watchers.stubs[0]
        samples: list[float] = []
        for n in range(WARMUP_MESSAGES + spec.messages):
            started = time.perf_counter()
            seq = await _post(poster, watchers.thread_id, f"Viesti {n}: käynti siirtyy klo 14.")
            arrived = await watchers.arrivals.everyone_has(seq, spec.timeout)
            if n >= WARMUP_MESSAGES:
                samples.append(round((arrived - started) * 1000, 3))
    finally:
        await watchers.close()
    return {
        "kind": spec.kind,
        "watchers": spec.watchers,
        "messages": len(samples),
        "established_s": round(established, 3),
        "stream_failures": dict(watchers.arrivals.failures),
        "latencies_ms": samples,
    }


async def hold_streams(
    channels: Sequence[grpc.aio.Channel], spec: Spec, stdin: asyncio.StreamReader
) -> dict[str, Any]:
    """Open ``spec.watchers`` streams, say HOLDING, and keep them until told to go."""
    watchers = Watchers(channels, spec.watchers)
    try:
        established = await watchers.open(spec.cases[0], spec.timeout)
        say("HOLDING " + json.dumps({"streams": spec.watchers, "established_s": established}))
        await stdin.readline()
        failures = dict(watchers.arrivals.failures)
    finally:
        await watchers.close()
    return {
        "kind": spec.kind,
        "streams": spec.watchers,
        "channels": len(channels),
        "established_s": round(established, 3),
        "stream_failures": failures,
    }


async def stream_storm(channels: Sequence[grpc.aio.Channel], spec: Spec) -> dict[str, Any]:
    """Open ``spec.watchers`` streams at once, close them once all are live, again and again."""
    until = time.perf_counter() + spec.duration
    rounds: list[float] = []
    failures: Counter[str] = Counter()
    while time.perf_counter() < until:
        watchers = Watchers(channels, spec.watchers)
        try:
            rounds.append(round(await watchers.open(spec.cases[0], STORM_ROUND_S), 3))
        except RuntimeError:  # a finding, not the end of the run: some never had the backlog
            failures["NOT_LIVE_IN_TIME"] += spec.watchers - watchers.arrivals.received(1)
        finally:
            await watchers.close()
            failures.update(watchers.arrivals.failures)
    return {
        "kind": spec.kind,
        "streams": spec.watchers,
        "rounds": len(rounds),
        "established_s": rounds,
        "errors": dict(failures),
    }


async def connect_storm(spec: Spec) -> dict[str, Any]:
    """Open ``spec.connections`` fresh connections at once, one WhoAmI on each, close them
    all, again and again: what a reconnecting fleet (or an attacker) costs the broker."""
    until = time.perf_counter() + spec.duration
    credentials = spec.tls.credentials()
    request = directory_pb2.WhoAmIRequest()
    errors: Counter[str] = Counter()
    rounds = calls = 0

    async def one(channel: grpc.aio.Channel) -> None:
        nonlocal calls
        stub = directory_pb2_grpc.DirectoryServiceStub(channel)
        try:
            await stub.WhoAmI(request, metadata=METADATA, timeout=CALL_TIMEOUT)
            calls += 1
        except grpc.aio.AioRpcError as exc:
            errors[exc.code().name] += 1

    while time.perf_counter() < until:
        fresh = [
            grpc.aio.secure_channel(spec.target, credentials, options=CHANNEL_OPTIONS)
            for _ in range(spec.connections)
        ]
        try:
            await asyncio.gather(*(one(ch) for ch in fresh))
        finally:
            await asyncio.gather(*(ch.close(None) for ch in fresh))
        rounds += 1
    return {
        "kind": spec.kind,
        "connections": spec.connections,
        "rounds": rounds,
        "count": calls,
        "errors": dict(errors),
    }


def say(line: str) -> None:
    """One line to the orchestrator."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


async def stdin_lines() -> asyncio.StreamReader:
    """The orchestrator's lines (a go, a release), read without blocking the loop."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    return reader


async def run(spec: Spec) -> dict[str, Any]:
    """Connect, say READY, wait for the go line, run the kind of load asked for."""
    if spec.cpus:
        pin(os.getpid(), set(spec.cpus))
    stdin = await stdin_lines()
    channels = [secure_channel(spec.target, spec.tls) for _ in range(spec.channels)]
    others = [secure_channel(spec.other_target, spec.tls)] if spec.other_target else []
    try:
        await asyncio.wait_for(
            asyncio.gather(*(ch.channel_ready() for ch in (*channels, *others))), spec.timeout
        )
        say("READY")
        await stdin.readline()
        if spec.kind == "echo":
            return await drive(echo_call(channels), spec)
        if spec.kind == "identity":
            return await drive(identity_call(channels), spec)
        if spec.kind == "read":
            return await drive(read_call(channels, spec.pairs), spec)
        if spec.kind == "paired":
            calls = [read_call(channels, spec.pairs), read_call(others, spec.pairs)]
            return await drive_paired(calls, spec)
        if spec.kind == "append":
            return await drive(append_call(channels, spec.cases), spec)
        if spec.kind == "fanout":
            return await fanout(channels, spec)
        if spec.kind == "streams":
            return await hold_streams(channels, spec, stdin)
        if spec.kind == "flood":
            return await drive(flood_call(channels, spec.cases), spec)
        if spec.kind == "oversized":
            return await drive(flood_call(channels, spec.cases, [OVERSIZED]), spec)
        if spec.kind == "stream_storm":
            return await stream_storm(channels, spec)
        if spec.kind == "connect_storm":
            return await connect_storm(spec)
        raise ValueError(f"unknown load kind {spec.kind!r}")
    finally:
        await asyncio.gather(*(ch.close(None) for ch in (*channels, *others)))


def main(argv: Sequence[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else list(argv)
    if len(args) != 1:
        sys.exit("usage: python -m bench.phases.load SPEC.json")
    spec = Spec.from_json(json.loads(Path(args[0]).read_text()))
    report = asyncio.run(run(spec))
    say(json.dumps(report, separators=(",", ":")))


if __name__ == "__main__":
    main()
