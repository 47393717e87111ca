"""Building the application: fonts with Vietnamese glyphs, translations, the window and its card source."""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from cccd_station.station.demo import demo_trust_store
from cccd_station.station.settings import StationSettings, load_settings
from cccd_station.ui.i18n import Translations
from cccd_station.ui.main_window import MainWindow
from cccd_station.ui.sources import CardSource, DemoSource, PcscSource, demo_personas

# Fonts that cover Vietnamese (Latin Extended Additional), best first; Debian's fonts-noto-core has Noto Sans.
FONT_FAMILIES = ("Noto Sans", "Segoe UI", "DejaVu Sans")
FONT_POINT_SIZE = 11
LARGE_SCREEN_HEIGHT = 1000  # a 1920x1080 screen at the counter is read from further away
LARGE_FONT_POINT_SIZE = 13


def setup_application(app: QApplication, language: str) -> Translations:
    app.setApplicationName("CCCD Station")
    app.setOrganizationName("cccd-station")
    screen = app.primaryScreen()
    large = screen is not None and screen.geometry().height() >= LARGE_SCREEN_HEIGHT
    size = LARGE_FONT_POINT_SIZE if large else FONT_POINT_SIZE
    families = set(QFontDatabase.families())
    for family in FONT_FAMILIES:
        if family in families:
            app.setFont(QFont(family, size))
            break
    translations = Translations()
    translations.set_language(language)
    return translations


def build_window(
    settings: StationSettings,
    translations: Translations,
    *,
    demo: bool,
    reader: str = "",
    settings_dir: Path | None = None,
    inspect: Any = None,
) -> tuple[MainWindow, Any]:
    """The main window on a PC/SC or demo source; the second value must outlive the window
    (the demo's temporary trust store)."""
    source: CardSource
    keep_alive: Any = None
    if demo:
        source = DemoSource()
        keep_alive = tempfile.TemporaryDirectory(prefix="station-demo-trust-")
        trust = demo_trust_store(Path(keep_alive.name))
        personas = demo_personas()
    else:
        from cccd_station.crypto.truststore import TrustStore
        from cccd_station.station.paths import data_dir

        source = PcscSource()
        trust = TrustStore(data_dir() / "trust")
        personas = []
    window = MainWindow(
        source,
        trust,
        settings,
        translations,
        demo_personas=personas,
        inspect=inspect,
        settings_dir=settings_dir,
        preferred_reader=reader,
    )
    return window, keep_alive


class _FirstPaint(QObject):
    """Prints the seconds from ``started`` to the window's first paint, then quits."""

    def __init__(self, started: float, parent: QObject) -> None:
        super().__init__(parent)
        self.started = started

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            print(f"first-window-shown {time.perf_counter() - self.started:.4f}", flush=True)
            watched.removeEventFilter(self)
            QTimer.singleShot(0, QApplication.quit)
        return False


def report_first_show(window: MainWindow, started: float) -> None:
    """For bench/startup.py: print the time to the window's first paint, then quit."""
    window.installEventFilter(_FirstPaint(started, window))


class MainThreadGarbageCollector(QObject):
    """Runs Python's cyclic garbage collector on the GUI thread only.

    CPython collects in whichever thread happens to allocate; when that is the card thread and
    the garbage holds a Qt widget, Qt destroys it off the GUI thread and crashes. So automatic
    collection is off while this runs, and a timer collects here, generation by generation,
    when the allocation counts pass CPython's own thresholds.
    """

    def __init__(self, parent: QObject | None = None, interval_ms: int = 1000) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)
        self._was_enabled = gc.isenabled()

    def start(self) -> None:
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        gc.collect()
        if self._was_enabled:
            gc.enable()

    def check(self) -> None:
        counts, thresholds = gc.get_count(), gc.get_threshold()
        for generation in (2, 1, 0):
            if counts[generation] > thresholds[generation]:
                gc.collect(generation)
                return


def open_window(
    args: argparse.Namespace, *, demo: bool, notice: bool, started: float
) -> tuple[MainWindow, ExitStack]:
    """Create the QApplication (if needed) and show the main window; returns the window and what
    to close after it. Separate from :func:`run` so tests get the window without an event loop."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    settings = load_settings()
    translations = setup_application(app, args.lang or settings.language)
    resources = ExitStack()
    # The demo reads fictitious people on a virtual card: no sign-in and no audit trail. At a real
    # counter the clerk signs in first, and every read attempt is audited.
    signed_in = None if demo else _sign_in(resources)
    window, keep_alive = build_window(settings, translations, demo=demo, reader=args.reader)
    if signed_in is not None:
        services, operator = signed_in
        from cccd_station.ui.admin import attach_admin

        attach_admin(window, services, operator)  # parented to the window, lives as long as it
        services.start_sync()
    if notice:
        window.statusBar().showMessage(
            QCoreApplication.translate(
                "MainWindow", "No card reader is attached: demo mode with a virtual card."
            ),
            15000,
        )
    if args.bench:
        report_first_show(window, started)
    if args.screenshot_dir:
        from cccd_station.ui.screenshots import ScreenshotScript

        ScreenshotScript(window, args.screenshot_dir).start()
    window.show()
    collector = MainThreadGarbageCollector(window)
    collector.start()
    resources.callback(collector.stop)
    if keep_alive is not None:
        resources.callback(keep_alive.cleanup)
    return window, resources


def _sign_in(resources: ExitStack) -> tuple[Any, Any]:
    """Open the station's database and have the operator sign in; exit when they give up."""
    from PySide6.QtWidgets import QMessageBox

    from cccd_station.db import DbError
    from cccd_station.station.records_service import StationServices, database_url_from_environment
    from cccd_station.ui.admin import sign_in

    try:
        services = StationServices.open(url=database_url_from_environment())
    except DbError as error:
        QMessageBox.critical(None, "CCCD Station", str(error))
        raise SystemExit(1) from error
    resources.callback(services.close)
    operator = sign_in(services)
    if operator is None:
        resources.close()
        raise SystemExit(0)
    return services, operator


def run(args: argparse.Namespace, *, demo: bool, notice: bool, started: float) -> int:
    """The desktop program until its window closes (options from ui.command)."""
    window, resources = open_window(args, demo=demo, notice=notice, started=started)
    with resources:
        status = QApplication.exec()
    del window
    return int(status)
