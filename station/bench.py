"""`station bench`: read and verify every virtual persona several times; print what each phase costs.

Figures per phase (access, reading, verification): APDUs, bytes each way, the modelled time on a
contactless link at 106/212/424/848 kbit/s, and CPU time on this machine (median of the runs).
The chip runs in-process, so the CPU time is the station's and the chip's together; the link time
is what a real reader would add.
"""

from __future__ import annotations

import argparse
import statistics

from cccd_station.reader.chip.chip import VirtualChip
from cccd_station.reader.chip.faults import Faults
from cccd_station.reader.chip.personas import persona_names
from cccd_station.reader.link import BIT_RATES, LinkModel
from cccd_station.reader.transport import InProcessTransport
from cccd_station.station.demo import demo_anchors, demo_key
from cccd_station.station.pipeline import PhaseFigures, inspect

PHASES = ("access", "reading", "verification")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--runs", type=int, default=5, help="reads per persona and mode")
    parser.add_argument("--persona", action="append", help="only these personas (default: all)")


def _row(name: str, figures: list[PhaseFigures]) -> str:
    stats = figures[0].stats  # the link figures are the same on every run
    link = "  ".join(f"{LinkModel(rate).seconds(stats) * 1000:7.0f}" for rate in BIT_RATES)
    cpu = statistics.median(f.cpu_seconds for f in figures) * 1000
    return f"  {name:13} {stats.apdus:5} {stats.bytes_sent:7} {stats.bytes_received:8}  {link}  {cpu:8.1f}"


def run(args: argparse.Namespace) -> int:
    trust = demo_anchors()
    header = "  ".join(f"{rate // 1000:4} kbit/s"[:7].rjust(7) for rate in BIT_RATES)
    for persona_name in args.persona or persona_names():
        modes = [("extended", Faults()), ("short only", Faults(no_extended_length=True))]
        for mode, faults in modes:
            key = demo_key(persona_name)
            per_phase: dict[str, list[PhaseFigures]] = {phase: [] for phase in PHASES}
            totals = []
            for _ in range(args.runs):
                result = inspect(InProcessTransport(VirtualChip(persona_name, faults)), key, trust)
                for phase in PHASES:
                    per_phase[phase].append(result.phases[phase])
                totals.append(result)
            print(f"\n{persona_name} ({mode}, {args.runs} runs, verdict {totals[-1].verdict.value})")
            print(f"  {'phase':13} {'APDUs':>5} {'sent':>7} {'received':>8}  {header}  {'CPU ms':>8}")
            for phase in PHASES:
                print(_row(phase, per_phase[phase]))
            total = [PhaseFigures(r.stats, sum(r.phases[p].cpu_seconds for p in PHASES)) for r in totals]
            print(_row("total", total))
    print("\nlink times in ms (model: 9 bits per byte, 6 ms turnaround per APDU)")
    return 0
