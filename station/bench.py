"""`station bench`: read and verify every virtual persona several times; print what each phase costs.

Figures per phase (access: EF.CardAccess, PACE, SELECT; text: EF.SOD, DG14, Chip Authentication and the
holder's text up to its verification; rest: DG15, Active Authentication, the portrait and any other group;
verification: the verdict): APDUs, bytes each way, the modelled time on a contactless link at
106/212/424/848 kbit/s, and CPU time on this machine (median of the runs). Then the time to the verified
text and to the verdict at each bit rate: modelled link time plus CPU time, up to the text and to the end.

Modes: ``extended`` (a chip and reader that take extended length), ``short`` (short APDUs only) and
``pace-cam`` (extended, and the chip offers PACE with the chip authentication mapping).

The chip runs in-process, so the CPU time is the station's and the chip's together; the link time is what
a real reader would add. ``--json`` prints everything as one object; ``--baseline`` only the APDU and byte
counts, which do not vary from run to run (bench/baseline.json holds them; a test keeps them from growing).
"""

from __future__ import annotations

import argparse
import json
import statistics
from typing import Any

from cccd_station.reader.channel import LinkStats
from cccd_station.reader.chip.chip import VirtualChip
from cccd_station.reader.chip.faults import Faults
from cccd_station.reader.chip.personas import persona_names
from cccd_station.reader.link import BIT_RATES, LinkModel
from cccd_station.reader.transport import InProcessTransport
from cccd_station.station.demo import demo_anchors, demo_key
from cccd_station.station.pipeline import PHASES, InspectionResult, PhaseFigures, inspect

MODES: dict[str, tuple[str, ...]] = {
    "extended": (),
    "short": ("no-extended-length",),
    "pace-cam": ("pace-cam",),
}
TEXT_PHASES = ("access", "text")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--runs", type=int, default=5, help="reads per persona and mode")
    parser.add_argument("--persona", action="append", help="only these personas (default: all)")
    parser.add_argument(
        "--mode", action="append", choices=list(MODES), help="only these modes (default: all)"
    )
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print every figure as one JSON object")
    output.add_argument(
        "--baseline", action="store_true", help="print only the APDU and byte counts, as bench/baseline.json"
    )


def _sum(stats: list[LinkStats]) -> LinkStats:
    return LinkStats(
        sum(s.apdus for s in stats), sum(s.bytes_sent for s in stats), sum(s.bytes_received for s in stats)
    )


def _counts(stats: LinkStats) -> dict[str, int]:
    return {"apdus": stats.apdus, "bytes_sent": stats.bytes_sent, "bytes_received": stats.bytes_received}


def _link_ms(stats: LinkStats) -> dict[str, float]:
    return {str(rate): round(LinkModel(rate).seconds(stats) * 1000, 1) for rate in BIT_RATES}


def _phase(result: InspectionResult, name: str) -> PhaseFigures:
    return result.phases.get(name) or PhaseFigures(LinkStats(), 0.0)


def measure(persona: str, mode: str, runs: int) -> dict[str, Any]:
    """Read ``persona`` in ``mode`` ``runs`` times; its figures (link counts from the first run, which
    every run repeats; CPU times the median)."""
    trust = demo_anchors()
    key = demo_key(persona)
    faults = Faults.parse(list(MODES[mode]))
    results = [
        inspect(InProcessTransport(VirtualChip(persona, faults)), key, trust) for _ in range(max(1, runs))
    ]
    first = results[0]
    cpu = {name: statistics.median(_phase(r, name).cpu_seconds for r in results) for name in PHASES}
    text_stats = _sum([_phase(first, name).stats for name in TEXT_PHASES])
    text_cpu = sum(cpu[name] for name in TEXT_PHASES)
    total_cpu = sum(cpu.values())
    return {
        "verdict": first.verdict.value,
        "protocol": first.access.protocol,
        **_counts(first.stats),
        "phases": {
            name: {**_counts(_phase(first, name).stats), "cpu_ms": round(cpu[name] * 1000, 2)}
            for name in PHASES
        },
        "link_ms": _link_ms(first.stats),
        "cpu_ms": round(total_cpu * 1000, 2),
        "apdus_to_text": text_stats.apdus,
        "time_to_text_ms": {
            rate: round(ms + text_cpu * 1000, 1) for rate, ms in _link_ms(text_stats).items()
        },
        "time_to_verdict_ms": {
            rate: round(ms + total_cpu * 1000, 1) for rate, ms in _link_ms(first.stats).items()
        },
    }


def collect(personas: list[str], modes: list[str], runs: int) -> dict[str, Any]:
    model = LinkModel()
    return {
        "link_model": {
            "bits_per_byte": model.bits_per_byte,
            "apdu_latency_ms": model.apdu_latency * 1000,
            "bit_rates": list(BIT_RATES),
        },
        "runs": runs,
        "results": {persona: {mode: measure(persona, mode, runs) for mode in modes} for persona in personas},
    }


def baseline(figures: dict[str, Any]) -> dict[str, Any]:
    """The counts that do not vary: APDUs and bytes per persona and mode."""
    return {
        persona: {
            mode: {name: entry[name] for name in ("apdus", "bytes_sent", "bytes_received")}
            for mode, entry in modes.items()
        }
        for persona, modes in figures["results"].items()
    }


def _row(name: str, counts: dict[str, int], cpu_ms: float) -> str:
    stats = LinkStats(counts["apdus"], counts["bytes_sent"], counts["bytes_received"])
    link = "  ".join(f"{ms:7.0f}" for ms in _link_ms(stats).values())
    return f"  {name:13} {stats.apdus:5} {stats.bytes_sent:7} {stats.bytes_received:8}  {link}  {cpu_ms:8.1f}"


def _print_table(figures: dict[str, Any]) -> None:
    header = "  ".join(f"{rate // 1000:4} kb".rjust(7) for rate in BIT_RATES)
    for persona, modes in figures["results"].items():
        for mode, entry in modes.items():
            about = f"{figures['runs']} runs, {entry['protocol']}, verdict {entry['verdict']}"
            print(f"\n{persona} ({mode}, {about})")
            print(f"  {'phase':13} {'APDUs':>5} {'sent':>7} {'received':>8}  {header}  {'CPU ms':>8}")
            for name in PHASES:
                phase = entry["phases"][name]
                print(_row(name, phase, phase["cpu_ms"]))
            print(_row("total", entry, entry["cpu_ms"]))
            for label, key in (("to text", "time_to_text_ms"), ("to verdict", "time_to_verdict_ms")):
                times = "  ".join(f"{ms:7.0f}" for ms in entry[key].values())
                print(f"  {label:13} {'':5} {'':7} {'':8}  {times}")
    print("\nlink times in ms (model: 9 bits per byte, 6 ms turnaround per APDU);")
    print(
        "'to text' and 'to verdict': modelled link time plus CPU time up to the verified text and the verdict"
    )


def run(args: argparse.Namespace) -> int:
    figures = collect(args.persona or persona_names(), args.mode or list(MODES), args.runs)
    if args.json:
        print(json.dumps(figures, indent=2))
    elif args.baseline:
        print(json.dumps(baseline(figures), indent=2, sort_keys=True))
    else:
        _print_table(figures)
    return 0
