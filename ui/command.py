"""The `station` command. With a subcommand (read, emulate, trust, bench) it is `station.cli`;
without one it is the desktop program for the counter.

``station`` opens the main window on the last used reader; ``station --demo`` (or no physical
reader attached) uses the built-in virtual chip with its fictitious people and test CSCA.
The entry point lives here, in the top layer, so that station/ never reaches up into ui/.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from cccd_station.station.cli import SUBCOMMANDS, add_version_option
from cccd_station.station.cli import main as cli_main

log = logging.getLogger(__name__)


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="station", description="CCCD Station: read and verify chip ID cards"
    )
    parser.add_argument(
        "--demo", action="store_true", help="use the built-in virtual card (fictitious people)"
    )
    parser.add_argument(
        "--lang", choices=("vi", "en"), help="language of the window (default: last used, vi)"
    )
    add_version_option(parser)
    parser.add_argument("--reader", default="", help="PC/SC reader to use (default: the last used one)")
    parser.add_argument("--screenshot-dir", type=Path, help=argparse.SUPPRESS)  # scripts/screenshots.sh
    parser.add_argument("--bench", action="store_true", help=argparse.SUPPRESS)  # bench/startup.py
    return parser.parse_args(argv)


def physical_readers() -> list[str]:
    """Attached readers, leaving out vpcd's virtual ones; empty when pcscd is not running."""
    from cccd_station.reader.chip.vpcd import is_vpcd_reader
    from cccd_station.reader.errors import CardError

    try:
        from cccd_station.reader.pcsc import list_readers

        return [name for name in list_readers() if not is_vpcd_reader(name)]
    except CardError:
        return []


def choose_demo(args: argparse.Namespace) -> tuple[bool, bool]:
    """(demo mode, tell the clerk why): demo when asked, or when no physical reader is attached."""
    if args.demo or args.screenshot_dir:
        return True, False
    if not args.reader and not physical_readers():
        log.info("no physical card reader attached: starting in demo mode")
        return True, True
    return False, False


def main(argv: list[str] | None = None) -> int:
    started = time.perf_counter()
    argv = sys.argv[1:] if argv is None else argv
    if argv and (argv[0] in SUBCOMMANDS or argv[0] in ("-h", "--help")):
        return cli_main(argv)
    args = parse_arguments(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)  # its per-start plugin chatter says nothing
    demo, notice = choose_demo(args)
    from cccd_station.ui.app import run  # Qt is loaded only for the window

    return run(args, demo=demo, notice=notice, started=started)


if __name__ == "__main__":
    sys.exit(main())
