"""`station emulate`: put the virtual chip of a persona into pcscd's vpcd reader.

While it runs, any PC/SC program (the station itself, pcsc_scan, opensc-tool) sees a card in
"Virtual PCD 00 00" (port 35963) or "Virtual PCD 00 01" (port 35964). Ctrl+C removes the card.

    station emulate --list
    station emulate --persona nguyen-van-an
    station emulate --persona lindqvist-maja --fault cloned-aa --fault max-response=512
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from types import FrameType

from cccd_station.reader.chip.vpcd import VPCD_PORT, VPCD_READER, VPCD_SECOND_PORT, VPCD_SECOND_READER

EXIT_OK = 0
EXIT_BAD_ARGUMENTS = 2
EXIT_NO_VPCD = 3
CONNECT_TIMEOUT = 3.0  # seconds; vpcd answers at once when pcscd runs
READERS = {VPCD_PORT: VPCD_READER, VPCD_SECOND_PORT: VPCD_SECOND_READER}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--persona", metavar="NAME", help="fictitious holder whose card to emulate")
    parser.add_argument("--host", default="127.0.0.1", help="where vpcd listens (default 127.0.0.1)")
    parser.add_argument(
        "--port",
        type=int,
        default=VPCD_PORT,
        help=f"vpcd port: {VPCD_PORT} = '{VPCD_READER}', {VPCD_SECOND_PORT} = '{VPCD_SECOND_READER}'",
    )
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="F",
        help="make the chip faulty (repeatable); --list shows the faults",
    )
    parser.add_argument("--list", action="store_true", help="list the personas and faults, then exit")


def _print_list() -> None:
    from cccd_station.reader.chip.faults import FAULT_HELP
    from cccd_station.reader.chip.personalise import personalise
    from cccd_station.reader.chip.personas import load_persona, persona_names

    print("Personas (fictitious people; the keys open their virtual cards):")
    for name in persona_names():
        persona = load_persona(name)
        chip = personalise(name)
        if persona.kind == "cccd":
            opening = f"--id {persona.id_number}  (CAN {chip.can})"
        else:
            mrz = persona.mrz
            opening = f"--can {chip.can}  or  --mrz {mrz.document_number},{mrz.birth_raw},{mrz.expiry_raw}"
        print(f"  {name:20} {persona.kind:8} {opening}")
    print("\nFaults (--fault F, repeatable):")
    for spelling, (_, description) in FAULT_HELP.items():
        print(f"  {spelling:20} {description}")


def run(args: argparse.Namespace) -> int:
    if args.list:
        _print_list()
        return EXIT_OK
    if not args.persona:
        print("station emulate: give --persona NAME (see --list)", file=sys.stderr)
        return EXIT_BAD_ARGUMENTS

    from cccd_station.reader.chip.chip import VirtualChip
    from cccd_station.reader.chip.faults import FaultError, Faults
    from cccd_station.reader.chip.personalise import PersonalisationError
    from cccd_station.reader.chip.personas import PersonaError
    from cccd_station.reader.chip.vpcd import VpcdBridge

    try:
        faults = Faults.parse(args.fault)
        chip = VirtualChip(args.persona, faults)
    except (FaultError, PersonaError, PersonalisationError) as error:
        print(f"station emulate: {error}", file=sys.stderr)
        return EXIT_BAD_ARGUMENTS

    # A pulled card stays out (the fault's point); otherwise vpcd gets it back after a drop.
    reinsert = None if faults.remove_after is not None else 1.0
    bridge = VpcdBridge(chip, args.host, args.port, reinsert_delay=reinsert)
    bridge.start()
    if not bridge.wait_connected(CONNECT_TIMEOUT):
        bridge.stop()
        print(
            f"station emulate: vpcd is not listening at {args.host}:{args.port}. Is pcscd running with "
            "the vsmartcard vpcd driver? (scripts/services.sh starts both)",
            file=sys.stderr,
        )
        return EXIT_NO_VPCD

    reader = READERS.get(args.port, f"the vpcd reader at port {args.port}")
    print(f"Card of {args.persona} inserted in '{reader}' (faults: {faults}).")
    print(f"ATR {chip.atr.hex(' ').upper()}. Press Ctrl+C to remove it.", flush=True)
    finished = threading.Event()

    def _on_signal(_signum: int, _frame: FrameType | None) -> None:
        finished.set()

    previous = signal.signal(signal.SIGTERM, _on_signal)
    try:
        while not finished.wait(0.2):
            if chip.removed and not bridge.connected:
                print("The card was pulled out (remove-after fault).")
                break
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        bridge.stop()
    print("Card removed.")
    return EXIT_OK
