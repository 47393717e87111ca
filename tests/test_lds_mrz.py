"""MRZ parsing, check digits and MRZ builders (reader.lds.mrz, reader.lds.build)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from cccd_station.reader.errors import ParseError
from cccd_station.reader.lds.build import build_dg1, cccd_mrz, td1_mrz, td2_mrz, td3_mrz
from cccd_station.reader.lds.mrz import Mrz, birth_date, check_digit, parse_dg1

VECTORS = Path(__file__).resolve().parent / "vectors" / "icao_9303_11_bac.json"
SPECIMEN_TD3 = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
)


def _bac_examples() -> list[dict[str, Any]]:
    if not VECTORS.exists():
        pytest.skip("ICAO 9303-11 vectors not available")
    examples: list[dict[str, Any]] = json.loads(VECTORS.read_text())["values"]["mrz_examples"]
    return examples


@pytest.mark.parametrize(
    ("text", "digit"),
    [("L898902C3", "6"), ("740812", "2"), ("120415", "9"), ("ZE184226B<<<<<", "1"), ("<<<", "0"), ("", "0")],
)
def test_check_digit_of_icao_specimen_fields(text: str, digit: str) -> None:
    assert check_digit(text) == digit


def test_check_digit_refuses_characters_outside_the_mrz_set() -> None:
    with pytest.raises(ValueError, match="cannot appear"):
        check_digit("ab")


def test_icao_specimen_td3() -> None:
    mrz = Mrz.parse("\n".join(SPECIMEN_TD3))
    assert mrz.format == "TD3"
    assert (mrz.document_code, mrz.issuing_state, mrz.nationality) == ("P", "UTO", "UTO")
    assert mrz.document_number == "L898902C3"
    assert (mrz.surname, mrz.given_names, mrz.sex) == ("ERIKSSON", "ANNA MARIA", "F")
    assert mrz.date_of_birth == date(1974, 8, 12)
    assert mrz.date_of_expiry == date(2012, 4, 15)
    assert mrz.optional_data == "ZE184226B"
    assert mrz.check_digit_errors == ()
    assert mrz.cccd_id_number is None


def test_bac_examples_give_the_printed_mrz_information() -> None:
    for example in _bac_examples():
        lines = example["mrz_lines_text"]
        assert isinstance(lines, list)
        mrz = Mrz.parse("\n".join(lines))
        assert mrz.format == example["format_text"]
        assert mrz.mrz_information == example["MRZ_information_text"]
        assert mrz.document_number == str(example["document_number_text"]).rstrip("<")
        misprinted = example["composite_check_digit_misprinted"]
        assert mrz.check_digit_errors == (("composite",) if misprinted else ())


def test_td1_long_document_number_is_joined_from_optional_data() -> None:
    mrz = Mrz.parse(
        "I<UTOD23145890<7349<<<<<<<<<<<3407127M9507122UTO<<<<<<<<<<<2STEVENSON<<PETER<JOHN<<<<<<<<<"
    )
    assert mrz.document_number == "D23145890734"
    assert mrz.document_number_check == "9"
    assert mrz.optional_data == ""
    assert (mrz.surname, mrz.given_names) == ("STEVENSON", "PETER JOHN")


@pytest.mark.parametrize(
    ("position", "replacement", "named"),
    [
        (1, 9, "document_number"),
        (1, 19, "date_of_birth"),
        (1, 27, "date_of_expiry"),
        (1, 42, "optional_data"),
    ],
)
def test_wrong_check_digits_are_reported_not_fatal(position: int, replacement: int, named: str) -> None:
    lines = list(SPECIMEN_TD3)
    line = lines[position]
    wrong = str((int(line[replacement]) + 1) % 10)
    lines[position] = line[:replacement] + wrong + line[replacement + 1 :]
    mrz = Mrz.parse("".join(lines))
    assert named in mrz.check_digit_errors
    assert "composite" in mrz.check_digit_errors
    assert mrz.surname == "ERIKSSON"


def test_changed_data_breaks_the_composite_check() -> None:
    line2 = SPECIMEN_TD3[1].replace("UTO", "UTA")  # nationality is outside the composite
    assert Mrz.parse(SPECIMEN_TD3[0] + line2).check_digit_errors == ()
    line2 = SPECIMEN_TD3[1][:28] + "ZE184226C<<<<<" + SPECIMEN_TD3[1][42:]
    assert Mrz.parse(SPECIMEN_TD3[0] + line2).check_digit_errors == ("optional_data", "composite")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "P<UTO" * 10,
        SPECIMEN_TD3[0] + SPECIMEN_TD3[1].lower(),
        SPECIMEN_TD3[0] + SPECIMEN_TD3[1][:-1] + "é",
    ],
)
def test_malformed_mrz_text_is_a_parse_error(text: str) -> None:
    with pytest.raises(ParseError):
        Mrz.parse(text)


def test_invalid_dates_become_none() -> None:
    line2 = SPECIMEN_TD3[1][:13] + "741332" + SPECIMEN_TD3[1][19:]
    mrz = Mrz.parse(SPECIMEN_TD3[0] + line2)
    assert mrz.date_of_birth is None and mrz.birth_raw == "741332"
    assert "date_of_birth" in mrz.check_digit_errors


def test_birth_century_is_never_in_the_future() -> None:
    today = date(2026, 6, 1)
    assert birth_date("250101", today) == date(2025, 1, 1)
    assert birth_date("260602", today) == date(1926, 6, 2)
    assert birth_date("991231", today) == date(1999, 12, 31)


def test_builders_reproduce_the_icao_examples() -> None:
    assert td3_mrz(
        "P", "UTO", "L898902C3", "740812", "F", "120415", "UTO", "ERIKSSON", "ANNA MARIA", "ZE184226B"
    ) == (SPECIMEN_TD3)
    examples = {tuple(example["mrz_lines_text"]) for example in _bac_examples()}
    td1 = td1_mrz("I", "UTO", "D23145890734", "340712", "M", "950712", "UTO", "STEVENSON", "PETER JOHN")
    td2 = td2_mrz("I", "UTO", "D23145890734", "340712", "M", "950712", "UTO", "STEVENSON", "PETER JOHN")
    assert td1 in examples
    assert td2 in examples


def test_builder_refuses_fields_that_do_not_fit() -> None:
    with pytest.raises(ValueError, match="longer"):
        td3_mrz("P", "UTO", "L898902C3XX", "740812", "F", "120415", "UTO", "A", "B")
    with pytest.raises(ValueError, match="YYMMDD"):
        td3_mrz("P", "UTO", "L898902C3", "7408", "F", "120415", "UTO", "A", "B")
    with pytest.raises(ValueError, match="sex"):
        td3_mrz("P", "UTO", "L898902C3", "740812", "W", "120415", "UTO", "A", "B")


def test_cccd_mrz_follows_the_vietnamese_convention() -> None:
    lines = cccd_mrz("001085014763", "850614", "M", "450614", "Nguyễn Văn Ân")
    assert lines[0] == "IDVNM085014763" + check_digit("085014763") + "001085014763<<" + check_digit(
        "001085014763"
    )
    assert lines[1][7] == "M" and lines[1][15:18] == "VNM"
    assert lines[2].startswith("NGUYEN<<VAN<AN<")
    mrz = parse_dg1(build_dg1(lines))
    assert mrz.check_digit_errors == ()
    assert mrz.cccd_id_number == "001085014763"
    assert mrz.document_number == "085014763"
    assert mrz.date_of_expiry == date(2045, 6, 14) and not mrz.has_no_expiry


def test_cccd_without_expiry_carries_991231() -> None:
    mrz = parse_dg1(build_dg1(cccd_mrz("048158220931", "580220", "F", None, "Phạm Thị Đào")))
    assert mrz.expiry_raw == "991231" and mrz.has_no_expiry
    assert (mrz.surname, mrz.given_names) == ("PHAM", "THI DAO")


def test_wrong_cccd_number_check_digit_is_reported() -> None:
    lines = list(cccd_mrz("001085014763", "850614", "M", "450614", "Nguyen Van An"))
    lines[0] = lines[0][:29] + str((int(lines[0][29]) + 1) % 10)
    assert "cccd_id_number" in Mrz.parse("".join(lines)).check_digit_errors


def test_dg1_round_trip_for_all_three_formats() -> None:
    for lines in (
        SPECIMEN_TD3,
        td2_mrz("I", "D", "T22000129", "640812", "F", "271031", "D", "MUSTERMANN", "ERIKA"),
        td1_mrz("ID", "D", "T22000129", "640812", "F", "271031", "D", "MUSTERMANN", "ERIKA"),
    ):
        dg1 = build_dg1(lines)
        assert dg1[0] == 0x61
        assert parse_dg1(dg1).lines == tuple(lines)


def test_dg1_with_non_ascii_or_wrong_tag_is_a_parse_error() -> None:
    good = build_dg1(SPECIMEN_TD3)
    with pytest.raises(ParseError):
        parse_dg1(good.replace(b"ERIKSSON", "ÉRIKSSO".encode()))
    with pytest.raises(ParseError, match="expected tag 61"):
        parse_dg1(b"\x62" + good[1:])


def test_repr_does_not_reveal_the_holder() -> None:
    text = repr(Mrz.parse("".join(SPECIMEN_TD3)))
    assert "ERIKSSON" not in text and "L898902C3" not in text and "740812" not in text


def test_filler_inside_the_document_number_is_kept_and_reported() -> None:
    # Found by fuzzing: a damaged character that reads as '<' must not break the check.
    lines = list(SPECIMEN_TD3)
    lines[1] = "L898<02C3" + lines[1][9:]
    mrz = Mrz.parse("".join(lines))
    assert mrz.document_number == "L898<02C3"
    assert "document_number" in mrz.check_digit_errors
