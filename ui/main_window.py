"""The counter's main window: reader status, key entry, progress, result or error, and the demo reader."""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QGuiApplication,
    QImage,
    QKeySequence,
    QShortcut,
    QTextDocument,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QStatusBar,
    QVBoxLayout,
    QWidget,
)

from cccd_station.station.keyinput import CccdQr, OpeningKey
from cccd_station.station.settings import StationSettings, save_settings
from cccd_station.ui.i18n import LANGUAGES, Translations
from cccd_station.ui.result_view import ResultView, result_as_html, result_as_text
from cccd_station.ui.sources import (
    BAC_ONLY,
    CLONED,
    DEMO_READER,
    NO_CHIP_AUTH,
    TAMPERED,
    UNKNOWN_ISSUER,
    CardSource,
    DemoSource,
    is_physical_reader,
)
from cccd_station.ui.texts import ErrorText, error_text, step_text
from cccd_station.ui.worker import InspectFunction, ReadService

if TYPE_CHECKING:
    from cccd_station.crypto.truststore import TrustStore
    from cccd_station.station.pipeline import InspectionResult

log = logging.getLogger(__name__)

LEFT_COLUMN_WIDTH = 400


class ReaderState(StrEnum):
    NO_READER = "no_reader"
    READY = "ready"
    CARD_PRESENT = "card_present"
    READING = "reading"
    DONE = "done"


class Page(StrEnum):
    IDLE = "idle"
    PROGRESS = "progress"
    RESULT = "result"
    ERROR = "error"


class DemoPanel(QGroupBox):
    """The demo reader's controls: whose card, in what condition, place/remove, unplug."""

    def __init__(
        self, source: DemoSource, personas: list[tuple[str, str, str]], parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.source = source
        self.personas = personas
        self.persona = QComboBox()
        for key, name, number in personas:
            self.persona.addItem(f"{name} — {number}", key)
        self.condition = QComboBox()
        self.condition_label = QLabel()
        self.condition_label.setBuddy(self.condition)
        self.card_button = QPushButton()
        self.card_button.clicked.connect(self.toggle_card)
        self.plug_button = QPushButton()
        self.plug_button.clicked.connect(self.toggle_reader)
        # Separate shortcuts: a button's setText() replaces its shortcut with the text's mnemonic.
        QShortcut(QKeySequence("F8"), self, self.toggle_card)
        QShortcut(QKeySequence("F9"), self, self.toggle_reader)
        self.persona_label = QLabel()
        self.persona_label.setBuddy(self.persona)
        layout = QVBoxLayout(self)
        layout.addWidget(self.persona_label)
        layout.addWidget(self.persona)
        layout.addWidget(self.condition_label)
        layout.addWidget(self.condition)
        buttons = QHBoxLayout()
        buttons.addWidget(self.card_button)
        buttons.addWidget(self.plug_button)
        layout.addLayout(buttons)
        # Bound slots, not lambdas: the source may emit on another thread, and only a slot of this
        # QObject is queued to the GUI thread.
        for signal in (source.card_inserted, source.card_removed, source.reader_added, source.reader_removed):
            signal.connect(self._source_changed)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Demo reader (virtual card)"))
        self.persona_label.setText(self.tr("&Card of:"))
        self.condition_label.setText(self.tr("C&ondition of the card:"))
        chosen = max(0, self.condition.currentIndex())
        self.condition.clear()
        for text, faults in (
            (self.tr("Genuine"), ()),
            (self.tr("Tampered (data changed)"), TAMPERED),
            (self.tr("Signed by an unknown authority"), UNKNOWN_ISSUER),
            (self.tr("Cloned chip"), CLONED),
            (self.tr("Older chip (no copy protection)"), NO_CHIP_AUTH),
            (self.tr("Older chip (MRZ data only)"), BAC_ONLY),
        ):
            self.condition.addItem(text, faults)
        self.condition.setCurrentIndex(chosen)
        self.card_button.setText(
            self.tr("Remove card (F8)") if self.source.card_present else self.tr("Place card (F8)")
        )
        self.plug_button.setText(
            self.tr("Unplug reader (F9)") if self.source.reader_plugged else self.tr("Plug in reader (F9)")
        )

    @Slot(str)
    def _source_changed(self, _reader: str) -> None:
        self.retranslate()

    def select_condition(self, faults: tuple[str, ...]) -> None:
        for index in range(self.condition.count()):
            if tuple(self.condition.itemData(index)) == faults:
                self.condition.setCurrentIndex(index)

    def select_persona(self, key: str) -> None:
        index = self.persona.findData(key)
        if index >= 0:
            self.persona.setCurrentIndex(index)

    def toggle_card(self) -> None:
        if self.source.card_present:
            self.source.remove_card()
        elif self.source.reader_plugged:
            self.source.place_card(str(self.persona.currentData()), tuple(self.condition.currentData()))

    def toggle_reader(self) -> None:
        if self.source.reader_plugged:
            self.source.unplug()
        else:
            self.source.plug()


class MainWindow(QMainWindow):
    """Wires a card source, the key entry and the card thread together.

    Signals for tests and the screenshot script: ``result_shown``, ``error_shown`` (error kind),
    ``cleared``, ``read_started``.
    """

    result_shown = Signal(object)
    error_shown = Signal(str)
    cleared = Signal()
    read_started = Signal()
    reader_state_changed = Signal(str)
    language_changed = Signal(str)  # the new language code, after this window retranslated

    def __init__(
        self,
        source: CardSource,
        trust: TrustStore | None,
        settings: StationSettings,
        translations: Translations,
        *,
        demo_personas: list[tuple[str, str, str]] | None = None,
        inspect: InspectFunction | None = None,
        settings_dir: Path | None = None,
        preferred_reader: str = "",
    ) -> None:
        super().__init__()
        self.source = source
        self.trust = trust
        self.settings = settings
        self.translations = translations
        self.settings_dir = settings_dir
        self.preferred_reader = preferred_reader or settings.last_reader
        self.demo = isinstance(source, DemoSource)
        self.service = ReadService(inspect, self)
        self.readers: list[str] = []
        self.reader: str | None = None
        self.card_present = False
        self.reading = False
        self.attempted = False  # a read was made for this card with this key
        self.stale = False  # the holder shown belongs to a card that has left the reader
        self.page = Page.IDLE
        self.last_error: ErrorText | None = None
        self.last_exception: BaseException | None = None
        self.state = ReaderState.NO_READER

        self.auto_clear = QTimer(self)
        self.auto_clear.setSingleShot(True)
        self.auto_clear.timeout.connect(self.clear_all)

        self._build()
        self._build_menus()
        # Made now, not on first use, so that what is added to it later shows with the window.
        self.setStatusBar(QStatusBar(self))
        if self.demo:
            assert isinstance(source, DemoSource)
            self.demo_panel: DemoPanel | None = DemoPanel(source, demo_personas or [])
            self.left.insertWidget(1, self.demo_panel)
        else:
            self.demo_panel = None

        worker = self.service.worker
        worker.progressed.connect(self._on_progress)
        worker.succeeded.connect(self._on_result)
        worker.failed.connect(self._on_failure)
        worker.cancelled.connect(self._on_cancelled)
        source.reader_added.connect(self._on_reader_added)
        source.reader_removed.connect(self._on_reader_removed)
        source.card_inserted.connect(self._on_card_inserted)
        source.card_removed.connect(self._on_card_removed)
        source.service_down.connect(self._on_service_down)
        self.keys.key_changed.connect(self._on_key_changed)
        self.keys.submitted.connect(self.read_now)
        self.keys.qr_scanned.connect(self._on_qr_scanned)

        self.retranslate()
        self._restore_geometry()
        self._set_state(ReaderState.NO_READER)
        source.start()

    # --- layout --------------------------------------------------------------------
    def _build(self) -> None:
        self.demo_banner = QLabel()
        self.demo_banner.setObjectName("demoBanner")
        self.demo_banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.demo_banner.setStyleSheet(
            "#demoBanner { background: #5b2a86; color: white; font-weight: bold; padding: 4px; }"
        )
        self.reader_status = QLabel()
        self.reader_status.setObjectName("readerStatus")
        self.reader_status.setStyleSheet("#readerStatus { font-size: 13pt; padding: 4px; }")

        from cccd_station.ui.key_entry import KeyEntry

        self.keys = KeyEntry()
        self.scanned_note = QLabel()
        self.scanned_note.setWordWrap(True)
        self.read_button = QPushButton()
        self.read_button.clicked.connect(self.read_now)
        self.done_button = QPushButton()
        self.done_button.setObjectName("doneButton")
        self.done_button.clicked.connect(self.clear_all)
        buttons = QHBoxLayout()
        buttons.addWidget(self.read_button)
        buttons.addWidget(self.done_button)

        left_box = QWidget()
        left_box.setFixedWidth(LEFT_COLUMN_WIDTH)
        self.left = QVBoxLayout(left_box)
        self.left.addWidget(self.keys)
        self.left.addWidget(self.scanned_note)
        self.left.addLayout(buttons)
        self.left.addStretch(1)

        self.idle_text = QLabel()
        self.idle_text.setWordWrap(True)
        self.idle_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.idle_text.setStyleSheet("font-size: 16pt; color: #444;")

        progress_page = QWidget()
        progress_layout = QVBoxLayout(progress_page)
        self.step_label = QLabel()
        self.step_label.setStyleSheet("font-size: 16pt;")
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.cancel_read)
        progress_layout.addStretch(1)
        progress_layout.addWidget(self.step_label)
        progress_layout.addWidget(self.progress)
        progress_layout.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignLeft)
        progress_layout.addStretch(2)

        self.result_view = ResultView()

        error_page = QWidget()
        error_layout = QVBoxLayout(error_page)
        self.error_title = QLabel()
        self.error_title.setObjectName("errorTitle")
        self.error_title.setWordWrap(True)
        self.error_title.setStyleSheet("#errorTitle { font-size: 18pt; font-weight: bold; color: #b3261e; }")
        self.error_next = QLabel()
        self.error_next.setWordWrap(True)
        self.error_next.setStyleSheet("font-size: 14pt;")
        self.retry_button = QPushButton()
        self.retry_button.clicked.connect(self.read_now)
        error_layout.addStretch(1)
        error_layout.addWidget(self.error_title)
        error_layout.addWidget(self.error_next)
        error_layout.addWidget(self.retry_button, 0, Qt.AlignmentFlag.AlignLeft)
        error_layout.addStretch(2)

        self.pages = QStackedWidget()
        self.page_widgets = {
            Page.IDLE: self.idle_text,
            Page.PROGRESS: progress_page,
            Page.RESULT: self.result_view,
            Page.ERROR: error_page,
        }
        for widget in self.page_widgets.values():
            self.pages.addWidget(widget)

        body = QHBoxLayout()
        body.addWidget(left_box)
        body.addWidget(self.pages, 1)
        central = QWidget()
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
            action.triggered.connect(lambda _checked=False, code=code: self.set_language(code))
            group.addAction(action)
            self.language_actions[code] = action
        self.toggle_language_action = self.language_menu.addAction("", self.toggle_language)
        self.toggle_language_action.setShortcut(QKeySequence("Ctrl+L"))

        # Records, sign-in and administration come later (issue 6); the menu holds their place.
        self.records_menu = bar.addMenu("")
        self.records_placeholder = self.records_menu.addAction("")
        self.records_placeholder.setEnabled(False)
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
        self.records_placeholder.setText(self.tr("Records and sign-in (coming later)"))
        self.read_button.setText(self.tr("R&ead (Enter)"))
        self.done_button.setText(self.tr("Done (Esc)"))
        self.cancel_button.setText(self.tr("Cancel (Esc)"))
        self.retry_button.setText(self.tr("Try &again"))
        self.idle_text.setText(self.tr("Type or scan the ID number, then place the card on the reader."))
        for code, action in self.language_actions.items():
            action.setChecked(code == self.translations.language)
        self.keys.retranslate()
        self.result_view.retranslate()
        if self.demo_panel is not None:
            self.demo_panel.retranslate()
        if self.last_error is not None and self.last_exception is not None:
            self._show_error_text(error_text(self.last_exception))
        self._set_state(self.state)

    # --- language ------------------------------------------------------------------
    def set_language(self, language: str) -> None:
        self.translations.set_language(language)
        self.settings = _replace(self.settings, language=self.translations.language)
        self._save_settings()
        self.retranslate()
        self.language_changed.emit(self.translations.language)

    def toggle_language(self) -> None:
        self.set_language("en" if self.translations.language == "vi" else "vi")

    # --- reader status -------------------------------------------------------------
    def _set_state(self, state: ReaderState) -> None:
        self.state = state
        name = self.reader if self.reader and self.reader != DEMO_READER else self.tr("demo reader")
        texts = {
            ReaderState.NO_READER: ("⚠", self.tr("No card reader connected — plug one in")),
            ReaderState.READY: ("●", self.tr("Reader ready ({reader}) — no card").format(reader=name)),
            ReaderState.CARD_PRESENT: ("▣", self.tr("Card on the reader ({reader})").format(reader=name)),
            ReaderState.READING: ("⟳", self.tr("Reading the card… keep it still")),
            ReaderState.DONE: ("✔", self.tr("Done ({reader})").format(reader=name)),
        }
        mark, text = texts[state]
        self.reader_status.setText(f"{mark}  {text}")
        self.reader_state_changed.emit(state.value)

    def _refresh_state(self) -> None:
        if self.reading:
            self._set_state(ReaderState.READING)
        elif self.reader is None:
            self._set_state(ReaderState.NO_READER)
        elif self.card_present and self.page in (Page.RESULT, Page.ERROR):
            self._set_state(ReaderState.DONE)
        elif self.card_present:
            self._set_state(ReaderState.CARD_PRESENT)
        else:
            self._set_state(ReaderState.READY)

    def _on_reader_added(self, name: str) -> None:
        if name not in self.readers:
            self.readers.append(name)
        current = self.reader
        # Prefer the reader used last time, then any physical reader over a virtual one.
        upgrade = current is not None and current != self.preferred_reader and not is_physical_reader(current)
        if current is None or name == self.preferred_reader or (upgrade and is_physical_reader(name)):
            self.reader = name
            self.card_present = False
        self._refresh_state()

    def _on_reader_removed(self, name: str) -> None:
        if name in self.readers:
            self.readers.remove(name)
        if name == self.reader:
            self.reader = self.readers[0] if self.readers else None
            self.card_present = False
            self.attempted = False
        self._refresh_state()

    def _on_service_down(self) -> None:
        self.readers.clear()
        self.reader = None
        self.card_present = False
        self._refresh_state()

    def _on_card_inserted(self, name: str) -> None:
        if self.reader is None:
            self.reader = name
        if name != self.reader:
            return
        if name != DEMO_READER and self.preferred_reader != name:
            self.preferred_reader = name
            self.settings = _replace(self.settings, last_reader=name)
            self._save_settings()
        self.auto_clear.stop()
        if self.stale:
            self.clear_all()  # a new card: the previous holder and their number go
        self.card_present = True
        self.attempted = False
        self._refresh_state()
        self._maybe_start()

    def _on_card_removed(self, name: str) -> None:
        if name != self.reader:
            return
        self.card_present = False
        self.attempted = False
        if not self.reading:
            self._card_gone()
        self._refresh_state()

    # --- key -----------------------------------------------------------------------
    def _on_key_changed(self, key: OpeningKey | None) -> None:
        self.attempted = False
        if key is not None:
            self.auto_clear.stop()  # the clerk is typing for the next card
            if self.stale:
                self._clear_shown()
        self._update_actions()
        self._maybe_start()

    def _on_qr_scanned(self, qr: CccdQr) -> None:
        self.scanned_note.setText(self.tr("Scanned from the QR code: {name}").format(name=qr.full_name))

    def _maybe_start(self) -> None:
        if self.keys.key is not None and self.card_present and not self.reading and not self.attempted:
            self._start()

    def read_now(self) -> None:
        """Enter or "Read": read now, also again after an error."""
        if self.keys.key is None:
            self.keys.focus_entry()
            return
        if not self.card_present:
            self.idle_text.setText(self.tr("Now place the card on the reader."))
            self._show_page(Page.IDLE)
            return
        if not self.reading:
            self._start()

    def _start(self) -> None:
        key = self.keys.key
        reader = self.reader
        if key is None or reader is None:
            return
        self.attempted = True
        self.stale = False
        self.reading = True
        self.last_error = None
        self.last_exception = None
        self.result_view.clear()
        self.progress.setValue(0)
        self.step_label.setText(step_text("connecting"))
        self._show_page(Page.PROGRESS)
        self._refresh_state()
        source = self.source
        try:
            access_key = key.to_access_key()
        except Exception as error:  # the access module is missing: a bug, shown as such
            self._fail(error)
            return
        self.service.start(lambda: source.open_transport(reader), access_key, self.trust)
        self.read_started.emit()

    def cancel_read(self) -> None:
        if self.reading:
            self.service.cancel()
            self.reading = False
            self._show_page(Page.IDLE)
            self._refresh_state()

    # --- worker results ------------------------------------------------------------
    def _on_progress(self, read_id: int, step: str, fraction: float) -> None:
        if read_id != self.service.current_read_id:
            return
        self.step_label.setText(step_text(step))
        self.progress.setValue(int(fraction * 100))

    def _on_result(self, read_id: int, result: InspectionResult) -> None:
        if not self.service.finish(read_id):
            return
        self.reading = False
        self.result_view.show_result(result)
        self._show_page(Page.RESULT)
        self._after_read()
        self.result_shown.emit(result)

    def _on_failure(self, read_id: int, error: BaseException) -> None:
        if not self.service.finish(read_id):
            return
        self._fail(error)

    def _fail(self, error: BaseException) -> None:
        self.reading = False
        self.last_exception = error
        text = error_text(error)
        self._show_error_text(text)
        self._show_page(Page.ERROR)
        self._after_read()
        self.error_shown.emit(text.kind)
        if text.kind == "wrong_key":
            self.keys.focus_entry()
        elif text.kind == "mrz_required":
            self.keys.setCurrentIndex(self.keys.MRZ_TAB)
            self.keys.focus_entry()

    def _card_gone(self) -> None:
        """The card left: a shown holder belongs to the past; the key and any data go after the delay."""
        self.stale = self.page == Page.RESULT
        self.auto_clear.start(max(0, self.settings.auto_clear_seconds) * 1000)

    def _on_cancelled(self, read_id: int) -> None:
        self.service.finish(read_id)

    def _after_read(self) -> None:
        if not self.card_present:
            self._card_gone()
        self._refresh_state()
        self._update_actions()

    def _show_error_text(self, text: ErrorText) -> None:
        self.last_error = text
        self.error_title.setText("✘  " + text.title)
        self.error_next.setText(text.next_step)

    def _show_page(self, page: Page) -> None:
        self.page = page
        self.pages.setCurrentWidget(self.page_widgets[page])
        self._update_actions()

    def _update_actions(self) -> None:
        has_result = self.page == Page.RESULT and self.result_view.result is not None
        for action in (self.copy_action, self.json_action, self.print_action, self.pdf_action):
            action.setEnabled(has_result)

    # --- clearing ------------------------------------------------------------------
    def escape(self) -> None:
        if self.reading:
            self.cancel_read()
        else:
            self.clear_all()

    def _clear_shown(self) -> None:
        self.result_view.clear()
        self.error_title.setText("")
        self.error_next.setText("")
        self.scanned_note.setText("")
        self.last_error = None
        self.last_exception = None
        self.stale = False
        self.idle_text.setText(self.tr("Type or scan the ID number, then place the card on the reader."))
        self._show_page(Page.IDLE)

    def clear_all(self) -> None:
        """Esc, "Done", or the auto-clear timer: the holder's data and the key leave the window."""
        self.auto_clear.stop()
        if self.reading:
            self.cancel_read()
        self._clear_shown()
        self.keys.clear()
        # A card still on the reader is not read again until the clerk gives a key.
        self.attempted = self.card_present
        self._refresh_state()
        self.keys.focus_entry()
        self.cleared.emit()

    # --- copy, export, print -------------------------------------------------------
    def copy_text(self) -> None:
        result = self.result_view.result
        if result is not None:
            QGuiApplication.clipboard().setText(result_as_text(result))
            self.statusBar().showMessage(self.tr("Copied."), 3000)

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
        document = QTextDocument()
        uri = None
        if result.photo is not None:
            image = QImage.fromData(result.photo.to_png())
            uri = "portrait.png"
            document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(uri), image)
        document.setHtml(result_as_html(result, uri))
        return document

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
            self._document(result).print_(printer)

    def print_result(self) -> None:
        result = self.result_view.result
        if result is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if QPrintDialog(printer, self).exec():
            self._document(result).print_(printer)

    # --- settings and closing ------------------------------------------------------
    def _save_settings(self) -> None:
        try:
            save_settings(self.settings, self.settings_dir)
        except OSError as error:
            log.warning("cannot save the settings: %s", error.strerror)

    def _restore_geometry(self) -> None:
        if self.settings.window_geometry:
            self.restoreGeometry(QByteArray.fromBase64(self.settings.window_geometry.encode("ascii")))
        else:
            self.resize(1280, 720)

    def closeEvent(self, event: QCloseEvent) -> None:
        geometry = bytes(self.saveGeometry().toBase64().data()).decode("ascii")
        self.settings = _replace(self.settings, window_geometry=geometry)
        self._save_settings()
        self.clear_all()
        self.service.shutdown()
        self.source.stop()
        super().closeEvent(event)


def _replace(settings: StationSettings, **changes: Any) -> StationSettings:
    return replace(settings, **changes)
