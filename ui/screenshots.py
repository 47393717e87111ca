"""Drives the real demo window through its main states and saves a PNG of each (scripts/screenshots.sh).

Each step acts on the window the way a clerk would (key, place card, Esc, language) and waits
for the window's own signal before the picture is taken; nothing spins the event loop.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal, SignalInstance
from PySide6.QtWidgets import QApplication

from cccd_station.reader.keys import CanKey, IdNumberKey
from cccd_station.station.demo import demo_key
from cccd_station.station.events import READ_PROGRESS, StationEvent
from cccd_station.station.readers import DemoReaders
from cccd_station.ui.demo_panel import NO_CHIP_AUTH, TAMPERED
from cccd_station.ui.main_window import MainWindow

log = logging.getLogger(__name__)

SETTLE_MS = 400  # let layout and fonts settle before grabbing
CCCD_PERSONA = "nguyen-van-an"  # a CCCD issued in 2023
CAN_CUOC_PERSONA = "vo-thi-thanh-huong"  # a "Căn cước" issued after 1 July 2024: its own labels
PASSPORT_PERSONA = "lindqvist-maja"
WRONG_ID_NUMBER = "001085999999"

Step = tuple[str, Callable[[], None], str]  # picture name, action, what to wait for


class ScreenshotScript(QObject):
    reading_held = Signal()  # from the card thread: the read waits at the photo step
    card_away_shown = Signal()  # the window says to place the card again

    def __init__(self, window: MainWindow, directory: Path) -> None:
        super().__init__(window)
        self._held, self._release = threading.Event(), threading.Event()
        self._unsubscribe: Callable[[], None] | None = None
        self.window = window
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        assert isinstance(window.station.readers, DemoReaders)
        self.readers: DemoReaders = window.station.readers
        # Bound methods only: a lambda kept here would hold this object in a reference cycle.
        self.steps: list[Step] = [
            ("01-idle", self._idle, "delay"),
            ("02-verified", self._verified, "result"),
            ("03-verified-checks", self._expand_checks, "delay"),
            ("03b-verified-can-cuoc", self._verified_can_cuoc, "result"),
            ("04-failed-tampered", self._tampered, "result"),
            ("04b-partial-no-chip-auth", self._older_chip, "result"),
            ("05-wrong-key", self._wrong_key, "error"),
            ("06-reading", self._reading, "reading"),
            ("06b-card-away", self._card_away, "card_away"),
            ("07-english-verified", self._english, "result"),
            ("08-english-passport", self._passport, "result"),
        ]
        self._index = 0
        self._waiting: SignalInstance | None = None

    def start(self) -> None:
        """Fill the screen (Xvfb has no window manager to maximise), then begin."""
        screen = self.window.screen()
        if screen is not None:
            self.window.setGeometry(screen.geometry())
        QTimer.singleShot(SETTLE_MS * 2, self._next)

    def _next(self) -> None:
        if self._index >= len(self.steps):
            QApplication.quit()
            return
        _name, action, wait = self.steps[self._index]
        signal = {
            "result": self.window.result_shown,
            "error": self.window.error_shown,
            "reading": self.reading_held,
            "card_away": self.card_away_shown,
        }.get(wait)
        if signal is not None:
            self._waiting = signal
            signal.connect(self._arrived)
        action()
        if signal is None:
            QTimer.singleShot(SETTLE_MS, self._grab)

    def _arrived(self, *_args: object) -> None:
        if self._waiting is not None:
            self._waiting.disconnect(self._arrived)
            self._waiting = None
        QTimer.singleShot(SETTLE_MS, self._grab)

    def _grab(self) -> None:
        name = self.steps[self._index][0]
        path = self.directory / f"{name}.png"
        self.window.grab().save(str(path))
        log.info("saved %s", path)
        self._let_the_read_go()
        self._index += 1
        self._next()

    def _idle(self) -> None:
        pass

    def _verified(self) -> None:
        self._read(CCCD_PERSONA)

    def _verified_can_cuoc(self) -> None:
        self._read(CAN_CUOC_PERSONA)

    def _tampered(self) -> None:
        self._read(CCCD_PERSONA, TAMPERED)

    def _older_chip(self) -> None:
        self._read(CCCD_PERSONA, NO_CHIP_AUTH)

    def _wrong_key(self) -> None:
        self._read(CCCD_PERSONA, id_number=WRONG_ID_NUMBER)

    def _passport(self) -> None:
        self._read(PASSPORT_PERSONA)

    def _take_the_card_away(self) -> None:
        """Remove the card and let the window hear it now (its events are queued), then clear it."""
        self.readers.remove_card()
        QCoreApplication.sendPostedEvents(self.window.bridge, QEvent.Type.MetaCall)
        self.window.clear_all()

    def _type_key(self, persona: str, id_number: str | None = None) -> None:
        """What the clerk types for ``persona`` (``id_number`` instead of a CCCD's own number)."""
        key = demo_key(persona)
        if isinstance(key, IdNumberKey):
            self.window.keys.set_id_number(id_number or key.id_number)
        elif isinstance(key, CanKey):
            self.window.keys.set_can(key.can)

    def _read(self, persona: str, faults: tuple[str, ...] = (), *, id_number: str | None = None) -> None:
        self._take_the_card_away()
        self._type_key(persona, id_number)
        panel = self.window.demo_panel
        assert panel is not None
        panel.select_persona(persona)
        panel.select_condition(faults)
        self.readers.place_card(persona, faults)

    def _expand_checks(self) -> None:
        self.window.result_view.checks_toggle.setChecked(True)

    def _reading(self) -> None:
        """The progress page mid-read: the card thread is held at the photo until the picture is taken."""
        self._take_the_card_away()
        self._type_key(CCCD_PERSONA)
        self._unsubscribe = self.window.station.events.subscribe(self._hold_at_photo)
        self.readers.place_card(CCCD_PERSONA)

    def _hold_at_photo(self, event: StationEvent) -> None:  # on the card thread
        if event.kind == READ_PROGRESS and event.data.get("step") == "photo" and not self._held.is_set():
            self._held.set()
            self.reading_held.emit()  # queued to this object on the GUI thread
            self._release.wait(30)

    def _card_away(self) -> None:
        """The reading page after the card slipped off at the photo: the verified text stays, the window
        asks for the card again (the read is cancelled by the next step's clearing)."""
        self._take_the_card_away()
        self._type_key(CCCD_PERSONA)
        self.window.state_changed.connect(self._maybe_card_away)
        self._unsubscribe = self.window.station.events.subscribe(self._slip_at_photo)
        self.readers.place_card(CCCD_PERSONA)

    def _slip_at_photo(self, event: StationEvent) -> None:  # on the card thread
        if (
            event.kind == READ_PROGRESS
            and event.data.get("step") == "photo"
            and self.readers.card is not None
        ):
            self.readers.remove_card()

    def _maybe_card_away(self, state: str) -> None:
        if state == "card_away":
            self.window.state_changed.disconnect(self._maybe_card_away)
            self.card_away_shown.emit()

    def _let_the_read_go(self) -> None:
        if self._unsubscribe is not None:  # only after the picture of the held read
            self._unsubscribe()
            self._unsubscribe = None
            self._release.set()

    def _english(self) -> None:
        self.window.set_language("en")
        self._read(CCCD_PERSONA)
