"""Desktop program timings: cold start to the first window shown, and card-ready to result shown.

    .venv/bin/python bench/startup.py [--runs N]

Cold start: a fresh process (`station --demo`) from spawn to the main window's first paint.
Card-ready to result: in one process, from "card placed" on the demo reader to the result drawn
on screen, split into the pipeline's own time (card I/O with the in-process virtual chip,
crypto, parsing) and what the program adds beyond it (thread hand-off, building and painting
the result view); and from "card placed" to the holder's verified text drawn, before the portrait.
Uses the offscreen Qt platform unless a display is set.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PERSONA = "nguyen-van-an"


def cold_start(runs: int) -> list[float]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as data:
            env["STATION_DATA_DIR"] = data
            started = time.perf_counter()
            process = subprocess.Popen(
                [sys.executable, "-m", "cccd_station.ui.command", "--demo", "--bench"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
            )
            assert process.stdout is not None
            for line in process.stdout:
                if line.startswith("first-window-shown"):
                    times.append(time.perf_counter() - started)
                    break
            process.wait(timeout=60)
    return times


def card_to_result(runs: int) -> tuple[list[float], list[float], list[float]]:
    """(pipeline seconds, seconds beyond the pipeline, seconds to the text on screen) per read."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["STATION_DATA_DIR"] = tempfile.mkdtemp(prefix="station-bench-")
    from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from cccd_station.reader.chip.personas import load_persona
    from cccd_station.station.core import Station
    from cccd_station.station.readers import DemoReaders
    from cccd_station.ui.app import build_window, setup_application

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    translations = setup_application(app, "vi")
    station = Station.open_demo()
    window = build_window(station, translations)
    window.show()
    readers = station.readers
    assert isinstance(readers, DemoReaders)
    id_number = load_persona(PERSONA).id_number or ""
    pipeline, beyond, text = [], [], []
    for _ in range(runs + 1):  # the first read warms caches and imports: not counted
        window.clear_all()
        window.keys.set_id_number(id_number)
        loop = QEventLoop()
        shown: dict[str, float] = {}

        def on_result(result: object, shown: dict[str, float] = shown, loop: QEventLoop = loop) -> None:
            window.repaint()  # the result on screen, not only in the widgets
            shown["at"] = time.perf_counter()
            shown["pipeline"] = float(result.seconds)  # type: ignore[attr-defined]
            loop.quit()

        def on_text(_text: object, shown: dict[str, float] = shown) -> None:
            window.repaint()
            shown["text"] = time.perf_counter()

        window.result_shown.connect(on_result)
        window.text_shown.connect(on_text)
        QTimer.singleShot(10_000, loop.quit)
        started = time.perf_counter()
        readers.place_card(PERSONA)
        loop.exec()
        window.result_shown.disconnect(on_result)
        window.text_shown.disconnect(on_text)
        readers.remove_card()
        # Let the window hear the card leave now, or the next key would start a read of the card gone.
        QCoreApplication.sendPostedEvents(window.bridge, QEvent.Type.MetaCall)
        if "at" not in shown or "text" not in shown:
            raise SystemExit("no text and result within 10 s")
        pipeline.append(shown["pipeline"])
        beyond.append(shown["at"] - started - shown["pipeline"])
        text.append(shown["text"] - started)
    window.close()
    station.close()
    return pipeline[1:], beyond[1:], text[1:]


def _ms(values: list[float]) -> str:
    return f"median {statistics.median(values) * 1000:7.1f} ms   max {max(values) * 1000:7.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    starts = cold_start(args.runs)
    print(f"cold start to first window shown ({len(starts)} runs):   {_ms(starts)}")
    pipeline, beyond, text = card_to_result(args.runs)
    print(f"card placed to verified text shown (before the portrait):  {_ms(text)}")
    print(f"card placed to result shown, pipeline (card I/O + checks): {_ms(pipeline)}")
    print(f"card placed to result shown, beyond the pipeline:          {_ms(beyond)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
