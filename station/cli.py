"""The `station` subcommands: tools for the counter and for tests (`ui.command` adds the window).

Each subcommand lives in its own module with ``add_arguments(parser)`` and ``run(args) -> int``,
imported only when used.
"""

from __future__ import annotations

import argparse
import importlib
import sys

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
    "bench": (
        "cccd_station.station.bench",
        "read every virtual persona repeatedly and print APDUs, bytes and times",
    ),
}

EXIT_OK = 0
EXIT_BAD_ARGUMENTS = 2


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog="station", description="CCCD Station")
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
