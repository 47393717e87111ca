"""`station trust`: the CSCA certificates, master lists and CRLs this counter trusts.

Imports and removals go through the station's core like the admin screen's: into the database (and on to
the central database and the other counters), checked under the trust rule and audited, with the person
at the console as the actor.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from cccd_station.crypto.truststore import Decision
from cccd_station.station.core import Station, database_url_from_environment
from cccd_station.station.errors import error_kind
from cccd_station.station.trust import TrustImportError

EXIT_REFUSED = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True)
    add = actions.add_parser(
        "import", help="import a certificate, master list (.ml), CRL, or a folder of them"
    )
    add.add_argument("paths", nargs="+", type=Path)
    listing = actions.add_parser(
        "list", help="list the trust entries, CSCAs per country and what was refused"
    )
    listing.add_argument("--all", action="store_true", help="also list every CSCA taken from master lists")
    remove = actions.add_parser("remove", help="remove an entry by its fingerprint (or a unique prefix)")
    remove.add_argument("fingerprint")


def console_actor() -> str:
    return f"console:{getpass.getuser()}"[:64]


def _describe(decision: Decision) -> str:
    until = decision.valid_until.date().isoformat() if decision.valid_until else "-"
    return (
        f"{decision.fingerprint[:16]}  {decision.kind.value:11}  {decision.country or '--'}  until {until}  "
        f"{decision.subject}"
    )


def _print_import(decisions: list[Decision]) -> None:
    for decision in decisions:
        if decision.accepted:
            print(f"imported  {_describe(decision)}")
    for decision in decisions:
        if not decision.accepted:
            print(f"REFUSED   {_describe(decision)}: {decision.reason}")
    taken = sum(each.accepted for each in decisions)
    print(f"{taken} taken, {len(decisions) - taken} refused")


def _print_list(station: Station, everything: bool) -> None:
    assert station.trust is not None
    state = station.trust.state
    for row in station.trust.rows():
        entry, decision = row.entry, row.decision
        status = "trusted" if decision and decision.accepted else "REFUSED"
        origin = "from central" if entry.origin.value == "central" else "imported here"
        print(f"{status:8}  {_describe(decision) if decision else entry.fingerprint[:16]}")
        print(f"          {origin} {entry.imported_at:%Y-%m-%d} from {entry.source}")
        if decision and not decision.accepted:
            print(f"          why: {decision.reason}")
    members = [each for each in state.decisions if each.master_list]
    if everything:
        for decision in members:
            status = "trusted" if decision.accepted else "REFUSED"
            print(f"{status:8}  {_describe(decision)}  (master list {decision.master_list or ''}"[:200] + ")")
    refused = [each for each in members if not each.accepted]
    if refused:
        print(f"\nRefused from master lists ({len(refused)}):")
        for decision in refused:
            print(f"  {_describe(decision)}: {decision.reason}")
    countries = state.countries()
    total = sum(countries.values())
    print(f"\nTrusted CSCAs: {total} from {len(countries)} countries")
    print("  " + "  ".join(f"{country} {count}" for country, count in countries.items()))


def run(args: argparse.Namespace) -> int:
    try:
        station = Station.open(url=database_url_from_environment())
    except Exception as error:
        if error_kind(error) == "unexpected":
            raise
        print(f"station trust: {error}", file=sys.stderr)
        return EXIT_REFUSED
    with station:
        assert station.trust is not None
        try:
            if args.action == "import":
                for path in args.paths:
                    _print_import(list(station.trust.import_path(path, console_actor()).decisions))
            elif args.action == "list":
                _print_list(station, args.all)
            else:
                removed = station.trust.remove(args.fingerprint, console_actor())
                print(f"removed {removed.kind.value} {removed.fingerprint[:16]} ({removed.source})")
        except TrustImportError as error:
            print(f"station trust: {error}", file=sys.stderr)
            return EXIT_REFUSED
    return 0
