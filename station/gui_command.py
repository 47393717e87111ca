"""`station` with no subcommand: the desktop program for the counter.

``station`` opens the main window on the last used reader; ``station --demo`` (or no physical
reader attached) uses the built-in virtual chip with its fictitious people and test CSCA.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

EXIT_OK = 0


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
    parser.add_argument("--reader", default="", help="PC/SC reader to use (default: the last used one)")
    parser.add_argument("--screenshot-dir", type=Path, help=argparse.SUPPRESS)  # scripts/screenshots.sh
    parser.add_argument("--bench", action="store_true", help=argparse.SUPPRESS)  # bench/startup.py
    return parser.parse_args(argv)


def physical_readers() -> list[str]:
    """Attached readers, leaving out vpcd's virtual ones; empty when pcscd is not running."""
    from reader.errors import CardError
    from ui.sources import is_physical_reader

    try:
        from reader.pcsc import list_readers

        return [name for name in list_readers() if is_physical_reader(name)]
    except CardError:
        return []


def open_window(args: argparse.Namespace, started: float) -> tuple[Any, ExitStack]:
    """Create the QApplication (if needed) and show the main window; returns the window and what
    to close after it. Separate from :func:`main` so tests get the window without an event loop."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from station.settings import load_settings
    from ui.app import MainThreadGarbageCollector, build_window, setup_application

    demo = args.demo or bool(args.screenshot_dir)
    notice = False
    if not demo and not args.reader and not physical_readers():
        demo, notice = True, True
        log.info("no physical card reader attached: starting in demo mode")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    settings = load_settings()
    translations = setup_application(app, args.lang or settings.language)
    window, keep_alive = build_window(settings, translations, demo=demo, reader=args.reader)
    if notice:
        window.statusBar().showMessage(
            QCoreApplication.translate(
                "MainWindow", "No card reader is attached: demo mode with a virtual card."
            ),
            15000,
        )
    if args.bench:
        from ui.app import report_first_show

        report_first_show(window, started)
    if args.screenshot_dir:
        from ui.screenshots import ScreenshotScript

        ScreenshotScript(window, args.screenshot_dir).start()
    window.show()
    collector = MainThreadGarbageCollector(window)
    collector.start()
    resources = ExitStack()
    resources.callback(collector.stop)
    resources.callback(lambda: keep_alive and keep_alive.cleanup())
    return window, resources


def main(argv: list[str] | None = None) -> int:
    started = time.perf_counter()
    args = parse_arguments(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    from PySide6.QtWidgets import QApplication

    window, resources = open_window(args, started)
    with resources:
        status = QApplication.exec()
    del window
    return int(status)
