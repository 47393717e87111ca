"""The fictitious personas and their drawn portraits (reader.chip.personas, reader.chip.portrait)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from PIL import Image

from cccd_station.reader.chip.personas import PersonaError, load_persona, persona_names
from cccd_station.reader.chip.portrait import PortraitStyle, draw_portrait, encode_portrait
from cccd_station.reader.lds import (
    CardGeneration,
    HolderRecord,
    parse_dg1,
    parse_dg2,
    parse_dg11,
    parse_dg12,
    parse_dg13,
)
from cccd_station.reader.lds.mrz import check_digit


def test_there_are_cccd_and_passport_personas() -> None:
    personas = [load_persona(name) for name in persona_names()]
    kinds = [persona.kind for persona in personas]
    assert kinds.count("cccd") >= 3 and kinds.count("passport") >= 1
    assert len({persona.can for persona in personas}) == len(personas)


@pytest.mark.parametrize("name", persona_names())
def test_every_persona_builds_files_that_parse_and_agree(name: str) -> None:
    persona = load_persona(name)
    groups = persona.data_groups()
    mrz = parse_dg1(groups[1])
    assert mrz.check_digit_errors == ()
    face = parse_dg2(groups[2])
    assert face.format == persona.portrait_format and (face.width, face.height) == (240, 320)
    vn = parse_dg13(groups[13]) if 13 in groups else None
    assert vn == persona.vn_details
    assert HolderRecord.merge(mrz, vn).disagreements == ()
    if persona.kind == "passport":
        assert parse_dg11(groups[11]) == persona.dg11 and parse_dg12(groups[12]) == persona.dg12
        assert mrz.format == "TD3"


@pytest.mark.parametrize("name", [n for n in persona_names() if load_persona(n).kind == "cccd"])
def test_cccd_id_numbers_are_plausible(name: str) -> None:
    persona = load_persona(name)
    details = persona.vn_details
    assert details is not None and details.id_number is not None and details.date_of_birth is not None
    number = details.id_number
    assert len(number) == 12 and number.isdigit()
    assert 1 <= int(number[:3]) <= 96
    century_digit = int(number[3])
    assert century_digit // 2 == (details.date_of_birth.year - 1900) // 100
    assert century_digit % 2 == (0 if details.sex_code == "M" else 1)
    assert number[4:6] == f"{details.date_of_birth.year % 100:02d}"
    assert persona.mrz.cccd_id_number == number
    assert persona.mrz.lines[0][29] == check_digit(number)


def test_personas_cover_the_cccd_edge_cases() -> None:
    details = [load_persona(n).vn_details for n in persona_names() if load_persona(n).kind == "cccd"]
    assert any(d and d.no_expiry and load_persona_mrz_has_991231(d.id_number) for d in details)
    assert any(d and d.spouse_name == "" for d in details)
    assert any(
        d and all(len((text or "").encode()) > 200 for text in (d.place_of_origin, d.place_of_residence))
        for d in details
    )
    assert all(
        d and d.full_name and d.full_name != d.full_name.encode("ascii", "ignore").decode() for d in details
    )


def test_personas_hold_both_card_generations() -> None:
    """A card's generation follows its date of issue; the demo shows both (docs/dg13.md)."""
    cccd = [load_persona(n) for n in persona_names() if load_persona(n).kind == "cccd"]
    by_generation = {
        persona.key: HolderRecord.merge(persona.mrz, persona.vn_details).generation for persona in cccd
    }
    assert by_generation["vo-thi-thanh-huong"] is CardGeneration.CAN_CUOC_2024
    assert by_generation["nguyen-van-an"] is CardGeneration.CCCD_2021
    assert by_generation["le-hoang-phuc"] is CardGeneration.CCCD_2021  # 10/05/2024: before the new law
    # Every CCCD persona keeps the chips' uninterpreted field 16, written and read back raw.
    assert all(p.vn_details and [raw.number for raw in p.vn_details.extra_fields] == [16] for p in cccd)


def load_persona_mrz_has_991231(id_number: str | None) -> bool:
    for name in persona_names():
        persona = load_persona(name)
        if persona.id_number == id_number:
            return persona.mrz.expiry_raw == "991231"
    return False


def test_unknown_persona_is_a_clear_error() -> None:
    with pytest.raises(PersonaError, match="no persona"):
        load_persona("nobody")


def test_persona_repr_hides_personal_data() -> None:
    persona = load_persona("nguyen-van-an")
    assert "001085014763" not in repr(persona)


def test_portrait_is_deterministic_and_differs_between_people() -> None:
    style = PortraitStyle(seed=42, hair_style="long")
    first, second = draw_portrait(style), draw_portrait(style)
    assert first.tobytes() == second.tobytes()
    assert draw_portrait(PortraitStyle(seed=43, hair_style="long")).tobytes() != first.tobytes()
    assert first.size == (240, 320)


def test_portrait_face_is_drawn_over_the_background() -> None:
    style = PortraitStyle(seed=1, skin="#c08050", background="#2040f0")
    image = draw_portrait(style)
    centre = image.getpixel((120, 150))
    corner = image.getpixel((3, 3))
    assert isinstance(centre, tuple) and isinstance(corner, tuple)
    assert abs(centre[0] - 0xC0) < 30 and abs(corner[2] - 0xF0) < 30


@pytest.mark.parametrize(
    ("fmt", "magic"), [("jpeg", b"\xff\xd8"), ("jp2", b"\x00\x00\x00\x0cjP  "), ("j2k", b"\xff\x4f\xff\x51")]
)
def test_portrait_encodings_are_card_sized(fmt: str, magic: bytes) -> None:
    data = encode_portrait(draw_portrait(PortraitStyle(seed=11)), fmt)
    assert data.startswith(magic)
    assert 8_000 <= len(data) <= 16_000
    assert Image.open(io.BytesIO(data)).size == (240, 320)


def test_portrait_refuses_unknown_format() -> None:
    with pytest.raises(ValueError, match="format"):
        encode_portrait(draw_portrait(1), "png")


def test_passport_persona_dates() -> None:
    persona = load_persona("lindqvist-maja")
    assert persona.mrz.date_of_birth == date(1988, 4, 23) and persona.mrz.issuing_state == "UTO"
    assert persona.dg11 is not None and persona.dg11.other_names == ("BERG<<MAJA<SOFIA",)
