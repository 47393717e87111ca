"""Rewrite the README's figures tables from `station bench --json`.

    .venv/bin/station bench --json > bench.json && .venv/bin/python bench/readme_figures.py bench.json

The tables go between the ``<!-- bench:start -->`` and ``<!-- bench:end -->`` lines of README.md: the
phases of one CCCD read, then every persona and mode. A test checks their APDU and byte counts against
bench/baseline.json, so the README cannot drift from what the station does.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
DETAILED = ("nguyen-van-an", "extended")
PHASE_NAMES = {
    "access": "access (EF.CardAccess, PACE, SELECT)",
    "text": "text (EF.SOD, DG14, CA, DG1, DG13, their checks)",
    "rest": "rest (DG15, AA, DG2)",
    "verification": "verification (the verdict)",
}


def _n(value: float) -> str:
    return f"{value:,.0f}".replace(",", " ")


def _ms(value: float) -> str:
    return f"{_n(value)} ms"


def tables(figures: dict[str, Any]) -> str:
    rates = [str(rate) for rate in figures["link_model"]["bit_rates"]]
    persona, mode = DETAILED
    entry = figures["results"][persona][mode]
    rate_heads = " | ".join(f"{int(rate) // 1000} kbit/s" for rate in rates)
    lines = [
        f"One read of `{persona}` ({mode}, {entry['protocol']}), {figures['runs']} runs:",
        "",
        f"| phase | APDUs | bytes sent | bytes received | {rate_heads} | CPU |",
        "|---|---|---|---|" + "---|" * len(rates) + "---|",
    ]
    for name, label in PHASE_NAMES.items():
        phase = entry["phases"][name]
        link = _phase_link(phase, figures)
        lines.append(
            f"| {label} | {phase['apdus']} | {_n(phase['bytes_sent'])} | {_n(phase['bytes_received'])} | "
            + " | ".join(_ms(link[rate]) for rate in rates)
            + f" | {phase['cpu_ms']:.0f} ms |"
        )
    lines.append(
        f"| total | {entry['apdus']} | {_n(entry['bytes_sent'])} | {_n(entry['bytes_received'])} | "
        + " | ".join(_ms(entry["link_ms"][rate]) for rate in rates)
        + f" | {entry['cpu_ms']:.0f} ms |"
    )
    for label, key in (("verified text", "time_to_text_ms"), ("verdict", "time_to_verdict_ms")):
        lines.append(f"| time to {label} | | | | " + " | ".join(_ms(entry[key][r]) for r in rates) + " | |")
    lines += [
        "",
        "Every persona and mode (time to the verified text and to the verdict: link plus CPU, at 106 and 424 "
        "kbit/s):",
        "",
        "| persona | mode | protocol | APDUs | bytes sent | bytes received | text 106 | verdict 106 | "
        "text 424 | verdict 424 |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for persona, modes in figures["results"].items():
        for mode, entry in modes.items():
            text, verdict = entry["time_to_text_ms"], entry["time_to_verdict_ms"]
            counts = f"{entry['apdus']} | {_n(entry['bytes_sent'])} | {_n(entry['bytes_received'])}"
            times = " | ".join(
                _ms(values[rate]) for rate in ("106000", "424000") for values in (text, verdict)
            )
            lines.append(f"| {persona} | {mode} | {entry['protocol']} | {counts} | {times} |")
    return "\n".join(lines)


def _phase_link(phase: dict[str, Any], figures: dict[str, Any]) -> dict[str, float]:
    model = figures["link_model"]
    bits = (phase["bytes_sent"] + phase["bytes_received"]) * model["bits_per_byte"]
    return {
        str(rate): phase["apdus"] * model["apdu_latency_ms"] + bits / rate * 1000
        for rate in model["bit_rates"]
    }


def rewrite(readme: str, figures: dict[str, Any]) -> str:
    before, start, rest = readme.partition(START)
    _old, end, after = rest.partition(END)
    if not start or not end:
        raise ValueError(f"README.md has no {START} ... {END} block")
    return f"{before}{START}\n{tables(figures)}\n{END}{after}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("figures", nargs="?", help="`station bench --json` output (default: standard input)")
    args = parser.parse_args(argv)
    text = Path(args.figures).read_text() if args.figures else sys.stdin.read()
    README.write_text(rewrite(README.read_text(), json.loads(text)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
