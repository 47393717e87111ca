"""The holder's text while the portrait is still on its way: shown on the reading page as soon as EF.SOD's
signature and the text's hashes have checked (the read's ``read.text`` event); the verdict follows."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from cccd_station.ui.result_view import add_field_rows, holder_fields, remove_rows

if TYPE_CHECKING:
    from cccd_station.station.pipeline import HolderText, InspectionResult


def text_rows(text: HolderText) -> list[tuple[str, str]]:
    """The rows the result view shows for the same card. HolderText carries the text attributes of an
    InspectionResult under the same names (mrz, holder, dg11, dg12, record), which is all they read."""
    return holder_fields(cast("InspectionResult", text))


class TextPreview(QFrame):
    """Title, a note that the check goes on, and the holder's fields; empty until :meth:`show_text`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("textPreview")
        self.setStyleSheet("#textPreview { border: 1px solid #9bb7d4; border-radius: 6px; }")
        self.title = QLabel(self)
        self.title.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        # The rows keep their height and scroll on a small screen, rather than being squeezed into each other.
        body = QWidget()
        self.fields = QFormLayout(body)
        self.fields.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        scroll = QScrollArea(self)
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.note)
        layout.addWidget(scroll, 1)
        self.text: HolderText | None = None
        self.setVisible(False)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Holder (checked against the issuer's signature)"))
        self.note.setText(self.tr("Still reading the photo; the verdict follows."))
        if self.text is not None:
            self.show_text(self.text)

    def show_text(self, text: HolderText) -> None:
        self.clear()
        self.text = text
        add_field_rows(self.fields, text_rows(text))
        self.setVisible(True)

    def rows(self) -> list[tuple[str, str]]:
        """What is shown, as (label, value) texts."""
        shown = []
        for row in range(self.fields.rowCount()):
            label = self.fields.itemAt(row, QFormLayout.ItemRole.LabelRole)
            value = self.fields.itemAt(row, QFormLayout.ItemRole.FieldRole)
            if label is not None and value is not None:
                label_widget, value_widget = label.widget(), value.widget()
                if isinstance(label_widget, QLabel) and isinstance(value_widget, QLabel):
                    shown.append((label_widget.text(), value_widget.text()))
        return shown

    def clear(self) -> None:
        """Forget the holder: no label keeps their data."""
        self.text = None
        remove_rows(self.fields)
        self.setVisible(False)
