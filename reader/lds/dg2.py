"""DG2, the encoded face (ICAO 9303-10 §4.7.2, ISO/IEC 19794-5:2005 §5, ISO/IEC 39794-5)."""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass

from PIL import Image

from cccd_station.reader.errors import ParseError
from cccd_station.reader.lds.text import redacted_repr
from cccd_station.reader.lds.tlv import Tlv, parse_one

DG2_TAG = 0x75
BIOMETRIC_GROUP_TAG = 0x7F61
BIOMETRIC_TEMPLATE_TAG = 0x7F60
BIOMETRIC_DATA_TAG = 0x5F2E
BIOMETRIC_DATA_CONSTRUCTED_TAG = 0x7F2E  # ISO/IEC 39794-5 records
FACE_RECORD_MAGIC = b"FAC\x00"

MAX_IMAGE_BYTES = 2_000_000
MAX_PIXELS = 4_000_000
MAX_SIDE = 4096
_MAX_SEARCH_DEPTH = 8

JPEG_MAGIC = b"\xff\xd8"
JP2_MAGIC = b"\x00\x00\x00\x0cjP  \r\n\x87\n"
J2K_MAGIC = b"\xff\x4f\xff\x51"

# ISO/IEC 19794-5 §5.4-§5.7: sizes of the record header, facial information, feature point
# and image information blocks.
_GENERAL_HEADER = 14
_FACIAL_INFORMATION = 20
_FEATURE_POINT = 8
_IMAGE_INFORMATION = 12


def image_format(data: bytes) -> str | None:
    """'jpeg', 'jp2' (JPEG 2000 file) or 'j2k' (raw codestream) from the first bytes."""
    if data.startswith(JPEG_MAGIC):
        return "jpeg"
    if data.startswith(JP2_MAGIC):
        return "jp2"
    if data.startswith(J2K_MAGIC):
        return "j2k"
    return None


@dataclass(frozen=True, repr=False)
class FaceImage:
    """The holder's portrait as stored on the chip."""

    def __repr__(self) -> str:
        return redacted_repr(self, ("format", "width", "height"))

    format: str  # "jpeg" | "jp2" | "j2k"
    data: bytes
    width: int
    height: int

    @classmethod
    def from_image_bytes(cls, data: bytes) -> FaceImage:
        """Identify and decode one image (bounded in bytes and pixels) to learn its size."""
        kind = image_format(data)
        if kind is None:
            raise ParseError("portrait is neither JPEG nor JPEG 2000")
        if len(data) > MAX_IMAGE_BYTES:
            raise ParseError(f"portrait of {len(data)} bytes exceeds {MAX_IMAGE_BYTES}")
        image = _decode(data)
        return cls(kind, bytes(data), image.width, image.height)

    def to_image(self) -> Image.Image:
        return _decode(self.data)

    def to_png(self) -> bytes:
        """PNG of the portrait (Qt cannot show JPEG 2000 on its own)."""
        image = self.to_image()
        if image.mode not in ("RGB", "RGBA", "L"):
            image = image.convert("RGB")
        output = io.BytesIO()
        image.save(output, "PNG")
        return output.getvalue()


def _decode(data: bytes) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data), formats=["JPEG", "JPEG2000"])
        # The header gives the size: refuse a decompression bomb before decoding any pixel.
        if image.width > MAX_SIDE or image.height > MAX_SIDE or image.width * image.height > MAX_PIXELS:
            raise ParseError(f"portrait of {image.width}x{image.height} pixels is too large")
        image.load()
    except ParseError:
        raise
    # Pillow reports broken images with many exception types (OSError, SyntaxError, ValueError,
    # struct.error, DecompressionBomb*): all of them mean the chip sent a bad portrait.
    except Exception as error:
        raise ParseError(f"portrait cannot be decoded: {error}") from error
    if image.width < 1 or image.height < 1:
        raise ParseError("portrait has no pixels")
    return image


def _face_record_image(record: bytes) -> bytes:
    """Image data of the first face in an ISO/IEC 19794-5 record."""
    if len(record) < _GENERAL_HEADER + _FACIAL_INFORMATION + _IMAGE_INFORMATION:
        raise ParseError("face record shorter than its fixed headers")
    record_length, face_count = struct.unpack(">IH", record[8:14])
    if face_count < 1:
        raise ParseError("face record holds no face")
    if not _GENERAL_HEADER < record_length <= len(record):
        raise ParseError(f"face record length {record_length} does not fit {len(record)} bytes")
    block_start = _GENERAL_HEADER
    block_length, feature_points = struct.unpack(">IH", record[block_start : block_start + 6])
    image_start = block_start + _FACIAL_INFORMATION + feature_points * _FEATURE_POINT + _IMAGE_INFORMATION
    block_end = block_start + block_length
    if not image_start < block_end <= record_length:
        raise ParseError("facial record block length does not fit the record")
    return record[image_start:block_end]


def _find_image(tlv: Tlv, depth: int = 0) -> bytes | None:
    """39794-5 records are nested data objects: take the first primitive that holds an image."""
    if depth > _MAX_SEARCH_DEPTH:
        return None
    if not tlv.constructed:
        return tlv.value if image_format(tlv.value) else None
    for child in tlv.children():
        found = _find_image(child, depth + 1)
        if found is not None:
            return found
    return None


def _template_image(template: Tlv) -> bytes:
    data = template.find(BIOMETRIC_DATA_TAG)
    if data is not None:
        if data.value.startswith(FACE_RECORD_MAGIC):
            return _face_record_image(data.value)
        if image_format(data.value):
            return data.value
        raise ParseError("biometric data is neither a 19794-5 face record nor an image")
    data = template.find(BIOMETRIC_DATA_CONSTRUCTED_TAG)
    if data is not None:
        image = _find_image(data)
        if image is not None:
            return image
    raise ParseError("biometric template holds no face image")


def parse_dg2(data: bytes) -> FaceImage:
    """DG2 (ICAO 9303-10 §4.7.2): 75 / 7F61 / 7F60 / 5F2E or 7F2E; returns the first face."""
    outer, _ = parse_one(data)
    group = outer.expect(DG2_TAG).require(BIOMETRIC_GROUP_TAG)
    templates = [child for child in group.children() if child.tag == BIOMETRIC_TEMPLATE_TAG]
    if not templates:
        raise ParseError("DG2 holds no biometric information template")
    return FaceImage.from_image_bytes(_template_image(templates[0]))
