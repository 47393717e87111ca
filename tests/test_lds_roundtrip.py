"""Property tests: whatever the builders write, the parsers read back unchanged."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from cccd_station.reader.lds import RawField, VnCitizenDetails, parse_dg1, parse_dg13
from cccd_station.reader.lds.build import build_dg1, build_dg13, cccd_mrz, td1_mrz, td2_mrz, td3_mrz
from cccd_station.reader.lds.dg13 import KNOWN_FIELDS, MAX_FIELD_NUMBER

ROUND_TRIP = settings(max_examples=int(os.environ.get("LDS_FUZZ_EXAMPLES", "150")), deadline=1000)
_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_words = st.lists(st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=8), min_size=1, max_size=3)
_dates = st.dates(min_value=date(1930, 1, 1), max_value=date(2099, 12, 31))


@ROUND_TRIP
@given(
    kind=st.sampled_from(["TD1", "TD2", "TD3"]),
    number=st.text(_ALNUM, min_size=1, max_size=9),
    extension=st.text(_ALNUM, max_size=5),
    birth=st.dates(min_value=date(1930, 1, 1), max_value=date(2024, 12, 31)),
    expiry=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
    sex=st.sampled_from(["M", "F", "<"]),
    surname=_words,
    given_names=_words,
)
def test_mrz_builders_and_parser_agree(
    kind: str,
    number: str,
    extension: str,
    birth: date,
    expiry: date,
    sex: str,
    surname: list[str],
    given_names: list[str],
) -> None:
    # Long (TD1/TD2) numbers must not end in a filler; TD3 has no extension.
    document_number = number + extension if kind != "TD3" and len(number) == 9 else number
    args = (
        "P" if kind == "TD3" else "I",
        "UTO",
        document_number,
        birth.strftime("%y%m%d"),
        sex,
        expiry.strftime("%y%m%d"),
        "UTO",
        " ".join(surname),
        " ".join(given_names),
    )
    builders: dict[str, Callable[..., tuple[str, ...]]] = {"TD1": td1_mrz, "TD2": td2_mrz, "TD3": td3_mrz}
    builder = builders[kind]
    mrz = parse_dg1(build_dg1(builder(*args)))
    assert mrz.format == kind
    assert mrz.check_digit_errors == ()
    assert mrz.document_number == document_number
    assert mrz.date_of_birth == birth
    assert mrz.date_of_expiry == expiry
    assert mrz.sex == sex
    name_room = {"TD1": 30, "TD2": 31, "TD3": 39}[kind]
    if len("<".join(surname)) + 2 + len("<".join(given_names)) <= name_room:
        assert (mrz.surname, mrz.given_names) == (" ".join(surname), " ".join(given_names))


@ROUND_TRIP
@given(
    digits=st.text("0123456789", min_size=12, max_size=12),
    birth=st.dates(min_value=date(1930, 1, 1), max_value=date(2024, 12, 31)),
    expiry=st.one_of(st.none(), st.dates(min_value=date(2025, 1, 1), max_value=date(2098, 12, 31))),
    name=st.sampled_from(["Nguyễn Văn An", "Đặng Thị Ngọc Ánh", "Bùi Quang Hưng", "Lý Thị Ư"]),
)
def test_cccd_mrz_round_trip(digits: str, birth: date, expiry: date | None, name: str) -> None:
    lines = cccd_mrz(
        digits, birth.strftime("%y%m%d"), "F", expiry.strftime("%y%m%d") if expiry else None, name
    )
    mrz = parse_dg1(build_dg1(lines))
    assert mrz.check_digit_errors == ()
    assert mrz.cccd_id_number == digits
    assert mrz.has_no_expiry == (expiry is None)
    assert mrz.date_of_expiry == (expiry or date(2099, 12, 31))


_text = st.text(st.characters(codec="utf-8"), max_size=300)
_optional_text = st.one_of(st.none(), _text)
_optional_date = st.one_of(st.none(), _dates)
_raw_fields = st.lists(
    st.builds(
        RawField,
        number=st.integers(0, MAX_FIELD_NUMBER).filter(lambda number: number not in KNOWN_FIELDS),
        text=_text,
    ),
    max_size=4,
).map(lambda raw: tuple(sorted(raw, key=lambda field: field.number)))  # the builder writes by number


@ROUND_TRIP
@given(
    st.builds(
        VnCitizenDetails,
        id_number=_optional_text,
        full_name=_optional_text,
        date_of_birth=_optional_date,
        sex=st.one_of(st.none(), st.sampled_from(["Nam", "Nữ"])),
        place_of_residence=_optional_text,
        identifying_marks=_optional_text,
        date_of_issue=_optional_date,
        date_of_expiry=_optional_date,
        father_name=st.one_of(st.none(), _text.filter(bool)),
        mother_name=st.one_of(st.none(), _text.filter(bool)),
        spouse_name=_optional_text,
        extra_fields=_raw_fields,
    ).filter(lambda details: any(value not in (None, False, ()) for value in vars(details).values()))
)
def test_dg13_builder_and_parser_agree(details: VnCitizenDetails) -> None:
    parsed = parse_dg13(build_dg13(details))
    assert parsed == details
