"""Drives the real demo window through its main states and saves a PNG of each (scripts/screenshots.sh).

Each step acts on the window the way a clerk would (key, place card, Esc, language) and waits
for the window's own signal before the picture is taken; nothing spins the event loop.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, SignalInstance
from PySide6.QtWidgets import QApplication

from cccd_station.ui.main_window import MainWindow
from cccd_station.ui.sources import NO_CHIP_AUTH, TAMPERED, DemoSource

log = logging.getLogger(__name__)

SETTLE_MS = 400  # let layout and fonts settle before grabbing
CCCD_PERSONA = "nguyen-van-an"
PASSPORT_PERSONA = "lindqvist-maja"
WRONG_ID_NUMBER = "001085999999"

Step = tuple[str, Callable[[], None], str]  # picture name, action, what to wait for


class ScreenshotScript(QObject):
    def __init__(self, window: MainWindow, directory: Path) -> None:
        super().__init__(window)
        self.window = window
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        assert isinstance(window.source, DemoSource)
        self.source: DemoSource = window.source
        self.steps: list[Step] = [
            ("01-idle", lambda: None, "delay"),
            ("02-verified", lambda: self._read(CCCD_PERSONA), "result"),
            ("03-verified-checks", self._expand_checks, "delay"),
            ("04-failed-tampered", lambda: self._read(CCCD_PERSONA, TAMPERED), "result"),
            ("04b-partial-no-chip-auth", lambda: self._read(CCCD_PERSONA, NO_CHIP_AUTH), "result"),
            (
                "05-wrong-key",
                lambda: self._read(CCCD_PERSONA, id_number=WRONG_ID_NUMBER),
                "error",
            ),
            ("06-reading", self._reading, "delay"),
            ("07-english-verified", self._english, "result"),
            ("08-english-passport", lambda: self._read(PASSPORT_PERSONA), "result"),
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
        signal = {"result": self.window.result_shown, "error": self.window.error_shown}.get(wait)
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
        self._index += 1
        self._next()

    def _key_for(self, persona: str) -> tuple[str, str]:
        panel = self.window.demo_panel
        assert panel is not None
        for key, _name, number in panel.personas:
            if key == persona:
                return ("id" if len(number) == 12 else "can"), number
        raise KeyError(persona)

    def _read(self, persona: str, faults: tuple[str, ...] = (), *, id_number: str | None = None) -> None:
        self.source.remove_card()
        self.window.clear_all()
        kind, number = self._key_for(persona)
        if kind == "id":
            self.window.keys.set_id_number(id_number or number)
        else:
            self.window.keys.set_can(number)
        panel = self.window.demo_panel
        assert panel is not None
        panel.select_persona(persona)
        panel.select_condition(faults)
        self.source.place_card(persona, faults)

    def _expand_checks(self) -> None:
        self.window.result_view.checks_toggle.setChecked(True)

    def _reading(self) -> None:
        """The progress page as it looks mid-read (shown without a worker, for the picture)."""
        self.source.remove_card()
        self.window.clear_all()
        self.window.keys.set_id_number(self._key_for(CCCD_PERSONA)[1])
        from cccd_station.ui.main_window import Page, ReaderState
        from cccd_station.ui.texts import step_text

        self.window.step_label.setText(step_text("photo"))
        self.window.progress.setValue(45)
        self.window._show_page(Page.PROGRESS)
        self.window._set_state(ReaderState.READING)

    def _english(self) -> None:
        self.window.set_language("en")
        self._read(CCCD_PERSONA)
