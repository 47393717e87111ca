"""Opening a document: PACE when the chip offers it, otherwise BAC (ICAO 9303-11 §4.2, §4.4.4).

The terminal reads EF.CardAccess at MF level (SFI 1C), runs PACE with the CAN or the MRZ data,
and then selects the eMRTD application under secure messaging. A chip without EF.CardAccess is
opened with BAC when the MRZ data are known. Reading EF.CardAccess with an extended Le is also how
the station learns, for free, whether the link takes extended length when nothing said so before.
A chip opened once is opened again the same way after it slipped away (:func:`reopen_document`):
PACE with the protocol chosen the first time, or BAC, and the SELECT, nothing more.

A chip that offers PACE is opened with PACE. Falling back to BAC (§4.2: for chips whose PACE is
broken) is allowed only with MRZ data and only when PACE failed for another reason than the key:
the chip refused it, EF.CardAccess is damaged, or the station cannot run the variants offered.
The fallback is a downgrade an attacker on the link could also cause, so the result names it.
A wrong or blocked key under PACE ends the attempt: BAC would give the key a second guess.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from cccd_station.crypto.pace import PasswordType, UnsupportedProtocolError
from cccd_station.reader.apdu import SW, CommandApdu
from cccd_station.reader.bac import bac
from cccd_station.reader.channel import ApduSender
from cccd_station.reader.errors import (
    AccessDeniedError,
    ApduError,
    ChipDataError,
    ExtendedLengthError,
    UnsupportedCardError,
)
from cccd_station.reader.files import FileNotFoundOnChip, FileReader, LinkLimits
from cccd_station.reader.keys import AccessKey, CanKey, IdNumberKey, MrzKey
from cccd_station.reader.lds.files import EF_CARD_ACCESS, EMRTD_AID
from cccd_station.reader.lds.security_infos import PaceInfo, SecurityInfos
from cccd_station.reader.pace import (
    CamEvidence,
    PaceRefusedError,
    pace_session,
    protocol_name,
    select_pace_info,
)
from cccd_station.reader.sm import SecureChannel

INS_SELECT = 0xA4
# Answers that mean "no EF.CardAccess here" (so no PACE), whatever the chip's dialect.
NO_FILE = (
    SW.FILE_NOT_FOUND,
    SW.SECURITY_STATUS_NOT_SATISFIED,
    SW.INCORRECT_P1P2,
    SW.FUNCTION_NOT_SUPPORTED,
    SW.COMMAND_NOT_ALLOWED,
    SW.INS_NOT_SUPPORTED,
    SW.CLA_NOT_SUPPORTED,
    SW.WRONG_P1P2,
)
BAC_NAME = "BAC"
PACE_NAME = "PACE"  # the family, when a damaged EF.CardAccess leaves the variant unknown
UNSUPPORTED_VARIANTS = "the chip offers only PACE variants this station does not support"


@dataclass(frozen=True)
class AccessResult:
    """An opened chip: the secure-messaging session, the protocol used and which key opened it."""

    channel: SecureChannel
    protocol: str  # "PACE-ECDH-GM-AES-128", "BAC", ...
    password: PasswordType  # "CAN" or "MRZ"
    # Set when the chip offered PACE but was opened with BAC: the PACE protocol that failed
    # ("PACE" when EF.CardAccess is too damaged to tell) and why, as a short English sentence.
    downgraded_from: str | None = None
    downgrade_reason: str | None = None
    pace_info: PaceInfo | None = None  # the PACEInfo PACE ran with (to open the chip again alike)
    cam: CamEvidence | None = None  # PACE-CAM's proof, to check against DG14 once it is trusted


class MrzRequiredError(AccessDeniedError):
    """The chip can only be opened with BAC (or PACE-MRZ), and the clerk gave no MRZ data."""

    kind: ClassVar[str] = "mrz_required"


def read_card_access(channel: ApduSender, extended: bool = False) -> bytes | None:
    """EF.CardAccess read at MF level by its short file identifier, or None when the chip has none."""
    try:
        return FileReader(channel, LinkLimits(extended=extended)).read(EF_CARD_ACCESS.fid, EF_CARD_ACCESS.sfi)
    except FileNotFoundOnChip:
        return None
    except ApduError as error:
        if error.sw in NO_FILE:
            return None
        raise


@dataclass(frozen=True, repr=False)
class CardAccessFile:
    """EF.CardAccess as read: its content (None: the chip has none), or why it could not be read whole."""

    content: bytes | None
    damage: ChipDataError | None = None


def _card_access_file(channel: ApduSender, extended: bool) -> CardAccessFile:
    try:
        return CardAccessFile(read_card_access(channel, extended))
    except ApduError:
        raise
    except ChipDataError as error:
        return CardAccessFile(None, error)


def read_card_access_learning(channel: ApduSender, extended: bool | None) -> tuple[CardAccessFile, bool]:
    """EF.CardAccess, and whether the link takes extended length.

    Known beforehand (``extended`` True or False), the file is read that way, but a reader that cannot
    carry the extended APDU (:class:`ExtendedLengthError`) has the last word: short it is. Unknown (None),
    it is asked for with an extended Le: data coming back proves extended length works; a refusal of the
    length by the chip (6700, or any odd status) or by the reader costs one short read more. No file at
    all proves nothing, so short it stays.
    """
    if extended is False:
        return _card_access_file(channel, False), False
    try:
        found = _card_access_file(channel, True)
    except ExtendedLengthError:  # the ATR promised it, the reader cannot carry it
        return _card_access_file(channel, False), False
    except ApduError:
        if extended:
            raise
        return _card_access_file(channel, False), False
    return found, bool(extended) or found.content is not None


def _pace_infos(card_access: CardAccessFile) -> tuple[PaceInfo, ...]:
    """The PACEInfos of EF.CardAccess (none without the file); ChipDataError when it is damaged."""
    if card_access.damage is not None:
        raise card_access.damage
    content = card_access.content
    return SecurityInfos.from_bytes(content).pace if content is not None else ()


def _offered_name(infos: tuple[PaceInfo, ...]) -> str:
    """The name of the first PACE variant the chip offers, for the record of a downgrade."""
    try:
        return protocol_name(infos[0])
    except UnsupportedProtocolError:
        return PACE_NAME


def _pace_password(key: AccessKey) -> tuple[str, PasswordType]:
    if isinstance(key, IdNumberKey):
        return key.can, PasswordType.CAN
    if isinstance(key, CanKey):
        return key.can, PasswordType.CAN
    return key.mrz_information, PasswordType.MRZ


def select_application(channel: ApduSender) -> None:
    """SELECT the eMRTD application by its AID, without a response (9303-10 §3.6.1)."""
    response = channel.transmit(CommandApdu(0x00, INS_SELECT, 0x04, 0x0C, EMRTD_AID))
    if response.sw == SW.FILE_NOT_FOUND:
        raise UnsupportedCardError("the card holds no ICAO eMRTD application")
    response.check()


def open_document(
    channel: ApduSender, key: AccessKey, rng: Callable[[int], bytes] = secrets.token_bytes
) -> AccessResult:
    """Run PACE or BAC as the chip allows and return the session with the eMRTD application selected.

    AccessDeniedError when the key does not open the chip (MrzRequiredError when only MRZ data
    could), UnsupportedCardError for a card that is no eMRTD, ChipDataError for protocol faults.
    """
    return open_with_card_access(channel, key, _card_access_file(channel, False), rng)


def open_with_card_access(
    channel: ApduSender,
    key: AccessKey,
    card_access: CardAccessFile,
    rng: Callable[[int], bytes] = secrets.token_bytes,
) -> AccessResult:
    """:func:`open_document` with EF.CardAccess already read."""
    downgrade: tuple[str, str] | None = None  # (PACE protocol that failed, why)
    try:
        infos = _pace_infos(card_access)
    except ChipDataError as error:
        if not isinstance(key, MrzKey):
            raise
        infos, downgrade = (), (PACE_NAME, f"EF.CardAccess is damaged: {error}")
    chosen = select_pace_info(infos)
    if chosen is not None:
        password, kind = _pace_password(key)
        try:
            session = pace_session(channel, password, kind, [chosen], rng)
        except PaceRefusedError as error:
            if not isinstance(key, MrzKey):
                raise
            downgrade = (protocol_name(chosen), str(error))
        except AccessDeniedError as error:
            if isinstance(key, IdNumberKey):  # the clerk typed an ID number, not a CAN
                raise AccessDeniedError("the ID number does not open this chip") from error
            raise
        else:
            select_application(session.channel)
            return AccessResult(
                session.channel, protocol_name(chosen), kind, pace_info=chosen, cam=session.cam
            )
    elif infos:
        if not isinstance(key, MrzKey):
            raise UnsupportedCardError(UNSUPPORTED_VARIANTS)
        downgrade = (_offered_name(infos), UNSUPPORTED_VARIANTS)
    if not isinstance(key, MrzKey):
        raise MrzRequiredError(
            "this chip opens only with the MRZ data: "
            "enter the document number, date of birth and date of expiry"
        )
    try:
        select_application(channel)
    except ApduError as error:
        raise UnsupportedCardError(f"the eMRTD application cannot be selected ({error})") from error
    secure = bac(channel, key.mrz_information, rng)
    downgraded_from, reason = downgrade or (None, None)
    return AccessResult(secure, BAC_NAME, PasswordType.MRZ, downgraded_from, reason)


def reopen_document(
    channel: ApduSender,
    key: AccessKey,
    first: AccessResult,
    rng: Callable[[int], bytes] = secrets.token_bytes,
) -> AccessResult:
    """Open a chip again the way ``first`` opened it (the card slipped away and was laid back): PACE with
    the same PACEInfo and the SELECT, or the SELECT and BAC. EF.CardAccess is not read again.
    AccessDeniedError when the key does not open the card now on the reader (another card)."""
    if first.pace_info is None:
        select_application(channel)
        secure = bac(channel, _mrz_information(key), rng)
        return AccessResult(secure, BAC_NAME, PasswordType.MRZ, first.downgraded_from, first.downgrade_reason)
    password, kind = _pace_password(key)
    session = pace_session(channel, password, kind, [first.pace_info], rng)
    select_application(session.channel)
    return AccessResult(session.channel, first.protocol, kind, pace_info=first.pace_info, cam=session.cam)


def _mrz_information(key: AccessKey) -> str:
    if not isinstance(key, MrzKey):
        raise MrzRequiredError("this chip opens only with the MRZ data")
    return key.mrz_information
