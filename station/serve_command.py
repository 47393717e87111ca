"""`station serve`: the local API without a window, for a PC where no clerk sits (issue 11).

Listens on the station's setting (default 127.0.0.1:8777) or ``--listen``; an address other computers can
reach needs ``--tls``, and then the certificate's fingerprint is printed for the clients to pin. Runs until
interrupted (Ctrl+C, SIGTERM).
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from types import FrameType

from cccd_station.station.api import ApiServer, ApiServerError
from cccd_station.station.core import Station, database_url_from_environment
from cccd_station.station.errors import error_kind
from cccd_station.station.readers import DEMO_READER, DemoReaders

EXIT_REFUSED = 2
EXIT_STOPPED = 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--reader",
        help="the reader a read uses unless the request names one (default: the first with a card)",
    )
    parser.add_argument(
        "--listen",
        metavar="HOST:PORT",
        help="where to listen (default: the station's setting, 127.0.0.1:8777)",
    )
    parser.add_argument(
        "--tls",
        action="store_true",
        help="HTTPS and WSS with the station's own certificate (needed off loopback)",
    )
    parser.add_argument(
        "--virtual",
        metavar="PERSONA",
        help="serve the built-in virtual card (demo database, TEST trust anchors)",
    )
    parser.add_argument("--fault", action="append", default=[], help="virtual chip fault (with --virtual)")
    parser.add_argument("--quiet", action="store_true", help="do not log each request")


def _open_station(args: argparse.Namespace) -> Station:
    if args.virtual:
        demo = DemoReaders()
        demo.place_card(args.virtual, tuple(args.fault))
        return Station.open_demo(readers=demo)
    return Station.open(url=database_url_from_environment())


def _wait_for_a_signal(server: ApiServer) -> None:
    stop = threading.Event()

    def handle(_signal: int, _frame: FrameType | None) -> None:
        stop.set()

    for each in (signal.SIGINT, signal.SIGTERM):
        signal.signal(each, handle)
    while not stop.wait(0.5) and server.running:
        pass


def run(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    try:
        station = _open_station(args)
    except Exception as error:
        if error_kind(error) == "unexpected" and not isinstance(error, OSError):
            raise
        print(f"station serve: {error}", file=sys.stderr)
        return EXIT_REFUSED
    with station:
        settings = station.settings()
        try:
            server = ApiServer(
                station,
                args.listen or settings.api_listen,
                tls=args.tls or settings.api_tls,
                reader=DEMO_READER if args.virtual else args.reader,
                access_log=not args.quiet,
            )
            station.start_readers()
            if not station.demo:
                station.start_sync()
            address = server.start()
        except ApiServerError as error:
            print(f"station serve: {error}", file=sys.stderr)
            return EXIT_REFUSED
        print(f"station serve: listening on {address.url}", flush=True)
        print(f"  OpenAPI {address.url}/openapi.json, docs {address.url}/docs, form {address.url}/reception")
        if server.tls_files is not None:
            print(f"  TLS certificate {server.tls_files.certfile}")
            print(f"  SHA-256 fingerprint {server.tls_files.fingerprint}")
            print(f"  public key pin sha256//{server.tls_files.public_key_pin}")
        if not station.api_clients():
            print("  no client may connect yet: add one with `station api-client add NAME`")
        sys.stdout.flush()
        try:
            _wait_for_a_signal(server)
        finally:
            stopped_by_itself = not server.running
            server.stop()
    return EXIT_STOPPED if stopped_by_itself else 0
