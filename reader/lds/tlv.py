"""Strict, bounded BER-TLV (ISO/IEC 7816-4 §5.2, ICAO 9303-10 §4.4 and X.690 §8.1).

Chip files are read as untrusted input: every length is checked against the bytes actually
present before anything is sliced, nesting is limited, and any fault raises
:class:`reader.errors.ParseError` naming what was wrong and where.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Encoding is the one DER encoder of crypto/der.py, offered here beside the parsing for the LDS code.
from cccd_station.crypto.der import encode_length as encode_length
from cccd_station.crypto.der import encode_tag as encode_tag
from cccd_station.crypto.der import encode_tlv as encode_tlv
from cccd_station.reader.errors import ParseError

MAX_DEPTH = 32
MAX_TAG_BYTES = 4
MAX_LENGTH_BYTES = 4
_CONSTRUCTED_BIT = 0x20
_INDEFINITE = 0x80
_END_OF_CONTENTS = b"\x00\x00"


class IncompleteHeaderError(ParseError):
    """The bytes end inside a tag or length field; ``needed`` more bytes would help."""

    def __init__(self, message: str, needed: int) -> None:
        super().__init__(message)
        self.needed = needed


@dataclass(frozen=True)
class Tlv:
    """One data object: its tag as an int (``0x5F1F``) and its value bytes."""

    tag: int
    value: bytes
    depth: int = field(default=0, compare=False, repr=False)

    @property
    def constructed(self) -> bool:
        return bool(_first_tag_byte(self.tag) & _CONSTRUCTED_BIT)

    def children(self) -> list[Tlv]:
        """The data objects inside a constructed value (X.690 §8.1.1)."""
        if not self.constructed:
            raise ParseError(f"tag {self.tag:X} is primitive and has no inner data objects")
        return _parse_sequence(self.value, self.depth + 1)

    def children_encoded(self) -> list[tuple[Tlv, bytes]]:
        """Each inner data object with its exact encoding as received (for signed or hashed
        structures, where re-encoding could change a non-minimal length)."""
        if not self.constructed:
            raise ParseError(f"tag {self.tag:X} is primitive and has no inner data objects")
        items: list[tuple[Tlv, bytes]] = []
        offset = 0
        while offset < len(self.value):
            item, end = _parse_one(self.value, offset, self.depth + 1)
            items.append((item, self.value[offset:end]))
            offset = end
        return items

    def find(self, tag: int) -> Tlv | None:
        """The first direct child with ``tag``, or None."""
        return next((child for child in self.children() if child.tag == tag), None)

    def require(self, tag: int) -> Tlv:
        """The first direct child with ``tag``; ParseError when it is missing."""
        found = self.find(tag)
        if found is None:
            raise ParseError(f"tag {tag:X} missing inside tag {self.tag:X}")
        return found

    def expect(self, tag: int) -> Tlv:
        """Self when the tag matches; ParseError otherwise."""
        if self.tag != tag:
            raise ParseError(f"expected tag {tag:X}, found {self.tag:X}")
        return self

    def encode(self) -> bytes:
        return encode_tlv(self.tag, self.value)


def _first_tag_byte(tag: int) -> int:
    if tag < 0:
        raise ValueError("tags are not negative")
    return tag.to_bytes(max(1, (tag.bit_length() + 7) // 8), "big")[0]


def _read_tag(data: bytes, offset: int) -> tuple[int, int]:
    if offset >= len(data):
        raise IncompleteHeaderError(f"data ends before the tag at offset {offset}", 1)
    first = data[offset]
    end = offset + 1
    if first & 0x1F == 0x1F:
        while True:
            if end >= len(data):
                raise IncompleteHeaderError(f"data ends inside the tag at offset {offset}", 1)
            if end - offset >= MAX_TAG_BYTES:
                raise ParseError(f"tag at offset {offset} is longer than {MAX_TAG_BYTES} bytes")
            byte = data[end]
            end += 1
            if not byte & 0x80:
                break
    return int.from_bytes(data[offset:end], "big"), end


def _read_length(data: bytes, offset: int) -> tuple[int | None, int]:
    """(value length or None for indefinite, offset after the length field)."""
    if offset >= len(data):
        raise IncompleteHeaderError(f"data ends before the length at offset {offset}", 1)
    first = data[offset]
    if first < 0x80:
        return first, offset + 1
    if first == _INDEFINITE:
        return None, offset + 1
    count = first & 0x7F
    if count > MAX_LENGTH_BYTES:
        raise ParseError(f"length at offset {offset} uses {count} bytes (at most {MAX_LENGTH_BYTES})")
    end = offset + 1 + count
    if end > len(data):
        raise IncompleteHeaderError(f"data ends inside the length at offset {offset}", end - len(data))
    return int.from_bytes(data[offset + 1 : end], "big"), end


def _parse_one(data: bytes, offset: int, depth: int) -> tuple[Tlv, int]:
    if depth > MAX_DEPTH:
        raise ParseError(f"data objects nested deeper than {MAX_DEPTH} levels")
    tag, after_tag = _read_tag(data, offset)
    length, start = _read_length(data, after_tag)
    if length is None:
        if not _first_tag_byte(tag) & _CONSTRUCTED_BIT:
            raise ParseError(f"primitive tag {tag:X} at offset {offset} has an indefinite length")
        end = _find_end_of_contents(data, start, depth)
        return Tlv(tag, data[start:end], depth), end + len(_END_OF_CONTENTS)
    end = start + length
    if end > len(data):
        raise ParseError(
            f"tag {tag:X} at offset {offset} claims {length} bytes, only {len(data) - start} remain"
        )
    return Tlv(tag, data[start:end], depth), end


def _find_end_of_contents(data: bytes, offset: int, depth: int) -> int:
    """Offset of the 0000 that closes an indefinite-length value starting at ``offset``."""
    while True:
        if data[offset : offset + 2] == _END_OF_CONTENTS:
            return offset
        if offset >= len(data):
            raise ParseError("indefinite-length value has no end-of-contents marker")
        _, offset = _parse_one(data, offset, depth + 1)


def _parse_sequence(data: bytes, depth: int) -> list[Tlv]:
    items: list[Tlv] = []
    offset = 0
    while offset < len(data):
        item, offset = _parse_one(data, offset, depth)
        items.append(item)
    return items


def parse_one(data: bytes, offset: int = 0) -> tuple[Tlv, int]:
    """Parse the data object at ``offset``; returns it and the offset just after it."""
    if not 0 <= offset <= len(data):
        raise ParseError(f"offset {offset} outside {len(data)} bytes of data")
    return _parse_one(bytes(data), offset, 0)


def parse_all(data: bytes) -> list[Tlv]:
    """Parse a concatenation of data objects that must fill ``data`` exactly."""
    return _parse_sequence(bytes(data), 0)


def header_length(first_bytes: bytes) -> tuple[int, int]:
    """(header length, value length) of the data object at the start of a file.

    The file reader calls this with the first 4-6 bytes to learn the file size before
    reading the rest. Raises :class:`IncompleteHeaderError` (a ParseError) when the bytes
    end inside the header, ParseError when the header is malformed or indefinite.
    """
    data = bytes(first_bytes)
    _, after_tag = _read_tag(data, 0)
    length, start = _read_length(data, after_tag)
    if length is None:
        raise ParseError("file starts with an indefinite length; its size is unknown")
    return start, length
