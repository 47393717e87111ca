"""`station verify`: passive authentication of files read elsewhere (a phone, another reader, a dump).

    station verify --sod EF_SOD.bin --dg 1=DG1.bin --dg 2=DG2.bin [--trust PATH] [--json]

The same checks and JSON as `station read`, run on files: EF.SOD's signature, the Document Signer's
chain to a trusted CSCA of the document's country, revocation, and the hash of each data group given.
With no chip at hand, Chip and Active Authentication cannot run, so the verdict is at best `partial`.
Trust comes from ``--trust`` (files or a folder), else from the station's own trust anchors.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from cccd_station.crypto.truststore import TrustAnchors, TrustFileError, anchors_from_files
from cccd_station.crypto.verdict import CHIP_ACTIVE_AUTHENTICATION, CHIP_AUTHENTICATION, Check
from cccd_station.reader.channel import LinkStats
from cccd_station.station.core import Station, database_url_from_environment
from cccd_station.station.errors import error_kind
from cccd_station.station.pipeline import AccessInfo, ChipFiles, parse_document, verify_document
from cccd_station.station.trust import TrustImportError, read_trust_files

EXIT_BAD_ARGUMENTS = 2
MAX_FILE_SIZE = 1024 * 1024  # far above any EF.SOD or data group
NO_CHIP = "No chip was at hand (files only), so the chip could not prove it is genuine."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sod", type=Path, required=True, help="EF.SOD as read from the chip")
    parser.add_argument(
        "--dg",
        action="append",
        default=[],
        metavar="N=FILE",
        help="data group N as read from the chip (repeatable)",
    )
    parser.add_argument(
        "--trust", type=Path, help="trust these CSCA certificates, master lists, CRLs (file or folder)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def _read(path: Path) -> bytes:
    if path.stat().st_size > MAX_FILE_SIZE:
        raise ValueError(f"{path} is too large for a chip file")
    return path.read_bytes()


def _files(args: argparse.Namespace) -> ChipFiles:
    files = ChipFiles()
    files.contents[0] = _read(args.sod)
    for item in args.dg:
        number, separator, name = item.partition("=")
        if not separator or not number.isdigit() or not 1 <= int(number) <= 16:
            raise ValueError(f"--dg {item!r}: write N=FILE with N from 1 to 16")
        files.contents[int(number)] = _read(Path(name))
    return files


def _anchors(args: argparse.Namespace) -> TrustAnchors:
    if args.trust is not None:
        return anchors_from_files(read_trust_files(args.trust)).anchors
    with Station.open(url=database_url_from_environment()) as station:
        return station.anchors


def run(args: argparse.Namespace) -> int:
    try:
        files = _files(args)
        anchors = _anchors(args)
    except (ValueError, OSError, TrustImportError, TrustFileError) as error:
        print(f"station verify: {error}", file=sys.stderr)
        return EXIT_BAD_ARGUMENTS
    except Exception as error:
        if error_kind(error) == "unexpected":
            raise
        print(f"station verify: {error}", file=sys.stderr)
        return EXIT_BAD_ARGUMENTS
    document = parse_document(files.data_groups)
    checks = verify_document(files, anchors, document, None, from_chip=False)
    checks += [
        Check.skipped(CHIP_AUTHENTICATION, NO_CHIP),
        Check.skipped(CHIP_ACTIVE_AUTHENTICATION, NO_CHIP),
    ]
    result = document.result(checks, AccessInfo("files", "none"), LinkStats(), 0.0, {})
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        return 0
    print(f"Verdict: {result.verdict.value}")
    for check in result.checks:
        print(f"  [{check.status.value:7}] {check.id}: {check.detail}")
    return 0
