"""``luukku representation``: rights to act for another person (the operator's)."""

from __future__ import annotations

import argparse
import time

from luukku.cli._common import CliError, open_database, with_database
from luukku.service.access.clock import now_utc
from luukku.service.representation.register_import import InvalidExtract, import_extract


def cmd_import(args: argparse.Namespace) -> int:
    store = open_database(args)
    started = time.monotonic()
    try:
        with open(args.file, encoding="utf-8", newline="") as extract:
            counts = import_extract(store, extract, now_utc())
    except OSError as exc:
        raise CliError(f"cannot read {args.file}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise CliError(f"{args.file} is not UTF-8 text") from exc
    except InvalidExtract as exc:
        raise CliError(f"{args.file}: {exc}") from exc
    finally:
        store.dispose()
    seconds = time.monotonic() - started
    print(
        f"imported {counts.rights_added} guardianships "
        f"({counts.already_on_record} already on record, "
        f"{counts.citizens_added} new citizens) in {seconds:.1f} s"
    )
    return 0


def add_to(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``representation import``."""
    representation = sub.add_parser(
        "representation", help="rights to act for another person"
    ).add_subparsers(dest="representation_command", required=True)
    p = with_database(
        representation.add_parser(
            "import",
            help="import guardianships from a population-register extract "
            "(CSV: guardian_identity_code,child_identity_code,start_date; "
            "see docs/representation.md)",
        )
    )
    p.add_argument("file", metavar="FILE", help="the extract (UTF-8 CSV with a header row)")
    p.set_defaults(func=cmd_import)
