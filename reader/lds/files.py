"""The elementary files of the LDS 1.7 eMRTD application and the MF (ICAO 9303-10 §3.11, §4.6)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LdsFile:
    """One elementary file: its name, file identifier, short file identifier and outer tag."""

    name: str
    fid: int
    sfi: int
    tag: int | None  # None: the file content is not wrapped in one application tag
    in_master_file: bool = False
    dg_number: int | None = None

    @property
    def fid_bytes(self) -> bytes:
        return self.fid.to_bytes(2, "big")


EF_COM = LdsFile("EF.COM", 0x011E, 0x1E, 0x60)
EF_SOD = LdsFile("EF.SOD", 0x011D, 0x1D, 0x77)
EF_CARD_ACCESS = LdsFile("EF.CardAccess", 0x011C, 0x1C, None, in_master_file=True)
EF_CARD_SECURITY = LdsFile("EF.CardSecurity", 0x011D, 0x1D, None, in_master_file=True)
EF_ATR_INFO = LdsFile("EF.ATR/INFO", 0x2F01, 0x01, None, in_master_file=True)
EF_DIR = LdsFile("EF.DIR", 0x2F00, 0x1E, None, in_master_file=True)

# DG1 0101/01/61 ... DG16 0110/10/70 (ICAO 9303-10 Table 34).
_DG_TAGS = (0x61, 0x75, 0x63, 0x76, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6A, 0x6B, 0x6C, 0x6D, 0x6E, 0x6F, 0x70)
DATA_GROUPS: dict[int, LdsFile] = {
    number: LdsFile(f"DG{number}", 0x0100 + number, number, tag, dg_number=number)
    for number, tag in enumerate(_DG_TAGS, start=1)
}
APPLICATION_FILES: tuple[LdsFile, ...] = (EF_COM, EF_SOD, *DATA_GROUPS.values())
MASTER_FILE_FILES: tuple[LdsFile, ...] = (EF_CARD_ACCESS, EF_CARD_SECURITY, EF_ATR_INFO, EF_DIR)

# The eMRTD application identifier (ICAO 9303-10 §3.10.1).
EMRTD_AID = bytes.fromhex("A0000002471001")


def data_group(number: int) -> LdsFile:
    try:
        return DATA_GROUPS[number]
    except KeyError:
        raise ValueError(f"no data group {number}; ICAO defines DG1 to DG16") from None


def data_group_by_tag(tag: int) -> LdsFile | None:
    """The data group whose outer tag is ``tag`` (EF.COM's tag list names them by tag)."""
    return next((dg for dg in DATA_GROUPS.values() if dg.tag == tag), None)
