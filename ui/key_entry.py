"""Key entry: the 12-digit ID number (typed or scanned from the card's QR code), a CAN, or MRZ data.

Emits :attr:`KeyEntry.key_changed` with a typed :data:`~cccd_station.reader.keys.AccessKey` as soon as
the input is complete (so a card already on the reader is read at once) and ``None`` when it no longer
is. The rules are :mod:`cccd_station.reader.keys`'s; a refused input shows its sentence, translated.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cccd_station.reader.keys import (
    CAN_LENGTH,
    ID_NUMBER_LENGTH,
    AccessKey,
    CanKey,
    IdNumberKey,
    KeyFormatError,
    MrzKey,
)
from cccd_station.station.keyinput import CccdQr, ScanDetector
from cccd_station.ui.texts import key_format_text

# After the last keystroke of a burst: how long to wait for more before judging it.
SCAN_SETTLE_MS = 120
MRZ_LENGTHS = (72, 88, 90)


def _plain(text: str) -> str:
    return "".join(text.split())


class KeyEntry(QTabWidget):
    key_changed = Signal(object)  # AccessKey | None
    submitted = Signal()  # Enter: read now
    qr_scanned = Signal(object)  # CccdQr

    ID_TAB, CAN_TAB, MRZ_TAB = range(3)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key: AccessKey | None = None
        self._scan = ScanDetector()
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SCAN_SETTLE_MS)
        self._settle.timeout.connect(self._judge_burst)

        self.id_field = QLineEdit()
        self.id_field.setObjectName("idNumber")
        self.id_field.installEventFilter(self)
        self.id_field.textEdited.connect(self._id_edited)
        self.id_field.returnPressed.connect(self._return_pressed)
        self.id_hint = QLabel()
        self.id_hint.setWordWrap(True)
        id_page = QWidget()
        id_layout = QVBoxLayout(id_page)
        self.id_label = QLabel()
        self.id_label.setWordWrap(True)
        self.id_label.setBuddy(self.id_field)
        id_layout.addWidget(self.id_label)
        id_layout.addWidget(self.id_field)
        id_layout.addWidget(self.id_hint)
        id_layout.addStretch(1)

        self.can_field = QLineEdit()
        self.can_field.setObjectName("can")
        self.can_field.setMaxLength(CAN_LENGTH)
        self.can_field.textEdited.connect(self._edited)
        self.can_field.returnPressed.connect(self._return_pressed)
        self.can_hint = QLabel()
        self.can_hint.setWordWrap(True)
        can_page = QWidget()
        can_layout = QVBoxLayout(can_page)
        self.can_label = QLabel()
        self.can_label.setWordWrap(True)
        self.can_label.setBuddy(self.can_field)
        can_layout.addWidget(self.can_label)
        can_layout.addWidget(self.can_field)
        can_layout.addWidget(self.can_hint)
        can_layout.addStretch(1)

        self.document_field = QLineEdit()
        self.birth_field = QLineEdit()
        self.expiry_field = QLineEdit()
        for field in (self.document_field, self.birth_field, self.expiry_field):
            field.textEdited.connect(self._edited)
            field.returnPressed.connect(self._return_pressed)
        self.birth_field.setInputMask("99/99/9999;_")
        self.expiry_field.setInputMask("99/99/9999;_")
        self.mrz_lines = QPlainTextEdit()
        self.mrz_lines.setObjectName("mrzLines")
        self.mrz_lines.setTabChangesFocus(True)
        self.mrz_lines.setFixedHeight(80)
        self.mrz_lines.textChanged.connect(self._update)
        self.mrz_hint = QLabel()
        self.mrz_hint.setWordWrap(True)
        mrz_page = QWidget()
        self.mrz_form = QFormLayout(mrz_page)
        self.document_label, self.birth_label, self.expiry_label, self.lines_label = (
            QLabel() for _ in range(4)
        )
        self.mrz_form.addRow(self.document_label, self.document_field)
        self.mrz_form.addRow(self.birth_label, self.birth_field)
        self.mrz_form.addRow(self.expiry_label, self.expiry_field)
        self.mrz_form.addRow(self.lines_label, self.mrz_lines)
        self.mrz_form.addRow(self.mrz_hint)
        self.document_label.setBuddy(self.document_field)
        self.birth_label.setBuddy(self.birth_field)
        self.expiry_label.setBuddy(self.expiry_field)
        self.lines_label.setBuddy(self.mrz_lines)

        self.addTab(id_page, "")
        self.addTab(can_page, "")
        self.addTab(mrz_page, "")
        self.currentChanged.connect(self._tab_changed)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTabText(self.ID_TAB, self.tr("ID &number"))
        self.setTabText(self.CAN_TAB, self.tr("C&AN"))
        self.setTabText(self.MRZ_TAB, self.tr("&MRZ"))
        self.id_label.setText(self.tr("12-digit ID number (or scan the QR code on the card)"))
        self.id_field.setPlaceholderText(self.tr("e.g. 001085014763"))
        self.can_label.setText(self.tr("6-digit card access number (CAN), printed on the card"))
        self.document_label.setText(self.tr("Document number"))
        self.birth_label.setText(self.tr("Date of birth (dd/mm/yyyy)"))
        self.expiry_label.setText(self.tr("Date of expiry (dd/mm/yyyy)"))
        self.lines_label.setText(self.tr("or paste the MRZ lines"))
        self._update()

    # --- scanner detection -------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.id_field and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.text() and event.text().isprintable():
                self._scan.feed(event.text(), time.monotonic())
                self._settle.start()
            elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._looks_like_qr():
                self._settle.stop()
                self._judge_burst()
                return True  # a scanner's trailing Enter is not a "read now" from the clerk
        return super().eventFilter(watched, event)

    def _looks_like_qr(self) -> bool:
        return "|" in self.id_field.text()

    def _judge_burst(self) -> None:
        verdict = self._scan.finish()
        if verdict.is_scan and verdict.qr is not None:
            self.apply_qr(verdict.qr)
        else:
            self._update()

    def apply_qr(self, qr: CccdQr) -> None:
        """Fill the form from a scanned CCCD QR code (only the ID number is needed to open the chip)."""
        self.setCurrentIndex(self.ID_TAB)
        self.id_field.setText(qr.id_number)
        self.qr_scanned.emit(qr)
        self._update()

    # --- validation --------------------------------------------------------------------
    def _edited(self, _text: str) -> None:
        self._update()

    def _tab_changed(self, _index: int) -> None:
        self._update()

    def _id_edited(self, _text: str) -> None:
        if self._settle.isActive():
            return  # a keystroke burst is still arriving: judge it when it settles
        self._update()

    def _return_pressed(self) -> None:
        self._update(show_errors=True)
        if self.key is not None:
            self.submitted.emit()

    def _current_key(self) -> AccessKey:
        index = self.currentIndex()
        if index == self.ID_TAB:
            text = _plain(self.id_field.text())
            if len(text) in MRZ_LENGTHS and not text.isdigit():
                return MrzKey.parse_lines(text)  # MRZ lines scanned into this field
            if "|" in text:
                return IdNumberKey(CccdQr.parse(text).id_number)
            return IdNumberKey.parse(text)
        if index == self.CAN_TAB:
            return CanKey.parse(self.can_field.text())
        lines = self.mrz_lines.toPlainText()
        if lines.strip():
            return MrzKey.parse_lines(lines)
        return MrzKey.parse(self.document_field.text(), self.birth_field.text(), self.expiry_field.text())

    def _hint_label(self) -> QLabel:
        return [self.id_hint, self.can_hint, self.mrz_hint][self.currentIndex()]

    def _update(self, show_errors: bool = False) -> None:
        try:
            key: AccessKey | None = self._current_key()
            problem = ""
        except KeyFormatError as error:
            key, problem = None, key_format_text(error)
        hint = self._hint_label()
        if key is not None:
            hint.setText(self.tr("Ready: place the card on the reader."))
        elif show_errors or self._complete_length():
            hint.setText(problem)
        else:
            hint.setText("")
        if key != self.key:
            self.key = key
            self.key_changed.emit(key)

    def _complete_length(self) -> bool:
        """Show a problem only once the clerk has typed enough for it to be one."""
        index = self.currentIndex()
        if index == self.ID_TAB:
            return len(_plain(self.id_field.text())) >= ID_NUMBER_LENGTH
        if index == self.CAN_TAB:
            return len(self.can_field.text()) >= CAN_LENGTH
        return bool(self.mrz_lines.toPlainText().strip())

    def clear(self) -> None:
        """Empty every field (setText also drops the undo history, which would keep the number)."""
        self._settle.stop()
        self._scan.reset()
        for field in (
            self.id_field,
            self.can_field,
            self.document_field,
            self.birth_field,
            self.expiry_field,
        ):
            field.setText("")
        self.mrz_lines.setPlainText("")
        self.mrz_lines.document().clearUndoRedoStacks()
        self._update()

    def set_id_number(self, text: str) -> None:
        """Fill the ID number as if typed (the screenshot script and tests use it)."""
        self.setCurrentIndex(self.ID_TAB)
        self.id_field.setText(text)
        self._update()

    def set_can(self, text: str) -> None:
        self.setCurrentIndex(self.CAN_TAB)
        self.can_field.setText(text)
        self._update()

    def focus_entry(self) -> None:
        field = [self.id_field, self.can_field, self.document_field][self.currentIndex()]
        field.setFocus()
        field.selectAll()
