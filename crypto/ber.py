"""BER to DER for what signers actually send (X.690 §8.1.3.6, §8.7.3, §10.1, §10.2).

Some chips write EF.SOD with indefinite lengths (New Zealand, at five levels) or the content in chunks
of a constructed OCTET STRING. asn1crypto follows indefinite lengths only ten levels deep and refuses a
constructed OCTET STRING where CMS expects one. Signatures are computed over DER, so rewriting those two
forms as DER changes no signed byte; everything else (definite lengths, even non-minimal ones) is kept
exactly as it came.
"""

from __future__ import annotations

from cccd_station.crypto.der import encode_length

MAX_DEPTH = 64  # far deeper than any genuine structure; below that, elements are left as they are
_OCTET_STRING = 0x04
_CONSTRUCTED = 0x20


class BerError(ValueError):
    """BER that does not parse: truncated, overlong or nested without end."""


def _header(data: bytes, position: int, end: int) -> tuple[int, int, int, int | None]:
    """(tag byte, end of the tag, start of the content, content length or None for indefinite)."""
    if position + 2 > end:
        raise BerError("truncated element header")
    tag = data[position]
    position += 1
    if tag & 0x1F == 0x1F:  # high tag number: base-128 digits, the last without bit 8
        while position < end and data[position] & 0x80:
            position += 1
        position += 1
    tag_end = position
    if position >= end:
        raise BerError("truncated length")
    first = data[position]
    position += 1
    if first < 0x80:
        return tag, tag_end, position, first
    if first == 0x80:
        if not tag & _CONSTRUCTED:
            raise BerError("an indefinite length on a primitive element")
        return tag, tag_end, position, None
    count = first & 0x7F
    if count > 4 or position + count > end:
        raise BerError("an impossible length")
    return tag, tag_end, position + count, int.from_bytes(data[position : position + count], "big")


def _elements(data: bytes, position: int, end: int, depth: int, until_eoc: bool) -> tuple[list[bytes], int]:
    """The elements from `position`, DER-ified, up to `end` or to an end-of-contents marker."""
    out: list[bytes] = []
    while position < end:
        if until_eoc and data[position : position + 2] == b"\x00\x00":
            return out, position + 2
        element, position = _element(data, position, end, depth)
        out.append(element)
    if until_eoc:
        raise BerError("an indefinite length without its end-of-contents")
    return out, position


def _element(data: bytes, start: int, end: int, depth: int) -> tuple[bytes, int]:
    """The element at `start`, DER-ified, and the position after it."""
    tag, tag_end, content, size = _header(data, start, end)
    if size is None:
        if depth >= MAX_DEPTH:
            raise BerError("indefinite lengths nested too deeply")
        children, stop = _elements(data, content, end, depth + 1, until_eoc=True)
    else:
        stop = content + size
        if stop > end:
            raise BerError("an element longer than its container")
        if not tag & _CONSTRUCTED or depth >= MAX_DEPTH:
            return data[start:stop], stop
        children, _ = _elements(data, content, stop, depth + 1, until_eoc=False)
        if tag != _OCTET_STRING | _CONSTRUCTED and b"".join(children) == data[content:stop]:
            return data[start:stop], stop  # already DER as far as we rewrite: keep the very bytes
    if tag == _OCTET_STRING | _CONSTRUCTED:
        # A chunked OCTET STRING is its chunks' contents as one primitive string (X.690 §8.7.3.2).
        chunks = []
        for child in children:
            child_tag, _tag_end, child_content, _size = _header(child, 0, len(child))
            if child_tag != _OCTET_STRING:
                raise BerError("a constructed OCTET STRING holds something else")
            chunks.append(child[child_content:])
        joined = b"".join(chunks)
        return bytes([_OCTET_STRING]) + encode_length(len(joined)) + joined, stop
    joined = b"".join(children)
    return data[start:tag_end] + encode_length(len(joined)) + joined, stop


def to_der_lengths(data: bytes) -> bytes:
    """The element `data` starts with, its indefinite lengths made definite and its chunked OCTET
    STRINGs joined; bytes after it (file padding) are dropped. Raises BerError when it is not BER."""
    return _element(data, 0, len(data), 0)[0]
