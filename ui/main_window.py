"""The counter's main window: reader status, key entry, progress, result or error, and the demo reader.

The window holds one :class:`~cccd_station.station.core.Station` and follows it through a
:class:`~cccd_station.ui.station_bridge.StationBridge`; the core runs every read on its card thread and
audits it. What the clerk sees is an explicit state machine (:class:`State`), changed in one place
(:meth:`MainWindow._enter`):

==================  =========================================================  =====================
from                event                                                      to
==================  =========================================================  =====================
any but reading     a key completed with a card on the reader, a card placed     READING
                    with a key typed, Enter, "Try again"
IDLE                Enter with a key but no card                                 WAITING_FOR_CARD
READING             the holder's verified text arrives (before the portrait)     READING (text shown)
READING             the card slips away mid-read                                 CARD_AWAY
CARD_AWAY           the card is laid back (the read goes on)                     READING (progress kept)
READING, CARD_AWAY  read completed (card still there / card gone meanwhile)     RESULT / RESULT_CARD_GONE
READING, CARD_AWAY  read failed (CARD_AWAY: the card did not come back in time)  ERROR
READING, CARD_AWAY  Esc or "Cancel"                                              IDLE
RESULT              the card leaves                                              RESULT_CARD_GONE
RESULT_CARD_GONE    a key typed for the next card                                IDLE (key kept)
RESULT_CARD_GONE    another card placed (or one waiting on a second reader)      IDLE (key cleared too)
any                 Esc, "Done", the auto-clear delay                            IDLE (key cleared)
==================  =========================================================  =====================

"Reading" is READING or CARD_AWAY. With several readers the first card wins: a card placed on another
reader while one is being read or shown waits, and becomes the current card when that one leaves.
The auto-clear delay runs while a holder or an error is shown for a card that is no longer there.
The reader status line is a function of (state, reader, card present): :func:`reader_line`.
"""

from __future__ import annotations

import json
import logging
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QGuiApplication,
    QImage,
    QKeySequence,
    QTextDocument,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QStatusBar,
    QVBoxLayout,
    QWidget,
)

from cccd_station.station.core import Operator, ReadHandle, Station, StationSettings
from cccd_station.station.keyinput import CccdQr
from cccd_station.station.readers import DEMO_READER, DemoReaders, ReaderInfo
from cccd_station.ui.demo_panel import DemoPanel
from cccd_station.ui.face_panel import FacePanel
from cccd_station.ui.i18n import LANGUAGES, Translations
from cccd_station.ui.key_entry import KeyEntry
from cccd_station.ui.result_view import ResultView, result_as_html, result_as_text
from cccd_station.ui.station_bridge import StationBridge
from cccd_station.ui.text_preview import TextPreview
from cccd_station.ui.texts import SILENT_KINDS, ErrorText, error_text, kind_text, step_text

if TYPE_CHECKING:
    from cccd_station.reader.keys import AccessKey
    from cccd_station.station.pipeline import HolderText, InspectionResult

log = logging.getLogger(__name__)

LEFT_COLUMN_WIDTH = 400
AUDIT_FAILED_MESSAGE_MS = 30_000


class State(StrEnum):
    """What the window shows."""

    IDLE = "idle"  # nothing read: waiting for a key and a card
    WAITING_FOR_CARD = "waiting_for_card"  # the clerk asked to read; no card on the reader yet
    READING = "reading"
    CARD_AWAY = "card_away"  # the card slipped away mid-read: the read waits for it, keeping what it has
    RESULT = "result"  # the holder of the card on the reader
    RESULT_CARD_GONE = "result_card_gone"  # the holder of a card that left: cleared after the delay
    ERROR = "error"


class ReaderLine(StrEnum):
    """The reader status line above the key entry."""

    NO_READER = "no_reader"
    READY = "ready"
    CARD_PRESENT = "card_present"
    READING = "reading"
    CARD_AWAY = "card_away"
    DONE = "done"


READING_STATES = (State.READING, State.CARD_AWAY)


def reader_line(state: State, reader: str | None, card_present: bool) -> ReaderLine:
    if state is State.READING:
        return ReaderLine.READING
    if state is State.CARD_AWAY:
        return ReaderLine.CARD_AWAY
    if reader is None:
        return ReaderLine.NO_READER
    if card_present and state in (State.RESULT, State.ERROR):
        return ReaderLine.DONE
    return ReaderLine.CARD_PRESENT if card_present else ReaderLine.READY


def _physical(name: str) -> bool:
    return ReaderInfo(name, False).physical


class MainWindow(QMainWindow):
    """The clerk's window on one station.

    Signals for tests and the screenshot script: ``result_shown``, ``text_shown`` (the holder's text
    before the portrait), ``error_shown`` (error kind), ``cleared``, ``read_started``, ``state_changed``
    (state value), ``language_changed``.
    Public API for the admin wiring: :attr:`records_menu`, :meth:`add_status_widget`,
    :meth:`set_operator`, :meth:`apply_settings`.
    """

    result_shown = Signal(object)
    text_shown = Signal(object)
    error_shown = Signal(str)
    cleared = Signal()
    read_started = Signal()
    state_changed = Signal(str)
    language_changed = Signal(str)  # the new language code, after this window retranslated

    def __init__(
        self,
        station: Station,
        translations: Translations,
        *,
        demo_personas: list[tuple[str, str, str]] | None = None,
        preferred_reader: str = "",
    ) -> None:
        super().__init__()
        self.station = station
        self.translations = translations
        self.demo = station.demo
        self.operator: Operator | None = None
        self.settings = settings = station.settings()  # kept in step by apply_settings
        self.preferred_reader = preferred_reader or settings.last_reader
        self.readers: list[str] = []
        self.reader: str | None = None
        self.card_present = False
        self.waiting_cards: list[str] = []  # other readers holding a card, first placed first
        self.away_seconds = 0.0
        self.state = State.IDLE
        self.line = ReaderLine.NO_READER
        self.error: ErrorText | None = None
        self._read: ReadHandle | None = None

        self.auto_clear = QTimer(self)
        self.auto_clear.setSingleShot(True)
        self.auto_clear.timeout.connect(self.clear_all)

        self.bridge = StationBridge(station, self)
        self._build()
        self._build_menus()
        # Made now, not on first use, so that what is added to it later shows with the window.
        self.setStatusBar(QStatusBar(self))
        # Is the person at the counter the holder? After a verified read (when the face extra is installed).
        self.face = FacePanel(station, settings, lambda: self.operator, self)
        self.result_view.add_below_portrait(self.face)
        self.demo_panel: DemoPanel | None = None
        if isinstance(station.readers, DemoReaders):
            self.demo_panel = DemoPanel(station.readers, demo_personas or [], self.bridge, self)
            self.left.insertWidget(1, self.demo_panel)

        bridge = self.bridge
        bridge.reader_added.connect(self._on_reader_added)
        bridge.reader_removed.connect(self._on_reader_removed)
        bridge.card_inserted.connect(self._on_card_inserted)
        bridge.card_removed.connect(self._on_card_removed)
        bridge.read_progress.connect(self._on_progress)
        bridge.read_text.connect(self._on_text)
        bridge.read_suspended.connect(self._on_suspended)
        bridge.read_resumed.connect(self._on_resumed)
        bridge.read_completed.connect(self._on_result)
        bridge.read_failed.connect(self._on_failure)
        bridge.audit_failed.connect(self._on_audit_failed)
        self.keys.key_changed.connect(self._on_key_changed)
        self.keys.submitted.connect(self.read_now)
        self.keys.qr_scanned.connect(self._on_qr_scanned)

        for info in station.reader_list():  # what the readers know now; their events follow
            self._on_reader_added(info.name)
            if info.card_present and info.name == self.reader:
                self.card_present = True
        self.retranslate()
        self._restore_geometry(settings.window_geometry)
        self._enter(State.IDLE)

    # --- layout --------------------------------------------------------------------
    def _build(self) -> None:
        central = QWidget(self)
        self.demo_banner = QLabel(central)
        self.demo_banner.setObjectName("demoBanner")
        self.demo_banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.demo_banner.setStyleSheet(
            "#demoBanner { background: #5b2a86; color: white; font-weight: bold; padding: 4px; }"
        )
        self.reader_status = QLabel(central)
        self.reader_status.setObjectName("readerStatus")
        self.reader_status.setStyleSheet("#readerStatus { font-size: 13pt; padding: 4px; }")

        left_box = QWidget(central)
        left_box.setFixedWidth(LEFT_COLUMN_WIDTH)
        self.keys = KeyEntry(left_box)
        self.scanned_note = QLabel(left_box)
        self.scanned_note.setWordWrap(True)
        self.read_button = QPushButton(left_box)
        self.read_button.clicked.connect(self.read_now)
        self.done_button = QPushButton(left_box)
        self.done_button.setObjectName("doneButton")
        self.done_button.clicked.connect(self.clear_all)
        buttons = QHBoxLayout()
        buttons.addWidget(self.read_button)
        buttons.addWidget(self.done_button)
        self.left = QVBoxLayout(left_box)
        self.left.addWidget(self.keys)
        self.left.addWidget(self.scanned_note)
        self.left.addLayout(buttons)
        self.left.addStretch(1)

        self.pages = QStackedWidget(central)
        self.idle_text = QLabel(self.pages)
        self.idle_text.setWordWrap(True)
        self.idle_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.idle_text.setStyleSheet("font-size: 16pt; color: #444;")

        progress_page = QWidget(self.pages)
        progress_layout = QVBoxLayout(progress_page)
        self.step_label = QLabel(progress_page)
        self.step_label.setStyleSheet("font-size: 16pt;")
        self.progress = QProgressBar(progress_page)
        self.progress.setRange(0, 100)
        self.away_note = QLabel(progress_page)
        self.away_note.setWordWrap(True)
        self.away_note.setStyleSheet("font-size: 13pt; color: #8a5300;")
        self.text_preview = TextPreview(progress_page)
        self.cancel_button = QPushButton(progress_page)
        self.cancel_button.clicked.connect(self.cancel_read)
        progress_layout.addStretch(1)
        progress_layout.addWidget(self.step_label)
        progress_layout.addWidget(self.progress)
        progress_layout.addWidget(self.away_note)
        progress_layout.addWidget(self.text_preview, 12)  # when shown, it takes the room the spacers had
        progress_layout.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignLeft)
        progress_layout.addStretch(2)

        self.result_view = ResultView(self.pages)

        error_page = QWidget(self.pages)
        error_layout = QVBoxLayout(error_page)
        self.error_title = QLabel(error_page)
        self.error_title.setObjectName("errorTitle")
        self.error_title.setWordWrap(True)
        self.error_title.setStyleSheet("#errorTitle { font-size: 18pt; font-weight: bold; color: #b3261e; }")
        self.error_next = QLabel(error_page)
        self.error_next.setWordWrap(True)
        self.error_next.setStyleSheet("font-size: 14pt;")
        self.retry_button = QPushButton(error_page)
        self.retry_button.clicked.connect(self.read_now)
        error_layout.addStretch(1)
        error_layout.addWidget(self.error_title)
        error_layout.addWidget(self.error_next)
        error_layout.addWidget(self.retry_button, 0, Qt.AlignmentFlag.AlignLeft)
        error_layout.addStretch(2)

        self.page_of_state: dict[State, QWidget] = {
            State.IDLE: self.idle_text,
            State.WAITING_FOR_CARD: self.idle_text,
            State.READING: progress_page,
            State.CARD_AWAY: progress_page,
            State.RESULT: self.result_view,
            State.RESULT_CARD_GONE: self.result_view,
            State.ERROR: error_page,
        }
        for page in (self.idle_text, progress_page, self.result_view, error_page):
            self.pages.addWidget(page)

        body = QHBoxLayout()
        body.addWidget(left_box)
        body.addWidget(self.pages, 1)
        layout = QVBoxLayout(central)
        layout.addWidget(self.demo_banner)
        layout.addWidget(self.reader_status)
        layout.addLayout(body, 1)
        self.setCentralWidget(central)
        self.setMinimumSize(1000, 620)

        escape = QAction(self)
        escape.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        escape.triggered.connect(self.escape)
        self.addAction(escape)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.copy_action = self.file_menu.addAction("", self.copy_text)
        self.copy_action.setShortcut(QKeySequence("Ctrl+Shift+C"))
        self.json_action = self.file_menu.addAction("", self.export_json)
        self.json_action.setShortcut(QKeySequence("Ctrl+S"))
        self.print_action = self.file_menu.addAction("", self.print_result)
        self.print_action.setShortcut(QKeySequence("Ctrl+P"))
        self.pdf_action = self.file_menu.addAction("", self.save_pdf)
        self.pdf_action.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.file_menu.addSeparator()
        self.quit_action = self.file_menu.addAction("", self.close)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))

        self.language_menu = bar.addMenu("")
        group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code, name in LANGUAGES.items():
            action = self.language_menu.addAction(name)
            action.setCheckable(True)
            action.setData(code)
            action.triggered.connect(self._language_chosen)
            group.addAction(action)
            self.language_actions[code] = action
        self.toggle_language_action = self.language_menu.addAction("", self.toggle_language)
        self.toggle_language_action.setShortcut(QKeySequence("Ctrl+L"))

        # Filled by whoever attaches records and sign-in (ui.admin); hidden while empty.
        self.records_menu: QMenu = bar.addMenu("")
        self.records_menu.menuAction().setVisible(False)
        self._update_actions()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("CCCD Station") + (" — DEMO" if self.demo else ""))
        self.demo_banner.setText(
            self.tr("DEMO — built-in virtual card with fictitious people; not a real document")
        )
        self.demo_banner.setVisible(self.demo)
        self.file_menu.setTitle(self.tr("&File"))
        self.copy_action.setText(self.tr("&Copy as text"))
        self.json_action.setText(self.tr("Export &JSON…"))
        self.print_action.setText(self.tr("&Print…"))
        self.pdf_action.setText(self.tr("Save as P&DF…"))
        self.quit_action.setText(self.tr("&Quit"))
        self.language_menu.setTitle(self.tr("&Language"))
        self.toggle_language_action.setText(self.tr("Switch language"))
        self.records_menu.setTitle(self.tr("&Records"))
        self.read_button.setText(self.tr("R&ead (Enter)"))
        self.done_button.setText(self.tr("Done (Esc)"))
        self.cancel_button.setText(self.tr("Cancel (Esc)"))
        self.retry_button.setText(self.tr("Try &again"))
        for code, action in self.language_actions.items():
            action.setChecked(code == self.translations.language)
        self.keys.retranslate()
        self.result_view.retranslate()
        self.text_preview.retranslate()
        if self.state is State.CARD_AWAY:
            self._show_away_text()
        self.face.retranslate()
        if self.demo_panel is not None:
            self.demo_panel.retranslate()
        if self.error is not None:
            self._show_error_text(kind_text(self.error.kind))
        self._show_idle_text()
        self._show_reader_line()

    # --- public API for what is attached to the window (ui.admin) -----------------------------------
    def add_status_widget(self, widget: QWidget) -> None:
        """A permanent widget at the right of the status bar (the window becomes its parent)."""
        self.statusBar().addPermanentWidget(widget)

    def add_records_action(self, action: QAction | None = None) -> None:
        """An entry of the "Records" menu (None: a separator); its shortcut works with the menu closed."""
        if action is None:
            self.records_menu.addSeparator()
            return
        self.records_menu.addAction(action)
        self.addAction(action)
        self.records_menu.menuAction().setVisible(True)

    def set_operator(self, operator: Operator | None) -> None:
        """Who reads from now on: the audit trail names them. None after signing out (the screen clears)."""
        if operator is None:
            self.clear_all()
        self.operator = operator

    def apply_settings(self, settings: StationSettings) -> None:
        """The auto-clear delay and the face comparison's settings an administrator set apply from now on."""
        self.settings = settings
        self.face.apply_settings(settings)

    def show_message(self, text: str, milliseconds: int = 8000) -> None:
        self.statusBar().showMessage(text, milliseconds)

    # --- language ------------------------------------------------------------------
    def _language_chosen(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self.set_language(str(action.data()))

    def set_language(self, language: str) -> None:
        self.translations.set_language(language)
        self.station.remember(language=self.translations.language)
        self.retranslate()
        self.language_changed.emit(self.translations.language)

    def toggle_language(self) -> None:
        self.set_language("en" if self.translations.language == "vi" else "vi")

    # --- the state machine -----------------------------------------------------------
    def _enter(self, state: State) -> None:
        """The one transition: show ``state``'s page, keep the holder only where a result (or, while
        reading, the verified text) is shown, run the auto-clear delay when due, and say where things
        stand."""
        previous, self.state = self.state, state
        if state not in (State.RESULT, State.RESULT_CARD_GONE):
            self.result_view.clear()
        if state not in READING_STATES:
            self.text_preview.clear()
        self.face.follow(self.result_view.result)  # the camera goes with the holder
        if state is not State.ERROR:
            self.error = None
            self.error_title.setText("")
            self.error_next.setText("")
        if state is State.READING and previous is not State.CARD_AWAY:  # a new read starts from zero
            self.text_preview.clear()
            self.progress.setValue(0)
            self.step_label.setText(step_text("connecting"))
        if state is State.CARD_AWAY:
            self._show_away_text()
        else:
            self.away_note.setText("")
        self.pages.setCurrentWidget(self.page_of_state[state])
        self._show_idle_text()
        self._update_auto_clear()
        self._update_actions()
        self._show_reader_line()
        self.state_changed.emit(state.value)

    def _update_auto_clear(self) -> None:
        due = self.state is State.RESULT_CARD_GONE or (self.state is State.ERROR and not self.card_present)
        if not due:
            self.auto_clear.stop()
        elif not self.auto_clear.isActive():
            self.auto_clear.start(max(0, self.settings.auto_clear_seconds) * 1000)

    def _show_idle_text(self) -> None:
        if self.state is State.WAITING_FOR_CARD:
            self.idle_text.setText(self.tr("Now place the card on the reader."))
        else:
            self.idle_text.setText(self.tr("Type or scan the ID number, then place the card on the reader."))

    def _show_reader_line(self) -> None:
        self.line = reader_line(self.state, self.reader, self.card_present)
        name = self.reader if self.reader and self.reader != DEMO_READER else self.tr("demo reader")
        mark, text = {
            ReaderLine.NO_READER: ("⚠", self.tr("No card reader connected — plug one in")),
            ReaderLine.READY: ("●", self.tr("Reader ready ({reader}) — no card").format(reader=name)),
            ReaderLine.CARD_PRESENT: ("▣", self.tr("Card on the reader ({reader})").format(reader=name)),
            ReaderLine.READING: ("⟳", self.tr("Reading the card… keep it still")),
            ReaderLine.CARD_AWAY: ("⚠", self.tr("Place the card again")),
            ReaderLine.DONE: ("✔", self.tr("Done ({reader})").format(reader=name)),
        }[self.line]
        self.reader_status.setText(f"{mark}  {text}")

    # --- readers and cards (station events, on the GUI thread) -------------------------
    def _on_reader_added(self, name: str) -> None:
        if name not in self.readers:
            self.readers.append(name)
        current = self.reader
        # Prefer the reader used last time, then any physical reader over a virtual one.
        upgrade = current is not None and current != self.preferred_reader and not _physical(current)
        chosen = current is None or name == self.preferred_reader or (upgrade and _physical(name))
        if chosen and name != current:
            self.reader = name
            self.card_present = False
        self._show_reader_line()

    def _on_reader_removed(self, name: str) -> None:
        if name in self.readers:
            self.readers.remove(name)
        if name in self.waiting_cards:
            self.waiting_cards.remove(name)
        if name == self.reader:
            if self.card_present:
                self._card_left()
            self.reader = self.readers[0] if self.readers else None
        self._show_reader_line()

    def _on_card_inserted(self, name: str) -> None:
        if self.reader is None:
            self.reader = name
        if name != self.reader and not self.card_present and self.state not in READING_STATES:
            self.reader = name  # the first card wins, on whichever reader it lies
        if name != self.reader:
            if name not in self.waiting_cards:
                self.waiting_cards.append(name)  # its turn comes when the current card leaves
            return
        if self.card_present:
            return
        if _physical(name) and self.preferred_reader != name:
            self.preferred_reader = name
            self.station.remember(last_reader=name)
        self.card_present = True
        if self.state is State.RESULT_CARD_GONE:
            self.clear_all()  # a new card: the previous holder and their number go
            return
        self._update_auto_clear()
        if self.keys.key is not None and self.state not in READING_STATES:
            self._start_read()
        else:
            self._show_reader_line()

    def _on_card_removed(self, name: str) -> None:
        if name in self.waiting_cards:
            self.waiting_cards.remove(name)
        if name == self.reader and self.card_present:
            self._card_left()

    def _card_left(self) -> None:
        self.card_present = False
        if self.state is State.RESULT:
            self._enter(State.RESULT_CARD_GONE)
        else:
            self._update_auto_clear()
            self._show_reader_line()
        if self.waiting_cards and self.state not in READING_STATES:
            self._on_card_inserted(self.waiting_cards.pop(0))  # the next card in line

    # --- key -------------------------------------------------------------------------
    def _on_key_changed(self, key: AccessKey | None) -> None:
        if key is not None:
            self.auto_clear.stop()  # the clerk is typing for the next card
            if self.state is State.RESULT_CARD_GONE:
                self.scanned_note.setText("")
                self._enter(State.IDLE)
            if self.card_present and self.state not in READING_STATES:
                self._start_read()
        self._update_actions()

    def _on_qr_scanned(self, qr: CccdQr) -> None:
        self.scanned_note.setText(self.tr("Scanned from the QR code: {name}").format(name=qr.full_name))

    # --- reading ---------------------------------------------------------------------
    def read_now(self) -> None:
        """Enter, "Read" or "Try again": read now, also again after an error."""
        if self.keys.key is None:
            self.keys.focus_entry()
        elif not self.card_present:
            if self.state not in READING_STATES:
                self._enter(State.WAITING_FOR_CARD)
        elif self.state not in READING_STATES:
            self._start_read()

    def _start_read(self) -> None:
        key, reader = self.keys.key, self.reader
        if key is None or reader is None:
            return
        try:
            self._read = self.station.start_read(key, reader=reader, operator=self.operator, replace=True)
        except Exception as error:  # the card thread is gone (closing): shown, not raised into Qt
            self._fail(error)
            return
        self._enter(State.READING)
        self.read_started.emit()

    def _is_current(self, read_id: int) -> bool:
        return self._read is not None and self._read.read_id == read_id

    def cancel_read(self) -> None:
        if self._read is not None:
            self._read.cancel()  # the core still audits it, as cancelled
            self._read = None
        if self.state in READING_STATES:
            self._enter(State.IDLE)

    def _on_progress(self, read_id: int, step: str, fraction: float) -> None:
        if self._is_current(read_id):
            self.step_label.setText(step_text(step))
            self.progress.setValue(int(fraction * 100))

    def _on_text(self, read_id: int, text: HolderText) -> None:
        """The holder's text, checked against EF.SOD, while the portrait is still being read."""
        if self._is_current(read_id) and self.state in READING_STATES:
            self.text_preview.show_text(text)
            self.text_shown.emit(text)

    def _on_suspended(self, read_id: int, seconds: float, fraction: float) -> None:
        if self._is_current(read_id):
            self.away_seconds = seconds
            self.progress.setValue(int(fraction * 100))
            self._enter(State.CARD_AWAY)

    def _on_resumed(self, read_id: int) -> None:
        if self._is_current(read_id) and self.state is State.CARD_AWAY:
            self._enter(State.READING)
            self.step_label.setText(step_text("reading"))

    def _show_away_text(self) -> None:
        self.step_label.setText(self.tr("Place the card again"))
        self.away_note.setText(
            self.tr("What was read is kept for {seconds} s: the reading goes on where it stopped.").format(
                seconds=round(self.away_seconds)
            )
        )

    def _on_result(self, read_id: int, result: InspectionResult) -> None:
        if not self._is_current(read_id):
            return  # cancelled or replaced by a newer read
        self._read = None
        self.result_view.show_result(result)
        self._enter(State.RESULT if self.card_present else State.RESULT_CARD_GONE)
        self.result_shown.emit(result)

    def _on_failure(self, read_id: int, kind: str, error: BaseException) -> None:
        if not self._is_current(read_id):
            return
        self._read = None
        if kind in SILENT_KINDS:
            self._enter(State.IDLE)
        else:
            self._fail(error)

    def _fail(self, error: BaseException) -> None:
        text = error_text(error)
        self._show_error_text(text)
        self._enter(State.ERROR)
        self.error = text
        self.error_shown.emit(text.kind)
        if text.kind == "wrong_key":
            self.keys.focus_entry()
        elif text.kind == "mrz_required":
            self.keys.setCurrentIndex(self.keys.MRZ_TAB)
            self.keys.focus_entry()

    def _show_error_text(self, text: ErrorText) -> None:
        self.error_title.setText("✘  " + text.title)
        self.error_next.setText(text.next_step)

    def _on_audit_failed(self, kind: str, _error: BaseException) -> None:
        reason = kind_text(kind).title
        self.show_message(
            self.tr("This read was not recorded in the audit trail: {reason}.").format(reason=reason),
            AUDIT_FAILED_MESSAGE_MS,
        )

    def _update_actions(self) -> None:
        has_result = self.result_view.result is not None
        for action in (self.copy_action, self.json_action, self.print_action, self.pdf_action):
            action.setEnabled(has_result)

    # --- clearing --------------------------------------------------------------------
    def escape(self) -> None:
        if self.state in READING_STATES:
            self.cancel_read()
        else:
            self.clear_all()

    def clear_all(self) -> None:
        """Esc, "Done", or the auto-clear delay: the holder's data and the key leave the window.
        A card still on the reader is not read again until the clerk gives a key."""
        self.cancel_read()
        self.keys.clear()
        self.scanned_note.setText("")
        self._enter(State.IDLE)
        self.keys.focus_entry()
        self.cleared.emit()

    # --- copy, export, print -------------------------------------------------------
    def copy_text(self) -> None:
        result = self.result_view.result
        if result is not None:
            QGuiApplication.clipboard().setText(result_as_text(result))
            self.show_message(self.tr("Copied."), 3000)

    def export_json(self, path: str | None = None) -> None:
        result = self.result_view.result
        if result is None:
            return
        if path is None:
            path, _filter = QFileDialog.getSaveFileName(self, self.tr("Export JSON"), "", "JSON (*.json)")
        if path:
            Path(path).write_text(
                json.dumps(result.to_json(), ensure_ascii=False, indent=2), encoding="utf-8"
            )

    def _document(self, result: InspectionResult) -> QTextDocument:
        document = QTextDocument(self)
        uri = None
        if result.photo is not None:
            image = QImage.fromData(result.photo.to_png())
            uri = "portrait.png"
            document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(uri), image)
        document.setHtml(result_as_html(result, uri))
        return document

    def _print(self, printer: QPrinter, result: InspectionResult) -> None:
        document = self._document(result)
        try:
            document.print_(printer)
        finally:
            document.deleteLater()  # it holds the holder's data: gone with this event

    def save_pdf(self, path: str | None = None) -> None:
        result = self.result_view.result
        if result is None:
            return
        if path is None:
            path, _filter = QFileDialog.getSaveFileName(self, self.tr("Save as PDF"), "", "PDF (*.pdf)")
        if path:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(path)
            self._print(printer, result)

    def print_result(self) -> None:
        result = self.result_view.result
        if result is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        try:
            if dialog.exec():
                self._print(printer, result)
        finally:
            dialog.deleteLater()

    # --- preferences and closing ---------------------------------------------------
    def _restore_geometry(self, geometry: str) -> None:
        if not (geometry and self.restoreGeometry(QByteArray.fromBase64(geometry.encode("ascii")))):
            self.resize(1280, 720)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.station.remember(window_geometry=bytes(self.saveGeometry().toBase64().data()).decode("ascii"))
        self.clear_all()
        self.face.shut_down()
        self.bridge.stop()
        super().closeEvent(event)
