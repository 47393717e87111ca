"""Every kind of failure gets its own plain sentence and next step, by its kind alone; bugs are not shown
as card errors; every key-format sentence of reader.keys reads in Vietnamese."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from cccd_station.reader.access import MrzRequiredError
from cccd_station.reader.errors import (
    AccessDeniedError,
    ApduError,
    CardRemovedError,
    ChipDataError,
    NoCardError,
    ParseError,
    ReaderUnavailableError,
    SecureMessagingError,
    UnsupportedCardError,
)
from cccd_station.reader.keys import CanKey, IdNumberKey, KeyFormatError, MrzKey
from cccd_station.station.errors import ReaderBusyError
from cccd_station.ui.i18n import Translations
from cccd_station.ui.texts import (
    ERROR_TEXTS,
    KEY_FORMAT_TEMPLATES,
    error_text,
    key_format_text,
    kind_text,
)

ROOT = Path(__file__).resolve().parents[1]

ERRORS = [
    (AccessDeniedError("PACE failed"), "wrong_key"),
    (MrzRequiredError("BAC only"), "mrz_required"),
    (CardRemovedError("gone"), "card_removed"),
    (ReaderUnavailableError("unplugged"), "reader_unavailable"),
    (NoCardError("empty"), "no_card"),
    (UnsupportedCardError("no eMRTD"), "unsupported_card"),
    (ChipDataError("bad"), "bad_chip_data"),
    (ParseError("truncated"), "bad_chip_data"),
    (SecureMessagingError("bad MAC"), "secure_messaging"),
    (ApduError(0x6A82), "card_refused"),
    (ReaderBusyError("read 7 holds the card thread"), "busy"),
    (RuntimeError("a bug"), "unexpected"),
]
SAME_SENTENCE = {"secure_messaging": "bad_chip_data"}  # one fact to a clerk: the chip's data is damaged


@pytest.mark.parametrize(("error", "kind"), ERRORS)
def test_each_error_has_a_reason_and_a_next_step(qapp: QApplication, error: Exception, kind: str) -> None:
    text = error_text(error)
    assert text.kind == kind
    assert text.title and text.next_step.endswith(".")
    assert str(error) not in text.title  # technical details stay out of the clerk's sentence


def test_distinct_problems_read_differently(qapp: QApplication) -> None:
    titles = {error_text(error).title for error, _ in ERRORS}
    assert len(titles) == len({SAME_SENTENCE.get(kind, kind) for _, kind in ERRORS})


@pytest.mark.parametrize(
    "kind",
    [
        "storage_full",
        "storage_unavailable",
        "storage_busy",
        "storage_read_only",
        "storage_failed",
        "trust_refused",
        "bad_key",
    ],
)
def test_kinds_of_the_core_and_the_database_have_their_own_sentence(qapp: QApplication, kind: str) -> None:
    assert kind in ERROR_TEXTS
    assert kind_text(kind).title != kind_text("unexpected").title


def test_a_kind_this_window_does_not_know_reads_as_unexpected(qapp: QApplication) -> None:
    assert kind_text("a_kind_from_the_future").kind == "unexpected"


@pytest.fixture
def vietnamese(qapp: QApplication) -> Iterator[Translations]:
    translations = Translations()
    translations.set_language("vi")
    yield translations


def _key_format_templates_raised() -> set[object]:
    """Every literal KeyFormatError(...) template in the modules that check keys."""
    found: set[object] = set()
    for path in (ROOT / "reader" / "keys.py", ROOT / "station" / "keyinput.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "KeyFormatError":
                first = node.args[0]
                assert isinstance(first, ast.Constant), ast.unparse(node)  # a template, not an f-string
                found.add(first.value)
    return found


def test_every_key_format_sentence_is_in_the_table() -> None:
    assert _key_format_templates_raised() == set(KEY_FORMAT_TEMPLATES)


def test_every_key_format_sentence_reads_in_vietnamese(vietnamese: Translations) -> None:
    for template in KEY_FORMAT_TEMPLATES:
        error = KeyFormatError(str(template), expected=12, given=11, length=6, kinds="id, can, mrz")
        assert key_format_text(error) != str(error), template


@pytest.mark.parametrize(
    ("make", "vietnamese_words"),
    [
        (lambda: IdNumberKey.parse("00108501476"), "12 chữ số"),
        (lambda: IdNumberKey.parse("0010850147ab"), "chữ số"),
        (lambda: CanKey.parse("12345"), "6 chữ số"),
        (lambda: MrzKey.parse("L898902C3", "31/02/1974", "16/04/2032"), "không tồn tại"),
    ],
)
def test_a_refused_key_says_why_in_the_clerks_language(
    vietnamese: Translations, make: object, vietnamese_words: str
) -> None:
    with pytest.raises(KeyFormatError) as refused:
        assert callable(make)
        make()
    assert vietnamese_words in key_format_text(refused.value)


def test_every_storage_kind_has_a_sentence_for_the_clerk_and_the_admin(qapp: QApplication) -> None:
    import cccd_station.db.errors as db_errors
    from cccd_station.ui.admin.messages import MESSAGES

    kinds = {
        str(getattr(cls, "kind", ""))
        for cls in vars(db_errors).values()
        if isinstance(cls, type)
        and issubclass(cls, Exception)
        and isinstance(getattr(cls, "kind", None), str)
    }
    assert kinds - {"account_locked", "operator_rule"} <= set(MESSAGES)
    assert {kind for kind in kinds if kind.startswith("storage_")} <= set(ERROR_TEXTS)
