"""`station api-client add|list|remove`: the programs allowed to use the local API (issue 11).

``add`` prints the new client's bearer token once, alone on standard output (so ``TOKEN=$(station
api-client add his)`` works); the station keeps only its hash. Changes are audited with the person at the
console as the actor, like the admin screen's with the administrator.
"""

from __future__ import annotations

import argparse
import sys

from cccd_station.db import ApiClientError
from cccd_station.db.api_clients import API_SCOPES, DEFAULT_SCOPES
from cccd_station.station.core import Station, database_url_from_environment
from cccd_station.station.errors import error_kind
from cccd_station.station.trust_command import console_actor

EXIT_REFUSED = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="add a client and print its token (shown once)")
    add.add_argument("name", help="2-64 lower-case letters, digits, '.', '_' or '-'")
    add.add_argument(
        "--scope",
        action="append",
        metavar="SCOPE[,SCOPE]",
        help=f"what it may receive: {', '.join(API_SCOPES)} (default {','.join(DEFAULT_SCOPES)})",
    )
    add.add_argument(
        "--origin", action="append", default=[], metavar="URL", help="a web origin its pages call from"
    )
    actions.add_parser("list", help="list the clients, their scopes and origins")
    remove = actions.add_parser("remove", help="remove a client: its token stops working at once")
    remove.add_argument("name")
    for each in (add, remove, actions.choices["list"]):
        each.add_argument(
            "--demo", action="store_true", help="the demo station's clients (station serve --virtual)"
        )


def run(args: argparse.Namespace) -> int:
    try:
        station = Station.open_demo() if args.demo else Station.open(url=database_url_from_environment())
    except Exception as error:
        if error_kind(error) == "unexpected" and not isinstance(error, OSError):
            raise
        print(f"station api-client: {error}", file=sys.stderr)
        return EXIT_REFUSED
    with station:
        try:
            if args.action == "add":
                scopes = [
                    part.strip() for each in args.scope or [] for part in each.split(",") if part.strip()
                ]
                client, token = station.add_api_client(
                    console_actor(), args.name, scopes or DEFAULT_SCOPES, args.origin
                )
                origins = ", ".join(client.origins) or "none"
                print(
                    f"added {client.name}: scopes {','.join(client.scopes)}; origins {origins}",
                    file=sys.stderr,
                )
                print(
                    "its token follows, shown only this once: keep it in the client's settings",
                    file=sys.stderr,
                )
                print(token)
            elif args.action == "list":
                for client in station.api_clients():
                    print(f"{client.name:20} {','.join(client.scopes):40} {' '.join(client.origins) or '-'}")
                    print(f"{'':20} added {client.created_at:%Y-%m-%d %H:%M} by {client.created_by}")
            else:
                removed = station.remove_api_client(console_actor(), args.name)
                print(f"removed {removed.name}")
        except ApiClientError as error:
            print(f"station api-client: {error}", file=sys.stderr)
            return EXIT_REFUSED
    return 0
