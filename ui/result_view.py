"""The result of a read: verdict banner, portrait, holder fields, and the checks for the curious."""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from cccd_station.crypto.verdict import CheckStatus, Verdict
from cccd_station.reader.lds.dg13 import CardGeneration, VnCitizenDetails
from cccd_station.ui.icons import VERDICT_COLOURS, verdict_icon
from cccd_station.ui.texts import check_name, status_name, verdict_sentence, verdict_title

if TYPE_CHECKING:
    from cccd_station.station.pipeline import InspectionResult

translate = QCoreApplication.translate

PORTRAIT_WIDTH = 180
PORTRAIT_HEIGHT = 240
SELECTABLE = Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard


def add_field_rows(form: QFormLayout, rows: Iterable[tuple[str, str]]) -> None:
    """A bold label beside a wrapping, selectable value for each (label, value)."""
    for label, value in rows:
        value_label = QLabel(value)
        value_label.setWordWrap(True)
        value_label.setTextInteractionFlags(SELECTABLE)
        form.addRow(QLabel(f"<b>{html.escape(label)}</b>"), value_label)


def remove_rows(form: QFormLayout) -> None:
    while form.rowCount():
        form.removeRow(0)


def _date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _mrz_text(text: str | None) -> str:
    """DG11 text uses the MRZ convention: '<<' between name parts, '<' for a space."""
    return (text or "").replace("<<", ", ").replace("<", " ")


# DG13 fields in card order: attribute -> label (context "Fields") where the generation is unknown
# or the card does not print the field.
_DG13_LABELS = {
    "id_number": QT_TRANSLATE_NOOP("Fields", "ID number"),
    "full_name": QT_TRANSLATE_NOOP("Fields", "Full name"),
    "date_of_birth": QT_TRANSLATE_NOOP("Fields", "Date of birth"),
    "sex": QT_TRANSLATE_NOOP("Fields", "Sex"),
    "nationality": QT_TRANSLATE_NOOP("Fields", "Nationality"),
    "ethnicity": QT_TRANSLATE_NOOP("Fields", "Ethnicity"),
    "religion": QT_TRANSLATE_NOOP("Fields", "Religion"),
    "place_of_origin": QT_TRANSLATE_NOOP("Fields", "Place of origin"),
    "place_of_residence": QT_TRANSLATE_NOOP("Fields", "Place of residence"),
    "identifying_marks": QT_TRANSLATE_NOOP("Fields", "Identifying marks"),
    "date_of_issue": QT_TRANSLATE_NOOP("Fields", "Date of issue"),
    "date_of_expiry": QT_TRANSLATE_NOOP("Fields", "Valid until"),
    "father_name": QT_TRANSLATE_NOOP("Fields", "Father's name"),
    "mother_name": QT_TRANSLATE_NOOP("Fields", "Mother's name"),
    "spouse_name": QT_TRANSLATE_NOOP("Fields", "Spouse's name"),
    "old_id_number": QT_TRANSLATE_NOOP("Fields", "Old ID number"),
}
# The labels each generation prints on the card where they differ from the ones above, English as
# printed beside the Vietnamese (Circulars 06/2021/TT-BCA and 16/2024/TT-BCA; sources in docs/dg13.md).
_PRINTED_LABELS: dict[CardGeneration, tuple[str, dict[str, object]]] = {
    CardGeneration.CCCD_2021: (
        "Card2021",
        {
            "id_number": QT_TRANSLATE_NOOP("Card2021", "No."),
            "place_of_origin": QT_TRANSLATE_NOOP("Card2021", "Place of origin"),
            "place_of_residence": QT_TRANSLATE_NOOP("Card2021", "Place of residence"),
            "identifying_marks": QT_TRANSLATE_NOOP("Card2021", "Personal identification"),
            "date_of_expiry": QT_TRANSLATE_NOOP("Card2021", "Date of expiry"),
        },
    ),
    CardGeneration.CAN_CUOC_2024: (
        "Card2024",
        {
            "id_number": QT_TRANSLATE_NOOP("Card2024", "Personal identification number"),
            "full_name": QT_TRANSLATE_NOOP("Card2024", "Full name"),
            "date_of_birth": QT_TRANSLATE_NOOP("Card2024", "Date of birth"),
            "place_of_origin": QT_TRANSLATE_NOOP("Card2024", "Place of birth"),
            "place_of_residence": QT_TRANSLATE_NOOP("Card2024", "Place of residence"),
            "date_of_issue": QT_TRANSLATE_NOOP("Card2024", "Date of issue"),
            "date_of_expiry": QT_TRANSLATE_NOOP("Card2024", "Date of expiry"),
        },
    ),
}
# The card's title, as printed on its front.
_CARD_TITLES = {
    CardGeneration.CCCD_2021: QT_TRANSLATE_NOOP("Fields", "Citizen Identity Card"),
    CardGeneration.CAN_CUOC_2024: QT_TRANSLATE_NOOP("Fields", "Identity Card"),
}


def _dg13_label(name: str, generation: CardGeneration | None) -> str:
    """The label of DG13 attribute ``name`` as a card of ``generation`` prints it, translated."""
    context, printed = _PRINTED_LABELS[generation] if generation else ("Fields", {})
    if name in printed:
        return translate(context, str(printed[name]))
    return translate("Fields", str(_DG13_LABELS[name]))


def _dg13_value(holder: VnCitizenDetails, name: str) -> str:
    if name == "date_of_expiry" and holder.no_expiry:
        return translate("Fields", "No expiry")
    value = getattr(holder, name)
    return _date(value) if isinstance(value, date) else (value or "")


def _dg13_rows(holder: VnCitizenDetails, generation: CardGeneration | None) -> list[tuple[str, str]]:
    rows = []
    if generation is not None:
        rows.append((translate("Fields", "Card"), translate("Fields", str(_CARD_TITLES[generation]))))
    rows += [(_dg13_label(name, generation), _dg13_value(holder, name)) for name in _DG13_LABELS]
    # Fields the station does not interpret, shown as the chip holds them rather than dropped.
    rows += [
        (
            translate("Fields", "Chip field {number} (not interpreted)").format(number=raw.number),
            raw.text or translate("Fields", "(empty)"),
        )
        for raw in holder.extra_fields
    ]
    return rows


def holder_fields(result: InspectionResult) -> list[tuple[str, str]]:
    """(label, value) of what the card states, in the clerk's language; empty values left out.
    A CCCD's fields carry the labels its generation prints; DG13 fields the station does not
    interpret are shown raw under their field number."""

    holder = result.holder
    if holder is not None:
        rows = _dg13_rows(holder, result.record.generation)
    elif result.mrz is not None:
        mrz = result.mrz
        dg11 = result.dg11
        rows = [
            (translate("Fields", "Document type"), mrz.document_code),
            (translate("Fields", "Issuing state"), mrz.issuing_state),
            (translate("Fields", "Document number"), mrz.document_number),
            (translate("Fields", "Surname"), mrz.surname),
            (translate("Fields", "Given names"), mrz.given_names),
            (
                translate("Fields", "Full name"),
                _mrz_text(dg11.full_name) if dg11 else "",
            ),
            (
                translate("Fields", "Place of birth"),
                _mrz_text(dg11.place_of_birth) if dg11 else "",
            ),
            (translate("Fields", "Nationality"), mrz.nationality),
            (translate("Fields", "Date of birth"), _date(mrz.date_of_birth)),
            (translate("Fields", "Sex"), mrz.sex),
            (translate("Fields", "Date of expiry"), _date(mrz.date_of_expiry)),
        ]
    else:
        rows = []
    return [(label, value) for label, value in rows if value]


def result_as_text(result: InspectionResult) -> str:
    """The verified record as plain text for pasting into other software."""
    lines = [f"{verdict_title(result.verdict)}: {verdict_sentence(result.verdict, result.checks)}"]
    lines += [f"{label}: {value}" for label, value in holder_fields(result)]
    return "\n".join(lines) + "\n"


def result_as_html(result: InspectionResult, portrait_uri: str | None) -> str:
    """The record for printing or PDF; ``portrait_uri`` names an image resource of the document."""
    colour = VERDICT_COLOURS[result.verdict]
    rows = "".join(
        f"<tr><td><b>{html.escape(label)}</b></td><td>{html.escape(value)}</td></tr>"
        for label, value in holder_fields(result)
    )
    checks = "".join(
        f"<li>{html.escape(check_name(c.id))}: {html.escape(status_name(c.status))}</li>"
        for c in result.checks
    )
    image = f'<img src="{portrait_uri}" width="{PORTRAIT_WIDTH}">' if portrait_uri else ""
    return (
        f'<h2 style="color:{colour}">{html.escape(verdict_title(result.verdict))}</h2>'
        f"<p>{html.escape(verdict_sentence(result.verdict, result.checks))}</p>"
        f"{image}<table cellpadding='3'>{rows}</table><ul>{checks}</ul>"
    )


class VerdictBanner(QFrame):
    """Coloured band with an icon, a title and the sentence saying why."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("verdictBanner")
        self.icon = QLabel()
        self.title = QLabel()
        self.title.setObjectName("verdictTitle")
        self.sentence = QLabel()
        self.sentence.setWordWrap(True)
        text = QVBoxLayout()
        text.addWidget(self.title)
        text.addWidget(self.sentence)
        layout = QHBoxLayout(self)
        layout.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(text, 1)
        self.verdict: Verdict | None = None

    def show_verdict(self, verdict: Verdict, title: str, sentence: str) -> None:
        self.verdict = verdict
        colour = VERDICT_COLOURS[verdict]
        self.setStyleSheet(
            f"#verdictBanner {{ background: {colour}; border-radius: 6px; }}"
            " QLabel { color: white; } #verdictTitle { font-size: 22pt; font-weight: bold; }"
        )
        self.icon.setPixmap(verdict_icon(verdict, 56))
        self.title.setText(title)
        self.sentence.setText(sentence)

    def clear(self) -> None:
        self.verdict = None
        self.icon.clear()
        self.title.setText("")
        self.sentence.setText("")


class ResultView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result: InspectionResult | None = None
        self.banner = VerdictBanner()
        self.portrait = QLabel()
        self.portrait.setFixedSize(PORTRAIT_WIDTH, PORTRAIT_HEIGHT)
        self.portrait.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.portrait.setFrameShape(QFrame.Shape.StyledPanel)
        self.fields = QFormLayout()
        self.fields.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)

        self.checks_toggle = QToolButton()
        self.checks_toggle.setCheckable(True)
        self.checks_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.checks_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.checks_toggle.toggled.connect(self._toggle_checks)
        self.checks_list = QLabel()
        self.checks_list.setWordWrap(True)
        self.checks_list.setTextFormat(Qt.TextFormat.RichText)
        self.checks_list.setVisible(False)
        self.checks_list.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

        # Fields and checks scroll together, so a long address or the open checks list never clips.
        details = QWidget()
        details_layout = QVBoxLayout(details)
        details_layout.setContentsMargins(0, 0, 0, 0)
        details_layout.addLayout(self.fields)
        details_layout.addWidget(self.checks_toggle, 0, Qt.AlignmentFlag.AlignLeft)
        details_layout.addWidget(self.checks_list)
        details_layout.addStretch(1)
        self.details_scroll = QScrollArea()
        self.details_scroll.setWidgetResizable(True)
        self.details_scroll.setWidget(details)
        self.details_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.portrait_column = QVBoxLayout()
        self.portrait_column.addWidget(self.portrait)
        self.portrait_column.addStretch(1)
        body = QHBoxLayout()
        body.addLayout(self.portrait_column)
        body.addWidget(self.details_scroll, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        layout.addLayout(body, 1)
        self.retranslate()

    def add_below_portrait(self, widget: QWidget) -> None:
        """A widget under the portrait, as wide as it (the face comparison's camera view)."""
        widget.setFixedWidth(PORTRAIT_WIDTH)
        self.portrait_column.insertWidget(1, widget)

    def retranslate(self) -> None:
        self.checks_toggle.setText(self.tr("Details of the checks"))
        if self.result is not None:
            self.show_result(self.result)

    def _toggle_checks(self, shown: bool) -> None:
        self.checks_toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        self.checks_list.setVisible(shown)
        if shown:
            QTimer.singleShot(0, lambda: self.details_scroll.ensureWidgetVisible(self.checks_list))

    def show_result(self, result: InspectionResult) -> None:
        self.clear()
        self.result = result
        self.banner.show_verdict(
            result.verdict, verdict_title(result.verdict), verdict_sentence(result.verdict, result.checks)
        )
        if result.photo is not None:
            pixmap = QPixmap()
            # Qt decodes JPEG itself; JPEG 2000 (common on chips) goes through Pillow.
            if not pixmap.loadFromData(result.photo.data):
                pixmap.loadFromData(result.photo.to_png(), "PNG")
            self.portrait.setPixmap(
                pixmap.scaled(
                    PORTRAIT_WIDTH,
                    PORTRAIT_HEIGHT,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        else:
            self.portrait.setText(self.tr("No photo"))
        disagreements = set(result.record.disagreements)
        add_field_rows(self.fields, holder_fields(result))
        if disagreements:
            note = QLabel(
                self.tr("The chip's MRZ and its Vietnamese data differ on: {fields}").format(
                    fields=", ".join(sorted(disagreements))
                )
            )
            note.setWordWrap(True)
            self.fields.addRow(note)
        items = []
        for check in result.checks:
            mark = {CheckStatus.PASS: "✔", CheckStatus.FAIL: "✘", CheckStatus.SKIPPED: "–"}[check.status]
            name, status = html.escape(check_name(check.id)), html.escape(status_name(check.status))
            items.append(
                f"<li>{mark} <b>{name}</b>: {status}<br><small>{html.escape(check.detail)}</small></li>"
            )
        access = html.escape(f"{result.access.protocol} ({result.access.password})")
        self.checks_list.setText(f"<ul>{''.join(items)}</ul><small>{access}</small>")

    def clear(self) -> None:
        """Forget the holder: no label, pixmap or text keeps their data."""
        self.result = None
        self.banner.clear()
        self.portrait.clear()
        remove_rows(self.fields)
        self.checks_list.setText("")
        self.checks_toggle.setChecked(False)
