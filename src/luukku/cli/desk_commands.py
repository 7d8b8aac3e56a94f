"""``luukku desk``: shared service desks, their members and on-duty rotas (the operator's)."""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from pathlib import Path

from luukku.cli._common import CliError, open_database, positive_int, with_database
from luukku.domain.desks.desks import Desk, Topic
from luukku.domain.events import CallersChanged
from luukku.service.access.clock import now_utc
from luukku.service.desks import admin as desks
from luukku.service.desks.figures import Waits, desk_stats, percentile
from luukku.store import notices


def _minutes(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of minutes") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return value


def _topic(topic: Topic) -> str:
    names = " / ".join(n for n in (topic.name_fi, topic.name_sv, topic.name_en) if n)
    return f"  topic {topic.id}: {names or 'not named (luukku desk topic set)'}\n"


def _describe(desk: Desk) -> str:
    on_duty = desk.rota.on_duty(now_utc()) or "nobody (every member is offered)"
    return (
        f"{desk.id}\t{desk.name}\n"
        f"{''.join(_topic(t) for t in desk.topics)}"
        f"  members: {' '.join(sorted(desk.members)) or '-'}\n"
        f"  overflow after {int(desk.overflow.total_seconds()) // 60} min; "
        f"reopen within {desk.reopen_within.days} days; on duty now: {on_duty}"
    )


def cmd_desk_add(args: argparse.Namespace) -> int:
    desk = desks.create_desk(
        open_database(args),
        args.desk_id,
        name=args.name,
        topics=args.topic,
        overflow=timedelta(minutes=args.overflow_minutes),
        reopen_within=timedelta(days=args.reopen_days),
    )
    print(f"created desk {desk.id}; add members, then set its rota")
    return 0


def cmd_topic_set(args: argparse.Namespace) -> int:
    desk = desks.set_topic(
        open_database(args), args.desk_id, args.topic_id, fi=args.fi, sv=args.sv, en=args.en
    )
    print(f"topic {args.topic_id} of {desk.id} named ({len(desk.topics)} topics)")
    return 0


def cmd_member_add(args: argparse.Namespace) -> int:
    desk = desks.add_member(open_database(args), args.desk_id, args.org_id)
    print(f"{args.org_id} is a member of {desk.id} ({len(desk.members)} members)")
    return 0


def cmd_member_remove(args: argparse.Namespace) -> int:
    store = open_database(args)
    desk = desks.remove_member(store, args.desk_id, args.org_id)
    # Its clerks' open queue watches end at once on PostgreSQL (on SQLite the
    # brokers' directory poll sees the membership go within a second).
    notices.announce(store, [CallersChanged()], origin="cli")
    print(f"{args.org_id} is no longer a member of {desk.id} ({len(desk.members)} members)")
    return 0


def cmd_rota_set(args: argparse.Namespace) -> int:
    try:
        text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text()
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(f"{args.file}: {exc}") from exc
    desk = desks.set_rota(open_database(args), args.desk_id, text)
    shifts = len(desk.rota.weekly) + len(desk.rota.dated)
    print(f"rota of {desk.id} set: {shifts} shifts")
    return 0


def cmd_desk_list(args: argparse.Namespace) -> int:
    store = open_database(args, create=False)
    token = ""
    while True:
        found, token = desks.list_desks(store, 500, token)
        for desk in found:
            print(_describe(desk))
        if not token:
            return 0


def _waits(w: Waits) -> str:
    def figure(values: list[float]) -> str:
        p50, p95 = percentile(values, 50), percentile(values, 95)
        if p50 is None or p95 is None:
            return "-"
        return f"{p50:.0f}/{p95:.0f}"

    return f"{figure(w.to_claim)}\t{figure(w.to_answer)}"


def cmd_desk_stats(args: argparse.Namespace) -> int:
    print("desk / member\tqueued\tclaimed\tclosed\thand-overs\tclaim p50/p95 s\tanswer p50/p95 s")
    for s in desk_stats(open_database(args, create=False)):
        counts = f"{s.queued}\t{s.claimed}\t{s.closed}\t{s.handovers}"
        print(f"{s.desk_id}\t{counts}\t{_waits(s.all)}")
        for member, waits in sorted(s.members.items()):
            print(f"  {member}\t\t\t\t\t{_waits(waits)}")
    return 0


def add_to(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``desk add|list|stats``, ``desk topic set``, ``desk member add|remove``
    and ``desk rota set``."""
    desk = sub.add_parser("desk", help="shared service desks").add_subparsers(
        dest="desk", required=True
    )
    p = with_database(desk.add_parser("add", help="create a desk (then add members and a rota)"))
    p.add_argument("desk_id", help="the desk id, e.g. rural-advice-north-savo")
    p.add_argument("--name", required=True, help="the desk's name, shown to citizens")
    p.add_argument(
        "--topic",
        required=True,
        action="append",
        help="a topic slug (repeat for each); name each with 'desk topic set'",
    )
    p.add_argument(
        "--overflow-minutes",
        type=_minutes,
        default=15,
        help="minutes an inquiry is offered to the member on duty only (default 15)",
    )
    p.add_argument(
        "--reopen-days",
        type=positive_int,
        default=14,
        help="days after closing the citizen may reopen an inquiry (default 14)",
    )
    p.set_defaults(func=cmd_desk_add)
    p = with_database(desk.add_parser("list", help="list desks, members and who is on duty"))
    p.set_defaults(func=cmd_desk_list)
    p = with_database(
        desk.add_parser(
            "stats",
            help="waiting times to claim and to the first answer (p50/p95, seconds), "
            "per desk and per member that claimed first; queue and hand-overs",
        )
    )
    p.set_defaults(func=cmd_desk_stats)

    topic = desk.add_parser("topic", help="the desk's topics").add_subparsers(
        dest="topic", required=True
    )
    p = with_database(
        topic.add_parser(
            "set",
            help="name a topic in Finnish, Swedish and English (adds it if new)",
            description="Citizens see the topic by its name in the portal's language.",
        )
    )
    p.add_argument("desk_id", help="the desk id")
    p.add_argument("topic_id", help="the topic slug, e.g. farm-subsidies")
    for language, example in (
        ("fi", "Maataloustuet"),
        ("sv", "Jordbruksstöd"),
        ("en", "Farm subsidies"),
    ):
        p.add_argument(f"--{language}", required=True, help=f"its name, e.g. {example!r}")
    p.set_defaults(func=cmd_topic_set)

    member = desk.add_parser("member", help="member organisations").add_subparsers(
        dest="member", required=True
    )
    for name, func, what in (
        ("add", cmd_member_add, "make a registered organisation a member"),
        ("remove", cmd_member_remove, "end a membership (not while on the rota)"),
    ):
        p = with_database(member.add_parser(name, help=what))
        p.add_argument("desk_id", help="the desk id")
        p.add_argument("org_id", help="the organisation id")
        p.set_defaults(func=func)

    rota = desk.add_parser("rota", help="the on-duty rota").add_subparsers(
        dest="rota", required=True
    )
    p = with_database(
        rota.add_parser(
            "set",
            help="replace the rota from a file ('-': standard input)",
            description=(
                "One shift a line, Helsinki time; '#' starts a comment. "
                "'mon 08:00-16:00 kuopio' is a weekly shift (mon..sun); "
                "'2026-12-24 10:00-14:00 iisalmi' or '2026-12-24 closed' replaces that "
                "day's weekly shifts (a holiday). Outside every shift nobody is on duty "
                "and each member is offered new inquiries at once."
            ),
        )
    )
    p.add_argument("desk_id", help="the desk id")
    p.add_argument("file", help="the rota file, or '-' for standard input")
    p.set_defaults(func=cmd_rota_set)
