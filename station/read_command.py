"""`station read`: read and verify one document, print the result (or JSON)."""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

from cccd_station.crypto.truststore import TrustStore
from cccd_station.reader.access import AccessKey, CanKey, IdNumberKey, MrzKey
from cccd_station.reader.errors import (
    AccessDeniedError,
    CardError,
    CardRemovedError,
    NoCardError,
    ReaderUnavailableError,
)
from cccd_station.reader.transport import Transport
from cccd_station.station.paths import data_dir
from cccd_station.station.pipeline import InspectionResult, inspect

EXIT_BAD_ARGUMENTS = 2
EXIT_WRONG_KEY = 3
EXIT_NO_CARD_OR_READER = 4
EXIT_CARD_REMOVED = 5
EXIT_CARD_ERROR = 6
EXIT_UNEXPECTED = 1

log = logging.getLogger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    key = parser.add_mutually_exclusive_group(required=True)
    key.add_argument(
        "--id", metavar="12DIGITS", help="12-digit CCCD number (opens the chip with its last 6 digits)"
    )
    key.add_argument("--can", help="card access number printed on the document")
    key.add_argument("--mrz", metavar="DOCNO,YYMMDD,YYMMDD", help="document number, birth date, expiry date")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--reader", help="PC/SC reader name (default: the first reader holding a card)")
    source.add_argument("--virtual", metavar="PERSONA", help="read the built-in virtual chip in-process")
    parser.add_argument("--fault", action="append", default=[], help="virtual chip fault (with --virtual)")
    parser.add_argument("--trust", type=Path, help="CSCA certificate, master list, CRL or a folder of them")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--photo", type=Path, help="write the portrait to this file (its own format)")


def parse_key(args: argparse.Namespace) -> AccessKey:
    """The access key from the command line; ValueError with a sentence when it is malformed."""
    if args.id is not None:
        if not re.fullmatch(r"\d{12}", args.id):
            raise ValueError("--id must be the 12 digits of the CCCD number")
        return IdNumberKey(args.id)
    if args.can is not None:
        if not re.fullmatch(r"\d{6}", args.can):
            raise ValueError("--can must be 6 digits")
        return CanKey(args.can)
    parts = args.mrz.split(",")
    if len(parts) != 3 or not all(re.fullmatch(r"\d{6}", p) for p in parts[1:]) or not parts[0]:
        raise ValueError("--mrz must be DOCNO,YYMMDD,YYMMDD (document number, birth date, expiry date)")
    return MrzKey(parts[0].upper(), parts[1], parts[2])


def _open_transport(args: argparse.Namespace) -> Transport:
    if args.virtual:
        from cccd_station.reader.chip.chip import VirtualChip
        from cccd_station.reader.chip.faults import Faults
        from cccd_station.reader.transport import InProcessTransport

        return InProcessTransport(VirtualChip(args.virtual, Faults.parse(args.fault)))
    from cccd_station.reader.pcsc import PcscTransport, list_readers

    if args.reader:
        return PcscTransport(args.reader)
    readers = list_readers()
    for name in readers:
        try:
            return PcscTransport(name)
        except NoCardError:
            continue
    raise NoCardError("no card on any reader" if readers else "no smart-card reader is attached")


def _trust_store(args: argparse.Namespace, stack: ExitStack) -> TrustStore:
    if args.trust is None:
        return TrustStore(data_dir() / "trust")
    store = TrustStore(Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="station-trust-"))))
    store.import_path(args.trust)
    return store


def _print_text(result: InspectionResult) -> None:
    print(f"Verdict: {result.verdict.value}")
    print(f"Access:  {result.access.protocol} ({result.access.password})")
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


def run(args: argparse.Namespace) -> int:
    try:
        key = parse_key(args)
    except ValueError as error:
        print(f"station read: {error}", file=sys.stderr)
        return EXIT_BAD_ARGUMENTS
    try:
        with ExitStack() as stack:
            trust = _trust_store(args, stack)
            transport = _open_transport(args)
            stack.callback(transport.close)
            result = inspect(transport, key, trust)
    except (OSError, ValueError) as error:
        print(f"station read: {error}", file=sys.stderr)
        return EXIT_BAD_ARGUMENTS
    except AccessDeniedError as error:
        print(f"station read: wrong key: {error}", file=sys.stderr)
        return EXIT_WRONG_KEY
    except (NoCardError, ReaderUnavailableError) as error:
        print(f"station read: {error}", file=sys.stderr)
        return EXIT_NO_CARD_OR_READER
    except CardRemovedError as error:
        print(f"station read: card removed: {error}", file=sys.stderr)
        return EXIT_CARD_REMOVED
    except CardError as error:
        print(f"station read: {error}", file=sys.stderr)
        return EXIT_CARD_ERROR
    if args.photo and result.photo:
        args.photo.write_bytes(result.photo.data)
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        _print_text(result)
    return 0
