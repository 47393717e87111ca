"""The chip's files and the commands that reach them: SELECT and READ BINARY (ISO/IEC 7816-4 §7.1, §11.2).

Two directories, as on an eMRTD (ICAO 9303-10 §3.11): the master file (MF 3F00) holding EF.CardAccess
and EF.ATR/INFO, readable without authentication, and the eMRTD application (AID A0000002471001)
holding EF.COM, the data groups and EF.SOD, readable only under secure messaging.

Commands are answered with the status words real chips give; how many bytes an answer may carry
(the reader's Le, the link's limit, the secure-messaging overhead) is the caller's ``fit`` function.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum

from cccd_station.reader.apdu import SW, CommandApdu, ResponseApdu
from cccd_station.reader.errors import ParseError
from cccd_station.reader.lds.files import EMRTD_AID
from cccd_station.reader.lds.tlv import encode_tlv, parse_one

INS_SELECT = 0xA4
INS_READ_BINARY = 0xB0
INS_READ_BINARY_ODD = 0xB1

MF_FID = 0x3F00
SELECT_MF_OR_EF = 0x00
SELECT_EF_UNDER_DF = 0x02
SELECT_BY_NAME = 0x04
SFI_FLAG = 0x80
MAX_EVEN_OFFSET = 0x7FFF
TAG_OFFSET = 0x54
TAG_DISCRETIONARY = 0x53

# fit(wanted_bytes) -> the most plain bytes the response may carry (see VirtualChip._fit).
Fit = Callable[[int], int]


class Directory(Enum):
    MASTER_FILE = "MF"
    APPLICATION = "eMRTD"


@dataclass(frozen=True)
class ElementaryFile:
    """A transparent EF: file identifier, short file identifier, content."""

    fid: int
    sfi: int
    content: bytes


@dataclass(frozen=True)
class FileSystem:
    """The files of one personalised chip, by directory and file identifier."""

    master_file: Mapping[int, ElementaryFile]
    application: Mapping[int, ElementaryFile]

    def directory(self, which: Directory) -> Mapping[int, ElementaryFile]:
        return self.master_file if which is Directory.MASTER_FILE else self.application

    def by_sfi(self, which: Directory, sfi: int) -> ElementaryFile | None:
        return next((ef for ef in self.directory(which).values() if ef.sfi == sfi), None)


class FileAccess:
    """One session's view of the files: the current directory and file, and the two commands.

    ``authenticated`` says whether the application's files may be read (a secure-messaging session
    is running); the MF's files are free to read.
    """

    def __init__(self, files: FileSystem) -> None:
        self.files = files
        self.current_directory = Directory.MASTER_FILE  # implicitly selected at reset
        self.current_file: ElementaryFile | None = None

    def select(self, cmd: CommandApdu) -> ResponseApdu:
        """SELECT: the MF, the eMRTD application by name, or an EF of the current directory."""
        if cmd.p2 & 0xF3:  # only "first or only occurrence", with or without FCI
            return ResponseApdu(b"", SW.INCORRECT_P1P2)
        if cmd.p1 == SELECT_BY_NAME:
            if cmd.data != EMRTD_AID:
                return ResponseApdu(b"", SW.FILE_NOT_FOUND)
            self.current_directory, self.current_file = Directory.APPLICATION, None
            return ResponseApdu(b"", SW.OK)
        if cmd.p1 not in (SELECT_MF_OR_EF, SELECT_EF_UNDER_DF):
            return ResponseApdu(b"", SW.INCORRECT_P1P2)
        if cmd.p1 == SELECT_MF_OR_EF and cmd.data in (b"", MF_FID.to_bytes(2, "big")):
            self.current_directory, self.current_file = Directory.MASTER_FILE, None
            return ResponseApdu(b"", SW.OK)
        if len(cmd.data) != 2:
            return ResponseApdu(b"", SW.WRONG_LENGTH)
        found = self.files.directory(self.current_directory).get(int.from_bytes(cmd.data, "big"))
        if found is None:
            return ResponseApdu(b"", SW.FILE_NOT_FOUND)
        self.current_file = found
        return ResponseApdu(b"", SW.OK)

    def read_binary(self, cmd: CommandApdu, authenticated: bool, fit: Fit) -> ResponseApdu:
        """READ BINARY (B0): offset in P1-P2, or a short file identifier in P1 and the offset in P2."""
        if cmd.p1 & SFI_FLAG:
            if cmd.p1 & 0x60:
                return ResponseApdu(b"", SW.INCORRECT_P1P2)
            target, status = self._by_sfi(cmd.p1 & 0x1F)
            offset = cmd.p2
        else:
            target, status = self._current()
            offset = (cmd.p1 << 8) | cmd.p2
        if target is None:
            return ResponseApdu(b"", status)
        if not self._may_read(authenticated):
            return ResponseApdu(b"", SW.SECURITY_STATUS_NOT_SATISFIED)
        if cmd.ne is None:
            return ResponseApdu(b"", SW.WRONG_LENGTH)
        self.current_file = target
        return _slice(target.content, offset, cmd.ne, fit)

    def read_binary_odd(self, cmd: CommandApdu, authenticated: bool, fit: Fit) -> ResponseApdu:
        """READ BINARY (B1): the offset in DO54, the data back in DO53 (ISO/IEC 7816-4 §11.2.3)."""
        identifier = (cmd.p1 << 8) | cmd.p2
        if identifier == 0:
            target, status = self._current()
        elif identifier <= 0x1E:
            target, status = self._by_sfi(identifier)
        else:
            found = self.files.directory(self.current_directory).get(identifier)
            target, status = found, SW.FILE_NOT_FOUND
        if target is None:
            return ResponseApdu(b"", status)
        if not self._may_read(authenticated):
            return ResponseApdu(b"", SW.SECURITY_STATUS_NOT_SATISFIED)
        if cmd.ne is None:
            return ResponseApdu(b"", SW.WRONG_LENGTH)
        try:
            offset_object, end = parse_one(cmd.data)
        except ParseError:
            return ResponseApdu(b"", SW.WRONG_DATA)
        if offset_object.tag != TAG_OFFSET or end != len(cmd.data) or not 1 <= len(offset_object.value) <= 3:
            return ResponseApdu(b"", SW.WRONG_DATA)
        self.current_file = target
        offset = int.from_bytes(offset_object.value, "big")

        def fit_unwrapped(wanted: int) -> int:
            # Ne and the link limit count DO53's own tag and length too.
            room = fit(cmd.ne or 0)
            size = min(wanted, room)
            while size > 0 and len(encode_tlv(TAG_DISCRETIONARY, bytes(size))) > room:
                size -= 1
            return size

        plain = _slice(target.content, offset, cmd.ne, fit_unwrapped)
        if plain.sw not in (SW.OK, SW.END_OF_FILE):
            return plain
        return ResponseApdu(encode_tlv(TAG_DISCRETIONARY, plain.data), plain.sw)

    def _by_sfi(self, sfi: int) -> tuple[ElementaryFile | None, SW]:
        if not 1 <= sfi <= 0x1E:
            return None, SW.INCORRECT_P1P2
        return self.files.by_sfi(self.current_directory, sfi), SW.FILE_NOT_FOUND

    def _current(self) -> tuple[ElementaryFile | None, SW]:
        return self.current_file, SW.COMMAND_NOT_ALLOWED  # no current EF

    def _may_read(self, authenticated: bool) -> bool:
        return authenticated or self.current_directory is Directory.MASTER_FILE


def _slice(content: bytes, offset: int, ne: int, fit: Fit) -> ResponseApdu:
    """Up to ``ne`` bytes from ``offset``: 6B00 past the end, 6282 when Le runs past it."""
    if offset >= len(content):
        return ResponseApdu(b"", SW.WRONG_P1P2)
    available = len(content) - offset
    size = min(ne, available, fit(min(ne, available)))
    if size <= 0:
        # The link cannot carry even one byte of this file: a real chip names the length it can.
        return ResponseApdu(b"", SW.WRONG_LENGTH)
    data = content[offset : offset + size]
    ran_past_end = ne > available and size == available
    return ResponseApdu(data, SW.END_OF_FILE if ran_past_end else SW.OK)
