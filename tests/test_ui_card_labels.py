"""Each card generation's DG13 fields under the labels that card prints, in both languages, and the
fields the station does not interpret shown raw (sources of the labels: docs/dg13.md)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLayoutItem
from pytestqt.qtbot import QtBot

from cccd_station.crypto.verdict import Verdict
from cccd_station.reader.chip.personas import load_persona
from cccd_station.reader.lds import HolderRecord, RawField, VnCitizenDetails
from cccd_station.station.core import Station
from cccd_station.station.pipeline import InspectionResult
from cccd_station.ui.app import build_window, setup_application
from cccd_station.ui.main_window import MainWindow
from cccd_station.ui.result_view import result_as_text

READ_TIMEOUT_MS = 30_000
CCCD_2021 = "nguyen-van-an"  # issued 12/07/2023
CAN_CUOC_2024 = "vo-thi-thanh-huong"  # issued 15/08/2024

LABELS = {
    (CCCD_2021, "vi"): [
        "Loại thẻ", "Số", "Họ và tên", "Ngày sinh", "Giới tính", "Quốc tịch", "Dân tộc", "Tôn giáo",
        "Quê quán", "Nơi thường trú", "Đặc điểm nhân dạng", "Ngày cấp", "Có giá trị đến", "Họ tên cha",
        "Họ tên mẹ", "Họ tên vợ/chồng", "Số CMND cũ", "Trường 16 trên chip (chưa diễn giải)",
    ],
    (CCCD_2021, "en"): [
        "Card", "No.", "Full name", "Date of birth", "Sex", "Nationality", "Ethnicity", "Religion",
        "Place of origin", "Place of residence", "Personal identification", "Date of issue", "Date of expiry",
        "Father's name", "Mother's name", "Spouse's name", "Old ID number", "Chip field 16 (not interpreted)",
    ],
    (CAN_CUOC_2024, "vi"): [
        "Loại thẻ", "Số định danh cá nhân", "Họ, chữ đệm và tên khai sinh", "Ngày, tháng, năm sinh",
        "Giới tính", "Quốc tịch", "Dân tộc", "Tôn giáo", "Nơi đăng ký khai sinh", "Nơi cư trú",
        "Ngày, tháng, năm cấp", "Ngày, tháng, năm hết hạn", "Họ tên cha", "Họ tên mẹ", "Số CMND cũ",
        "Trường 16 trên chip (chưa diễn giải)",
    ],
    (CAN_CUOC_2024, "en"): [
        "Card", "Personal identification number", "Full name", "Date of birth", "Sex", "Nationality",
        "Ethnicity", "Religion", "Place of birth", "Place of residence", "Date of issue", "Date of expiry",
        "Father's name", "Mother's name", "Old ID number", "Chip field 16 (not interpreted)",
    ],
}  # fmt: skip
CARD_TITLES = {
    (CCCD_2021, "vi"): "Căn cước công dân",
    (CCCD_2021, "en"): "Citizen Identity Card",
    (CAN_CUOC_2024, "vi"): "Căn cước",
    (CAN_CUOC_2024, "en"): "Identity Card",
}


@pytest.fixture
def window(qtbot: QtBot, qapp: QApplication, tmp_path: Path) -> Iterator[MainWindow]:
    with Station.open_demo(tmp_path) as station:
        main = build_window(station, setup_application(qapp, "vi"))
        qtbot.addWidget(main)
        main.show()
        yield main
        main.close()  # before the station closes


def _read(qtbot: QtBot, window: MainWindow, persona: str) -> None:
    """Type the card's ID number, lay it on the demo reader and wait for the result."""
    number = load_persona(persona).id_number
    assert number is not None
    panel = window.demo_panel
    assert panel is not None
    window.keys.setCurrentIndex(window.keys.ID_TAB)
    window.keys.id_field.setFocus()
    with qtbot.waitSignal(window.keys.key_changed, timeout=2000):
        qtbot.keyClicks(window.keys.id_field, number)
    panel.select_persona(persona)
    with qtbot.waitSignal(window.result_shown, timeout=READ_TIMEOUT_MS) as shown:
        if panel.card_present:  # the button takes the card off first
            qtbot.mouseClick(panel.card_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(panel.card_button, Qt.MouseButton.LeftButton)
    assert shown.args[0].verdict is Verdict.VERIFIED


def _with_holder(result: InspectionResult, holder: VnCitizenDetails) -> InspectionResult:
    return replace(result, holder=holder, record=HolderRecord.merge(result.mrz, holder))


def _text(item: QLayoutItem | None) -> str:
    widget = item.widget() if item is not None else None
    return html.unescape(re.sub("<[^>]+>", "", widget.text())) if isinstance(widget, QLabel) else ""


def _rows(window: MainWindow) -> list[tuple[str, str]]:
    """The holder's rows as shown: (label, value)."""
    form = window.result_view.fields
    role = form.ItemRole
    return [
        (_text(form.itemAt(row, role.LabelRole)), _text(form.itemAt(row, role.FieldRole)))
        for row in range(form.rowCount())
        if form.itemAt(row, role.LabelRole) is not None
    ]


@pytest.mark.parametrize("persona", [CCCD_2021, CAN_CUOC_2024])
def test_each_generation_shows_the_labels_its_card_prints(
    qtbot: QtBot, window: MainWindow, persona: str
) -> None:
    details = load_persona(persona).vn_details
    assert details is not None
    _read(qtbot, window, persona)
    for language in ("vi", "en"):
        window.set_language(language)
        rows = _rows(window)
        assert [label for label, _ in rows] == LABELS[persona, language]
        shown = dict(rows)
        assert shown[LABELS[persona, language][0]] == CARD_TITLES[persona, language]
        place_of_origin_label = LABELS[persona, language][8]  # field 8, however the card names it
        assert shown[place_of_origin_label] == details.place_of_origin
        assert shown[LABELS[persona, language][-1]] == details.extra_fields[0].text


def test_a_dg13_field_the_station_does_not_know_is_shown_raw(qtbot: QtBot, window: MainWindow) -> None:
    _read(qtbot, window, CAN_CUOC_2024)
    result = window.result_view.result
    assert result is not None and result.holder is not None
    extra = (
        RawField(16, "5C3E9A0B17D2486F"),
        RawField(23, "Nhóm máu: O"),
        RawField(40, "01 02 03 04"),
        RawField(41, ""),
    )
    window.result_view.show_result(_with_holder(result, replace(result.holder, extra_fields=extra)))
    rows = _rows(window)
    assert rows[-4:] == [
        ("Trường 16 trên chip (chưa diễn giải)", "5C3E9A0B17D2486F"),
        ("Trường 23 trên chip (chưa diễn giải)", "Nhóm máu: O"),
        ("Trường 40 trên chip (chưa diễn giải)", "01 02 03 04"),
        ("Trường 41 trên chip (chưa diễn giải)", "(trống)"),  # present, if empty
    ]
    window.set_language("en")
    assert _rows(window)[-3] == ("Chip field 23 (not interpreted)", "Nhóm máu: O")
    shown = window.result_view.result
    assert shown is not None
    assert "Chip field 23 (not interpreted): Nhóm máu: O" in result_as_text(shown)


def test_without_a_date_of_issue_the_labels_claim_no_generation(qtbot: QtBot, window: MainWindow) -> None:
    _read(qtbot, window, CAN_CUOC_2024)
    result = window.result_view.result
    assert result is not None and result.holder is not None
    window.result_view.show_result(_with_holder(result, replace(result.holder, date_of_issue=None)))
    labels = [label for label, _ in _rows(window)]
    assert "Loại thẻ" not in labels
    assert labels[:2] == ["Số định danh", "Họ và tên"]
    assert "Quê quán" in labels and "Nơi đăng ký khai sinh" not in labels
