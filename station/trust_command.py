"""`station trust`: the CSCA certificates, master lists and CRLs this station trusts."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cccd_station.crypto.truststore import TrustStore, TrustStoreError
from cccd_station.station.paths import data_dir


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True)
    add = actions.add_parser(
        "import", help="import a certificate, master list (.ml), CRL, or a folder of them"
    )
    add.add_argument("paths", nargs="+", type=Path)
    actions.add_parser("list", help="list trusted CSCAs and CRLs")
    remove = actions.add_parser("remove", help="remove an entry by its fingerprint (or a unique prefix)")
    remove.add_argument("fingerprint")


def run(args: argparse.Namespace) -> int:
    try:
        store = TrustStore(data_dir() / "trust")
        if args.action == "import":
            for path in args.paths:
                for entry in store.import_path(path):
                    print(f"imported {entry.kind.value} {entry.subject} ({entry.fingerprint[:16]})")
        elif args.action == "list":
            for entry in store.entries():
                until = entry.valid_until.date().isoformat() if entry.valid_until else "-"
                country = entry.country or "--"
                print(
                    f"{entry.fingerprint[:16]}  {entry.kind.value:4}  {country}  until {until}  "
                    f"{entry.subject}  (from {entry.source}, {entry.imported_at:%Y-%m-%d})"
                )
        else:
            matches = [e for e in store.entries() if e.fingerprint.startswith(args.fingerprint.lower())]
            if len(matches) != 1:
                print(f"station trust: {len(matches)} entries match {args.fingerprint!r}", file=sys.stderr)
                return 2
            store.remove(matches[0].fingerprint)
            print(f"removed {matches[0].subject}")
    except (TrustStoreError, OSError) as error:
        print(f"station trust: {error}", file=sys.stderr)
        return 2
    return 0
