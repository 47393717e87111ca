"""The `station` subcommands: tools for the counter and for tests (`ui.command` adds the window).

Each subcommand lives in its own module with ``add_arguments(parser)`` and ``run(args) -> int``,
imported only when used.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import Any

SUBCOMMANDS = {
    "read": ("cccd_station.station.read_command", "read and verify one document, print the result"),
    "emulate": ("cccd_station.station.emulate", "put the virtual chip behind pcscd's vpcd reader"),
    "trust": (
        "cccd_station.station.trust_command",
        "import, list and remove CSCA certificates, master lists and CRLs",
    ),
    "verify": (
        "cccd_station.station.verify_command",
        "passive authentication of EF.SOD and data group files",
    ),
    "serve": (
        "cccd_station.station.serve_command",
        "run the local API for other programs (HTTP and WebSocket), without a window",
    ),
    "api-client": (
        "cccd_station.station.api_client_command",
        "add, list and remove the programs allowed to use the local API",
    ),
    "bench": (
        "cccd_station.station.bench",
        "read every virtual persona repeatedly and print APDUs, bytes and times",
    ),
}

EXIT_OK = 0
EXIT_BAD_ARGUMENTS = 2
DISTRIBUTION = "cccd-station"


def distribution_version() -> str:
    """The installed distribution's version (from its metadata, so a wheel and a checkout agree)."""
    from importlib import metadata  # looked up only when asked: it costs the window's start-up time

    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "unknown (not installed)"


class _PrintVersion(argparse.Action):
    """``--version``: prints ``station <version>`` to standard output and exits."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS, help: str | None = None):
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        print(f"{parser.prog} {distribution_version()}")
        parser.exit()


def add_version_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--version", action=_PrintVersion, help="print the version and exit")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog="station", description="CCCD Station")
    add_version_option(parser)
    commands = parser.add_subparsers(dest="command", required=True)
    for name, (module_name, help_text) in SUBCOMMANDS.items():
        sub = commands.add_parser(name, help=help_text)
        if argv and argv[0] == name:
            importlib.import_module(module_name).add_arguments(sub)
    args = parser.parse_args(argv)
    module = importlib.import_module(SUBCOMMANDS[args.command][0])
    return int(module.run(args))


if __name__ == "__main__":
    sys.exit(main())
