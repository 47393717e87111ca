"""Merging DG1 and DG13 into the holder the clerk sees (reader.lds.holder)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from cccd_station.reader.lds import CardGeneration, HolderRecord, VnCitizenDetails, parse_dg1
from cccd_station.reader.lds.build import build_dg1, cccd_mrz, td1_mrz, td3_mrz
from cccd_station.reader.lds.mrz import Mrz
from cccd_station.reader.lds.text import strip_diacritics

DETAILS = VnCitizenDetails(
    id_number="001085014763",
    full_name="Nguyễn Văn An",
    date_of_birth=date(1985, 6, 14),
    sex="Nam",
    nationality="Việt Nam",
    date_of_expiry=date(2045, 6, 14),
)


def _mrz(id_number: str = "001085014763", name: str = "Nguyen Van An", expiry: str | None = "450614") -> Mrz:
    return parse_dg1(build_dg1(cccd_mrz(id_number, "850614", "M", expiry, name)))


def test_strip_diacritics_handles_vietnamese_letters() -> None:
    assert strip_diacritics("Đặng Thị Ngọc Ánh") == "Dang Thi Ngoc Anh"
    assert strip_diacritics("đường Hữu Nghị") == "duong Huu Nghi"


def test_matching_card_has_no_disagreements_and_prefers_dg13() -> None:
    record = HolderRecord.merge(_mrz(), DETAILS)
    assert record.disagreements == ()
    assert record.full_name == "Nguyễn Văn An"
    assert record.id_number == "001085014763" and record.document_number == "085014763"
    assert record.sex == "M" and record.date_of_expiry == date(2045, 6, 14)


def test_each_mismatch_is_named() -> None:
    assert HolderRecord.merge(_mrz(id_number="001085014764"), DETAILS).disagreements == ("id_number",)
    assert HolderRecord.merge(_mrz(name="Nguyen Van Anh"), DETAILS).disagreements == ("name",)
    other_birth = replace(DETAILS, date_of_birth=date(1985, 6, 15))
    assert HolderRecord.merge(_mrz(), other_birth).disagreements == ("date_of_birth",)
    assert HolderRecord.merge(_mrz(expiry="450615"), DETAILS).disagreements == ("date_of_expiry",)
    assert HolderRecord.merge(_mrz(), replace(DETAILS, sex="Nữ")).disagreements == ("sex",)


def test_no_expiry_must_agree_between_dg1_and_dg13() -> None:
    no_expiry = replace(DETAILS, date_of_expiry=None, no_expiry=True)
    record = HolderRecord.merge(_mrz(expiry=None), no_expiry)
    assert record.disagreements == () and record.no_expiry and record.date_of_expiry is None
    assert HolderRecord.merge(_mrz(expiry="450614"), no_expiry).disagreements == ("date_of_expiry",)
    assert HolderRecord.merge(_mrz(expiry=None), DETAILS).disagreements == ("date_of_expiry",)


def test_long_name_cut_short_in_the_mrz_still_matches() -> None:
    full_name = "Tôn Nữ Hoàng Thị Phương Thảo Nguyên Khánh"
    mrz = _mrz(name=full_name)
    assert not mrz.lines[2].endswith("<<")
    record = HolderRecord.merge(mrz, replace(DETAILS, full_name=full_name))
    assert "name" not in record.disagreements
    other = HolderRecord.merge(mrz, replace(DETAILS, full_name="Tôn Nữ Hoàng Thị Phương Thanh"))
    assert "name" in other.disagreements


def test_either_side_may_be_missing() -> None:
    only_mrz = HolderRecord.merge(_mrz(), None)
    assert only_mrz.full_name == "NGUYEN VAN AN" and only_mrz.id_number == "001085014763"
    only_dg13 = HolderRecord.merge(None, DETAILS)
    assert only_dg13.full_name == "Nguyễn Văn An" and only_dg13.document_number is None
    assert only_mrz.disagreements == only_dg13.disagreements == ()
    passport = parse_dg1(
        build_dg1(td3_mrz("P", "UTO", "X94K27L05", "880423", "F", "310830", "UTO", "LINDQVIST", "MAJA"))
    )
    record = HolderRecord.merge(passport, None)
    assert (
        record.id_number == "X94K27L05"
        and record.date_of_expiry == date(2031, 8, 30)
        and not record.no_expiry
    )


def test_repr_hides_personal_data() -> None:
    text = repr(HolderRecord.merge(_mrz(), DETAILS))
    assert "001085014763" not in text and "Nguy" not in text and "NGUYEN" not in text


def test_generation_comes_from_dg13_and_the_mrz_can_only_rule_it_out() -> None:
    """Both generations write "ID" and "VNM" in the MRZ; only DG13's date of issue tells them apart."""
    old_card = replace(DETAILS, date_of_issue=date(2024, 6, 30))
    new_card = replace(DETAILS, date_of_issue=date(2024, 7, 1))
    assert HolderRecord.merge(_mrz(), old_card).generation is CardGeneration.CCCD_2021
    assert HolderRecord.merge(_mrz(), new_card).generation is CardGeneration.CAN_CUOC_2024
    assert HolderRecord.merge(None, new_card).generation is CardGeneration.CAN_CUOC_2024
    assert HolderRecord.merge(_mrz(), DETAILS).generation is None  # no date of issue
    assert HolderRecord.merge(_mrz(), None).generation is None
    passport = parse_dg1(
        build_dg1(td3_mrz("P", "VNM", "C1234567", "850614", "M", "350614", "VNM", "NGUYEN", "VAN AN"))
    )
    assert HolderRecord.merge(passport, new_card).generation is None  # not an identity card
    foreign = parse_dg1(
        build_dg1(td1_mrz("ID", "UTO", "L898902C3", "850614", "M", "350614", "UTO", "A", "B"))
    )
    assert HolderRecord.merge(foreign, new_card).generation is None
