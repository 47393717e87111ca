"""`station read`: read and verify one document through the station's core, print the result (or JSON).

Like every front end it audits the attempt in the station's data directory; only an ad-hoc read with
anchors given on the command line (``--trust``) may skip that with ``--no-audit``. With ``--progress``
the read's progress goes to standard error as it happens: each file as it arrives and the holder's
verified text before the portrait. A card that slips away is waited for as long as ``--wait`` says
(standard error says so), and the read goes on where it stopped.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from cccd_station.crypto.truststore import TrustFileError, anchors_from_files
from cccd_station.reader.keys import AccessKey, parse_key
from cccd_station.station import events
from cccd_station.station.core import Station, database_url_from_environment
from cccd_station.station.errors import error_kind
from cccd_station.station.events import StationEvent
from cccd_station.station.paths import data_dir
from cccd_station.station.pipeline import InspectionResult
from cccd_station.station.readers import DEMO_READER, CardReaders, DemoReaders, PcscReaders
from cccd_station.station.trust import TrustImportError, read_trust_files

EXIT_UNEXPECTED = 1
EXIT_BAD_ARGUMENTS = 2
EXIT_WRONG_KEY = 3
EXIT_NO_CARD_OR_READER = 4
EXIT_CARD_REMOVED = 5
EXIT_CARD_ERROR = 6
EXIT_STORAGE = 7
EXIT_BY_KIND = {
    "bad_key": EXIT_BAD_ARGUMENTS,
    "wrong_key": EXIT_WRONG_KEY,
    "mrz_required": EXIT_WRONG_KEY,
    "no_card": EXIT_NO_CARD_OR_READER,
    "reader_unavailable": EXIT_NO_CARD_OR_READER,
    "busy": EXIT_NO_CARD_OR_READER,
    "card_removed": EXIT_CARD_REMOVED,
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    key = parser.add_mutually_exclusive_group(required=True)
    key.add_argument(
        "--id",
        metavar="12DIGITS",
        help="12-digit CCCD number (opens the chip with its last 6 digits); '-' reads it from standard "
        "input, so it does not show in the process list",
    )
    key.add_argument("--can", help="card access number printed on the document")
    key.add_argument("--mrz", metavar="DOCNO,YYMMDD,YYMMDD", help="document number, birth date, expiry date")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--reader", help="PC/SC reader name (default: the first reader holding a card)")
    source.add_argument("--virtual", metavar="PERSONA", help="read the built-in virtual chip in-process")
    parser.add_argument("--fault", action="append", default=[], help="virtual chip fault (with --virtual)")
    parser.add_argument(
        "--wait",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="wait this long for a card, and for a card that slipped away mid-read to be laid back",
    )
    parser.add_argument(
        "--progress",
        action="store_true",
        help="print progress on standard error: each file, the holder's verified text before the portrait",
    )
    parser.add_argument(
        "--trust", type=Path, help="trust these CSCA certificates, master lists, CRLs (file or folder)"
    )
    parser.add_argument(
        "--no-audit", action="store_true", help="with --trust: an ad-hoc read that leaves no audit event"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--photo", type=Path, help="write the portrait to this file (its own format)")


def key_from_arguments(args: argparse.Namespace) -> AccessKey:
    if args.id is not None:
        return parse_key("id", sys.stdin.readline() if args.id == "-" else args.id)
    if args.can is not None:
        return parse_key("can", args.can)
    return parse_key("mrz", args.mrz)


def _readers(args: argparse.Namespace) -> CardReaders:
    if args.virtual:
        demo = DemoReaders()
        demo.place_card(args.virtual, tuple(args.fault))
        return demo
    return PcscReaders()


def _open_station(args: argparse.Namespace) -> Station:
    readers = _readers(args)
    anchors = None
    if args.trust is not None:
        try:
            anchors = anchors_from_files(read_trust_files(args.trust)).anchors
        except (TrustImportError, TrustFileError) as error:
            raise ValueError(f"--trust: {error}") from error
    if args.no_audit:
        if anchors is None:
            raise ValueError("--no-audit is only for an ad-hoc read with --trust")
        return Station.ad_hoc(anchors, readers, data_dir())
    if isinstance(readers, DemoReaders):
        return Station.open_demo(readers=readers, anchors=anchors)
    return Station.open(url=database_url_from_environment(), readers=readers, anchors=anchors)


def _exit_status(error: BaseException) -> int:
    kind = error_kind(error)
    print(f"station read: {kind.replace('_', ' ')}: {error}", file=sys.stderr)
    return EXIT_BY_KIND.get(kind, EXIT_STORAGE if kind.startswith("storage") else EXIT_CARD_ERROR)


def _print_text(result: InspectionResult) -> None:
    print(f"Verdict: {result.verdict.value}")
    access = result.access
    downgrade = f", after {access.downgraded_from} failed" if access.downgraded_from else ""
    print(f"Access:  {access.protocol} ({access.password}{downgrade})")
    record = result.record
    for label, value in (
        ("ID number", record.id_number),
        ("Name", record.full_name),
        ("Born", record.date_of_birth),
        ("Expires", "no expiry" if record.no_expiry else record.date_of_expiry),
    ):
        print(f"{label + ':':10} {value if value is not None else '-'}")
    for check in result.checks:
        print(f"  [{check.status.value:7}] {check.id}: {check.detail}")
    stats = result.stats
    print(f"{stats.apdus} APDUs, {stats.bytes_sent} bytes sent, {stats.bytes_received} received,", end=" ")
    print(f"{result.seconds:.3f} s")


FILE_NAMES = {0: "EF.SOD"}


class _ProgressPrinter:
    """Follows the read's events and prints them to standard error, one line per file and per event."""

    def __init__(self, detailed: bool) -> None:
        self.detailed = detailed
        self._done: set[int] = set()

    def __call__(self, event: StationEvent) -> None:
        data = event.data
        if event.kind == events.READ_SUSPENDED:
            seconds = data["seconds"]
            print(f"The card left the reader: place it again within {seconds:g} s to go on.", file=sys.stderr)
        elif event.kind == events.READ_RESUMED:
            print("The card is back: reading on from where it stopped.", file=sys.stderr)
        elif not self.detailed:
            return
        elif event.kind == events.READ_PROGRESS:
            number, size = data.get("data_group"), data.get("file_size")
            if number is not None and size and data.get("bytes") == size and number not in self._done:
                self._done.add(number)
                print(f"read {FILE_NAMES.get(number, f'DG{number}')}: {size} bytes", file=sys.stderr)
        elif event.kind == events.READ_TEXT and event.text is not None:
            record = event.text.record
            print("Text verified against the issuer's signature:", file=sys.stderr)
            for label, value in (("ID number", record.id_number), ("Name", record.full_name)):
                print(f"  {label + ':':10} {value if value is not None else '-'}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    try:
        key = key_from_arguments(args)
        station = _open_station(args)
    except (ValueError, OSError) as error:
        print(f"station read: {error}", file=sys.stderr)
        return EXIT_BAD_ARGUMENTS
    except Exception as error:
        if error_kind(error) == "unexpected":
            raise
        return _exit_status(error)
    with station:
        station.events.subscribe(_ProgressPrinter(args.progress))
        try:
            result = station.read(key, reader=DEMO_READER if args.virtual else args.reader, wait_s=args.wait)
        except Exception as error:
            if error_kind(error) == "unexpected":
                raise
            return _exit_status(error)
    if args.photo and result.photo:
        args.photo.write_bytes(result.photo.data)
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        _print_text(result)
    return 0
