"""Key input rules: what the clerk types or scans (or a command line or API request gives) is accepted or
refused before any card work, by one validator per key."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cccd_station.reader.keys import CanKey, IdNumberKey, KeyFormatError, MrzKey, parse_key
from cccd_station.reader.lds.build import cccd_mrz, td3_mrz
from cccd_station.station.keyinput import CccdQr, ScanDetector, detect_scan

# A fictitious citizen.
QR = "001085014763|013456789|Nguyễn Văn An|15031985|Nam|12 Phố Hàng Bạc, Hoàn Kiếm, Hà Nội|20042021"


def test_id_number_accepts_twelve_digits_with_spaces() -> None:
    key = IdNumberKey.parse(" 0010 8501 4763 ")
    assert key.id_number == "001085014763" and key.can == "014763"
    assert "4763" not in repr(key)


@pytest.mark.parametrize(
    "text", ["00108501476", "0010850147634", "00108501476A", "", "００１０８５０１４７６３"]
)
def test_id_number_refuses_wrong_length_or_letters(text: str) -> None:
    with pytest.raises(KeyFormatError):
        IdNumberKey.parse(text)


def test_can_is_six_digits() -> None:
    assert CanKey.parse("482 915").can == "482915"
    for bad in ("48291", "4829150", "48291x"):
        with pytest.raises(KeyFormatError, match="6 digits"):
            CanKey.parse(bad)


def test_dates_typed_day_first_become_yymmdd() -> None:
    assert MrzKey.parse("X1", "15/03/1985", "01.12.2031").date_of_birth == "850315"
    assert MrzKey.parse("X1", "15/03/1985", "01.12.2031").date_of_expiry == "311201"
    for bad in ("31/02/2020", "1985-03-15", "15/03/85", "tomorrow", "850231"):
        with pytest.raises(KeyFormatError):
            MrzKey.parse("X1", bad, "01.12.2031")


def test_mrz_data_uppercases_the_document_number() -> None:
    data = MrzKey.parse(" c01x00t47 ", "12/08/1974", "15/04/2031")
    assert (data.document_number, data.date_of_birth, data.date_of_expiry) == (
        "C01X00T47",
        "740812",
        "310415",
    )
    assert "C01X00T47" not in repr(data)


def test_pasted_cccd_mrz_lines_give_the_key_fields() -> None:
    lines = cccd_mrz("001085014763", "850315", "M", "450315", "NGUYEN VAN AN")
    data = MrzKey.parse_lines("\n".join(lines).lower() + "\n")
    assert data.date_of_birth == "850315"
    assert data.date_of_expiry == "450315"
    assert data.document_number.endswith("085014763")


def test_pasted_passport_mrz_and_a_wrong_check_digit() -> None:
    lines = td3_mrz("P", "UTO", "L898902C3", "740812", "F", "310415", "UTO", "ERIKSSON", "ANNA MARIA", "")
    assert MrzKey.parse_lines("\n".join(lines)).document_number == "L898902C3"
    broken = lines[1][:9] + str((int(lines[1][9]) + 1) % 10) + lines[1][10:]
    with pytest.raises(KeyFormatError, match="check digit"):
        MrzKey.parse_lines(lines[0] + "\n" + broken)
    with pytest.raises(KeyFormatError):
        MrzKey.parse_lines("NOT AN MRZ")


def test_cccd_qr_fields() -> None:
    qr = CccdQr.parse(QR)
    assert qr.id_number == "001085014763"
    assert qr.old_id_number == "013456789"
    assert qr.full_name == "Nguyễn Văn An"
    assert qr.date_of_birth == date(1985, 3, 15)
    assert qr.date_of_issue == date(2021, 4, 20)
    assert "Nguyễn" not in repr(qr)


def test_cccd_qr_variants_with_extra_empty_fields_and_no_old_id() -> None:
    assert CccdQr.parse(QR + "||").id_number == "001085014763"
    no_old = QR.replace("|013456789|", "||")
    assert CccdQr.parse(no_old).old_id_number == ""


@pytest.mark.parametrize(
    "text",
    [
        "001085014763",
        QR.replace("001085014763", "00108501476"),
        QR + "|extra",
        QR.replace("15031985", "31021985"),
        "a|b|c|d|e|f|g",
    ],
)
def test_text_without_the_qr_shape_is_refused(text: str) -> None:
    with pytest.raises(KeyFormatError):
        CccdQr.parse(text)


def test_fast_burst_with_qr_shape_is_a_scan() -> None:
    times = [i * 0.004 for i in range(len(QR))]
    verdict = detect_scan(QR, times)
    assert verdict.is_scan
    assert verdict.qr is not None and verdict.qr.id_number == "001085014763"


def test_human_typing_speed_is_not_a_scan_even_with_qr_shape() -> None:
    times = [i * 0.15 for i in range(len(QR))]
    assert not detect_scan(QR, times).is_scan


def test_fast_burst_without_qr_shape_is_not_a_scan() -> None:
    text = "hello world this is pasted quickly"
    assert not detect_scan(text, [i * 0.002 for i in range(len(text))]).is_scan


def test_detector_starts_a_new_burst_after_a_pause() -> None:
    detector = ScanDetector(gap=0.2)
    for i, char in enumerate("00"):
        detector.feed(char, i * 0.3)  # slow, human keystrokes first
    start = 5.0
    for i, char in enumerate(QR):
        detector.feed(char, start + i * 0.005)
    verdict = detector.finish()
    assert verdict.is_scan
    assert not detector.finish().is_scan  # finish() empties the detector


@given(st.text(max_size=300))
def test_any_text_gives_an_answer_not_a_crash(text: str) -> None:
    times = [i * 0.001 for i in range(len(text))]
    verdict = detect_scan(text, times)
    assert verdict.is_scan == (verdict.qr is not None)


@pytest.mark.parametrize(
    ("kind", "text", "sentence"),
    [
        ("id", "12345", "The ID number has 12 digits, not 5."),
        ("can", "12", "The card access number (CAN) has 6 digits."),
        ("mrz", "C01X00T47,740812", "MRZ data are written DOCNO,YYMMDD,YYMMDD"),
        ("mrz", "C01X00T47,741312,310415", "That date does not exist."),
        ("passport", "1", "A key is one of: id, can, mrz."),
    ],
)
def test_every_front_end_gets_the_same_sentence(kind: str, text: str, sentence: str) -> None:
    with pytest.raises(KeyFormatError) as refused:
        parse_key(kind, text)
    assert str(refused.value).startswith(sentence)
    assert refused.value.kind == "bad_key"


def test_compact_mrz_data_of_the_command_line() -> None:
    key = parse_key("mrz", "x94k27l05,880423,310830")
    assert isinstance(key, MrzKey) and key.mrz_information.startswith("X94K27L05")
