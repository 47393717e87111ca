"""The English translation of the admin screens (resources/i18n/admin_en.ts, compiled to admin_en.qm).

The admin screens' source strings are Vietnamese; with admin_en.qm installed they must read in English.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTableWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot
from station_fixtures import ADMIN_PASSWORD, CLERK_PASSWORD, admin, clerk, station

from cccd_station.resources import resource_path
from cccd_station.station.core import MIN_PASSWORD_LENGTH, Operator, Role, Station
from cccd_station.ui.admin import AdminWindow, SaveRecordAction, SignInDialog, SyncIndicator
from cccd_station.ui.admin.messages import action_label, verdict_label

__all__ = ["admin", "clerk", "station"]

I18N_DIR = resource_path("i18n")
TS_FILE = I18N_DIR / "admin_en.ts"
QM_FILE = I18N_DIR / "admin_en.qm"

# %n, %1 … %99 (also %L1), and Python {name} fields.
PLACEHOLDER = re.compile(r"%L?(?:n|\d{1,2})|\{[^{}]*\}")
# A '&' that marks a keyboard accelerator ("&&" is a literal ampersand).
ACCELERATOR = re.compile(r"&(?!&)(?=\S)")


def _messages() -> list[tuple[str, ET.Element]]:
    root = ET.parse(TS_FILE).getroot()
    return [
        (context.findtext("name") or "", message)
        for context in root.iter("context")
        for message in context.iter("message")
    ]


def _translations(message: ET.Element) -> list[str]:
    translation = message.find("translation")
    assert translation is not None
    if message.get("numerus") == "yes":
        return [form.text or "" for form in translation.iter("numerusform")]
    return [translation.text or ""]


def _has_vietnamese(text: str) -> bool:
    """True for a letter with a Vietnamese diacritic (ă â đ ê ô ơ ư and the five tone marks)."""
    return any(
        ch in "đĐ"
        or (ch.isalpha() and any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", ch)))
        for ch in text
    )


def _visible_texts(widget: QWidget) -> list[str]:
    """Everything a user reads on ``widget`` and its children (labels, buttons, tabs, headers, …)."""
    texts = [widget.windowTitle()]
    for child in [widget, *widget.findChildren(QWidget)]:
        if child is not widget and not child.isVisibleTo(widget):
            continue
        if isinstance(child, QLabel | QAbstractButton):
            texts.append(child.text())
        if isinstance(child, QLineEdit):
            texts.append(child.placeholderText())
        if isinstance(child, QSpinBox):
            texts.append(child.suffix())
        if isinstance(child, QComboBox):
            texts.extend(child.itemText(i) for i in range(child.count()))
        if isinstance(child, QTableWidget):
            texts.extend(
                item.text()
                for column in range(child.columnCount())
                if (item := child.horizontalHeaderItem(column)) is not None
            )
        texts.append(child.toolTip())
        texts.append(child.accessibleName())
    tabs = getattr(widget, "tabs", None)
    if tabs is not None:
        texts.extend(tabs.tabText(i) for i in range(tabs.count()))
    return [text for text in texts if text]


@pytest.fixture
def english(qapp: QApplication) -> Iterator[QTranslator]:
    """admin_en.qm installed for one test only (the other tests expect the Vietnamese sources)."""
    translator = QTranslator()
    assert translator.load(str(QM_FILE)), f"cannot load {QM_FILE}"
    qapp.installTranslator(translator)
    try:
        yield translator
    finally:
        qapp.removeTranslator(translator)


# -- the .ts file ---------------------------------------------------------------------------------------


def test_every_message_is_translated_and_finished() -> None:
    messages = _messages()
    assert len(messages) > 150
    for context, message in messages:
        source = message.findtext("source")
        translation = message.find("translation")
        assert translation is not None, (context, source)
        assert translation.get("type") is None, f"{context}: {source!r} is {translation.get('type')}"
        forms = _translations(message)
        if message.get("numerus") == "yes":
            assert len(forms) == 2, (context, source)  # English: singular, plural
        for form in forms:
            assert form.strip(), f"{context}: {source!r} has an empty translation"
            assert not _has_vietnamese(form), f"{context}: {form!r} is not English"


def test_placeholders_and_accelerators_match_the_source() -> None:
    for context, message in _messages():
        source = message.findtext("source") or ""
        for form in _translations(message):
            assert sorted(PLACEHOLDER.findall(form)) == sorted(PLACEHOLDER.findall(source)), (
                context,
                source,
                form,
            )
            assert len(ACCELERATOR.findall(form)) == len(ACCELERATOR.findall(source)), (context, source, form)


def test_language_is_english_with_two_plural_forms() -> None:
    assert ET.parse(TS_FILE).getroot().get("language") == "en"


def test_every_message_has_its_context() -> None:
    """lupdate files a string it cannot place under the empty context, where no lookup finds it."""
    contexts = {context for context, _message in _messages()}
    assert "" not in contexts
    assert {"AdminMessages", "AuditLabels"} <= contexts


# -- real widgets with the translator installed ---------------------------------------------------------


def test_first_run_sign_in_dialog_in_english(qtbot: QtBot, english: QTranslator, station: Station) -> None:
    dialog = SignInDialog(station)
    qtbot.addWidget(dialog)
    assert dialog.first_run
    assert dialog.windowTitle() == "Sign in — CCCD Station"
    assert dialog.submit.text() == "Create administrator account"
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "Quit"
    assert dialog.intro.text() == (
        "First run: create an administrator account. "
        f"The password must have at least {MIN_PASSWORD_LENGTH} characters."
    )
    labels = {label.text() for label in dialog.findChildren(QLabel)}
    assert {"&Username:", "&Full name:", "&Password:", "&Confirm password:"} <= labels
    texts = _visible_texts(dialog)
    assert not [text for text in texts if _has_vietnamese(text)]

    dialog.username.setText("admin")
    dialog.password.setText(ADMIN_PASSWORD)
    dialog.confirm.setText(ADMIN_PASSWORD + "x")
    dialog.try_sign_in()
    assert dialog.message.text() == "The two passwords do not match."


def test_sign_in_dialog_and_lockout_in_english(
    qtbot: QtBot, english: QTranslator, station: Station, clerk: Operator
) -> None:
    dialog = SignInDialog(station)
    qtbot.addWidget(dialog)
    assert not dialog.first_run
    assert dialog.submit.text() == "Sign in"
    assert dialog.intro.text() == "Sign in to use the card reading station."
    assert not [text for text in _visible_texts(dialog) if _has_vietnamese(text)]

    dialog.try_sign_in()
    assert dialog.message.text() == "Enter your username and password."
    dialog.username.setText("clerk")
    messages = []
    for _attempt in range(5):
        dialog.password.setText("not-the-password")
        with qtbot.waitSignal(dialog.refused) as refused:
            dialog.try_sign_in()
        messages.append(refused.args[0])
    assert messages[0] == "Incorrect username or password."
    assert messages[-1] == ("This account is locked after too many wrong passwords. Try again in 15 minutes.")
    dialog.password.setText(CLERK_PASSWORD)
    dialog.try_sign_in()
    assert dialog.operator is None and "locked" in dialog.message.text()
    assert not _has_vietnamese(dialog.message.text())


def test_admin_window_in_english(qtbot: QtBot, english: QTranslator, station: Station) -> None:
    # An ASCII display name: it shows in the title and the tables, and must not count as untranslated.
    station_admin = station.db.operators.create_first_admin("admin", "Station Admin", ADMIN_PASSWORD)
    window = AdminWindow(station, station_admin)
    qtbot.addWidget(window)
    assert window.windowTitle() == "Administration — CCCD Station — Station Admin (admin)"
    tabs = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert tabs == ["&Operators", "&Audit trail", "Saved &records", "&Trust store", "API &keys", "Settin&gs"]
    buttons = {button.text() for button in window.operators_tab.findChildren(QAbstractButton)}
    assert {"A&dd…", "Change ro&le", "&Unlock sign-in", "Reset &password…"} <= buttons
    role = window.operators_tab.table.item(0, 2)
    assert role is not None and role.text() == "Administrator"
    assert window.sync_indicator.text().startswith("No server configured · ")
    assert verdict_label("verified") == "Fully verified"
    assert action_label("sign_in") == "Sign-in"
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        page = window.tabs.widget(index)
        assert page is not None
        left = [text for text in _visible_texts(page) if _has_vietnamese(text)]
        assert not left, f"tab {tabs[index]!r} still shows {left}"
    assert not [text for text in _visible_texts(window) if _has_vietnamese(text)]
    retention = window.settings_tab.retention_days
    retention.setValue(1)
    assert retention.text() == "1 day"
    retention.setValue(30)
    assert retention.text() == "30 days"
    window.close()


def test_sync_indicator_and_save_action_in_english(
    qtbot: QtBot, english: QTranslator, station: Station
) -> None:
    indicator = SyncIndicator(station)
    qtbot.addWidget(indicator)
    pending = station.sync_status().pending
    noun = "item" if pending == 1 else "items"
    assert indicator.text() == f"No server configured · {pending} {noun} waiting to be sent"
    assert indicator.toolTip() == "The central database address is not set."
    indicator.stop()

    action = SaveRecordAction(station, lambda: None)
    assert action.text() == "&Save record"
    assert action.toolTip() == "Save this person's details and photo (encrypted)"


def test_without_the_translator_the_sources_stay_vietnamese(qtbot: QtBot, station: Station) -> None:
    dialog = SignInDialog(station)
    qtbot.addWidget(dialog)
    assert dialog.submit.text() == "Tạo tài khoản quản trị"


def _mnemonic_clashes(window: AdminWindow) -> dict[str, dict[str, list[str]]]:
    """Per tab: Alt+letter keys that more than one visible label, button or tab answers to."""
    tabs = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    clashes = {}
    for index, tab in enumerate(tabs):
        window.tabs.setCurrentIndex(index)
        page = window.tabs.widget(index)
        assert page is not None
        texts = list(tabs)  # the tab bar's keys work on every page
        texts += [
            child.text()
            for child in page.findChildren(QLabel) + page.findChildren(QAbstractButton)
            if child.isVisibleTo(page)
        ]
        by_key: dict[str, list[str]] = {}
        for text in texts:
            match = re.search(r"&([^&\s])", text)
            if match:
                by_key.setdefault(match.group(1).lower(), []).append(text)
        clashes[tab] = {key: owners for key, owners in by_key.items() if len(owners) > 1}
    return {tab: found for tab, found in clashes.items() if found}


@pytest.mark.parametrize(("language", "first_tab"), [("vi", "Người &dùng"), ("en", "&Operators")])
def test_every_alt_key_of_the_admin_window_is_unique(
    qtbot: QtBot, request: pytest.FixtureRequest, station: Station, language: str, first_tab: str
) -> None:
    if language == "en":
        request.getfixturevalue("english")
    station_admin = station.db.operators.create_first_admin("admin", "Station Admin", ADMIN_PASSWORD)
    window = AdminWindow(station, station_admin)
    qtbot.addWidget(window)
    assert window.tabs.tabText(0) == first_tab
    assert _mnemonic_clashes(window) == {}


def test_refused_operator_changes_are_explained_in_english(
    qtbot: QtBot, english: QTranslator, station: Station
) -> None:
    station_admin = station.db.operators.create_first_admin("admin", "Station Admin", ADMIN_PASSWORD)
    window = AdminWindow(station, station_admin)
    qtbot.addWidget(window)
    tab = window.operators_tab
    assert not tab.set_role("admin", Role.CLERK)
    assert tab.status.text() == "The last active administrator cannot be demoted or disabled."
    assert not tab.add_operator("admin", "Someone Else", CLERK_PASSWORD, Role.CLERK)
    assert tab.status.text() == "The username admin is already taken."
    assert not tab.add_operator("clerk2", "Someone Else", "short", Role.CLERK)
    assert tab.status.text() == f"The password must have at least {MIN_PASSWORD_LENGTH} characters."
