"""Building the application: fonts with Vietnamese glyphs, translations, the station and its window.

The window receives one :class:`~cccd_station.station.core.Station`: the demo's (its own database in
``<data dir>/demo`` with the TEST anchors, no sign-in) or the counter's (sign-in first, then the sync
loop). Every Qt object the window makes has a Qt parent, so Python's garbage collector, which may run
on the card thread, never destroys a widget: it only ever drops wrappers.
"""

from __future__ import annotations

import argparse
import sys
import time
from contextlib import ExitStack

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from cccd_station.station.core import Operator, Station, database_url_from_environment
from cccd_station.station.demo import demo_personas
from cccd_station.station.errors import error_kind
from cccd_station.station.readers import DemoReaders
from cccd_station.ui.i18n import Translations
from cccd_station.ui.main_window import MainWindow

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


def open_station(*, demo: bool) -> Station:
    """The demo station (virtual card, TEST anchors) or this counter's (PC/SC readers)."""
    if demo:
        return Station.open_demo()
    return Station.open(url=database_url_from_environment())


def build_window(station: Station, translations: Translations, *, reader: str = "") -> MainWindow:
    """The main window on ``station`` (the demo panel when its readers are the demo's)."""
    return MainWindow(
        station,
        translations,
        demo_personas=demo_personas() if isinstance(station.readers, DemoReaders) else None,
        preferred_reader=reader,
    )


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


def open_window(
    args: argparse.Namespace, *, demo: bool, notice: bool, started: float
) -> tuple[MainWindow, ExitStack]:
    """Create the QApplication (if needed), open the station and show its window; returns the window and
    what to close after it (the station). Separate from :func:`run` so tests get the window without an
    event loop."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    resources = ExitStack()
    try:
        station = open_station(demo=demo)
    except Exception as error:
        if error_kind(error) == "unexpected":
            raise
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(None, "CCCD Station", str(error))
        raise SystemExit(1) from error
    resources.callback(station.close)
    translations = setup_application(app, args.lang or station.settings().language)
    # The demo reads fictitious people on a virtual card: no sign-in. At a real counter the clerk signs
    # in first; either way the core audits every read attempt.
    operator = None if demo else _sign_in(station, resources)
    window = build_window(station, translations, reader=args.reader)
    resources.callback(window.deleteLater)  # closed before the station, deleted on the GUI thread
    resources.callback(window.close)
    if operator is not None:
        from cccd_station.ui.admin import attach_admin

        hooks = attach_admin(window, station, operator)  # parented to the window, lives as long as it
        resources.callback(hooks.stop)  # the local API stops before the window and the station close
        station.start_sync()
    if notice:
        window.show_message(
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
    return window, resources


def _sign_in(station: Station, resources: ExitStack) -> Operator:
    """Have the operator sign in; exit when they give up."""
    from cccd_station.ui.admin import sign_in

    operator = sign_in(station)
    if operator is None:
        resources.close()
        raise SystemExit(0)
    return operator


def run(args: argparse.Namespace, *, demo: bool, notice: bool, started: float) -> int:
    """The desktop program until its window closes (options from ui.command)."""
    window, resources = open_window(args, demo=demo, notice=notice, started=started)
    with resources:
        status = QApplication.exec()
    del window
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # the window, on this thread
    return int(status)
