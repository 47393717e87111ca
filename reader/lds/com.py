"""EF.COM (ICAO 9303-10 §4.6.1): LDS and Unicode versions and the list of data groups present."""

from __future__ import annotations

from dataclasses import dataclass

from cccd_station.reader.errors import ParseError
from cccd_station.reader.lds.files import data_group_by_tag
from cccd_station.reader.lds.tlv import Tlv, parse_one

COM_TAG = 0x60
LDS_VERSION_TAG = 0x5F01
UNICODE_VERSION_TAG = 0x5F36
TAG_LIST_TAG = 0x5C


@dataclass(frozen=True)
class EfCom:
    lds_version: str  # "0107" = LDS 1.7
    unicode_version: str  # "040000" = Unicode 4.0.0
    data_group_tags: tuple[int, ...]

    @classmethod
    def from_bytes(cls, data: bytes) -> EfCom:
        """Parse EF.COM, ICAO 9303-10 §4.6.1."""
        outer, _ = parse_one(data)
        com = outer.expect(COM_TAG)
        tag_list = com.require(TAG_LIST_TAG).value
        return cls(
            _ascii(com.find(LDS_VERSION_TAG)),
            _ascii(com.find(UNICODE_VERSION_TAG)),
            tuple(_tags(tag_list)),
        )

    @property
    def data_groups(self) -> tuple[int, ...]:
        """Numbers of the data groups the chip lists (tags it lists that are not DGs are skipped)."""
        numbers = []
        for tag in self.data_group_tags:
            dg = data_group_by_tag(tag)
            if dg is not None and dg.dg_number is not None:
                numbers.append(dg.dg_number)
        return tuple(numbers)


def _ascii(tlv: Tlv | None) -> str:
    if tlv is None:
        return ""
    try:
        return tlv.value.decode("ascii")
    except UnicodeDecodeError as error:
        raise ParseError(f"EF.COM version in tag {tlv.tag:X} is not ASCII") from error


def _tags(tag_list: bytes) -> list[int]:
    """Split the tag list: one-byte tags, or two bytes after a 5F/7F prefix."""
    tags = []
    index = 0
    while index < len(tag_list):
        first = tag_list[index]
        if first & 0x1F == 0x1F:
            if index + 1 >= len(tag_list):
                raise ParseError("EF.COM tag list ends inside a two-byte tag")
            tags.append(int.from_bytes(tag_list[index : index + 2], "big"))
            index += 2
        else:
            tags.append(first)
            index += 1
    return tags


def parse_com(data: bytes) -> EfCom:
    return EfCom.from_bytes(data)
