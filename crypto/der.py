"""DER definite-length encoding (X.690 §8.1, §10.1): the station's one encoder of tags and lengths.

The protocol code that builds data objects byte by byte (PACE's public key template, secure messaging,
the virtual chip's files) uses these; ASN.1 structures with a schema go through asn1crypto.
"""

from __future__ import annotations

MAX_LENGTH_BYTES = 4  # lengths up to 4 GiB; nothing on a chip or in a trust file comes near


def encode_length(length: int) -> bytes:
    """DER definite length: the short form below 128, else the fewest bytes (X.690 §10.1)."""
    if length < 0:
        raise ValueError("length is negative")
    if length < 0x80:
        return bytes([length])
    size = (length.bit_length() + 7) // 8
    if size > MAX_LENGTH_BYTES:
        raise ValueError(f"length {length} needs more than {MAX_LENGTH_BYTES} bytes")
    return bytes([0x80 | size]) + length.to_bytes(size, "big")


def encode_tag(tag: int) -> bytes:
    """A tag given as the integer of its bytes (0x7F49 for a two-byte tag)."""
    if tag < 0:
        raise ValueError("tags are not negative")
    return tag.to_bytes(max(1, (tag.bit_length() + 7) // 8), "big")


def encode_tlv(tag: int, value: bytes) -> bytes:
    """One data object with a DER definite length."""
    return encode_tag(tag) + encode_length(len(value)) + bytes(value)
