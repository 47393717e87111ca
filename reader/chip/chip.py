"""The virtual CCCD / eMRTD chip: a software card that answers APDUs as a real one does.

It implements :class:`reader.transport.Chip`, so it runs in-process (``InProcessTransport``) or
behind pcscd through vpcd (:class:`reader.chip.vpcd.VpcdBridge`). Each power-on starts a fresh
session: MF selected, no secure messaging, new randomness.

Command dispatch, in the order a real chip applies its checks:

1. the APDU must parse (else 6700), extended length only when the chip offers it (else 6700),
   a class byte of the interindustry kind (else 6E00, or 6881 for logical channels);
2. during a secure-messaging session every command must be protected: an unprotected one gets
   6987 and ends the session, a protected one whose MAC fails gets 6988 (unprotected) and ends it;
3. without a session, BAC and PACE (:class:`reader.chip.access.CardAccess`) see the command first;
4. under a session, Chip and Active Authentication (:mod:`reader.chip.cardauth`) see it first;
5. then SELECT and READ BINARY (:mod:`reader.chip.filesystem`), and 6D00 for anything else.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from functools import reduce

from cccd_station.crypto.symmetric import SmKeys
from cccd_station.reader.apdu import SW, CommandApdu, ResponseApdu
from cccd_station.reader.chip.access import CardAccess
from cccd_station.reader.chip.cardauth import (
    INS_GENERAL_AUTHENTICATE,
    INS_INTERNAL_AUTHENTICATE,
    INS_MSE,
    CardAnswer,
    CardAuthentication,
)
from cccd_station.reader.chip.faults import NO_FAULTS, Faults
from cccd_station.reader.chip.filesystem import (
    INS_READ_BINARY,
    INS_READ_BINARY_ODD,
    INS_SELECT,
    SFI_FLAG,
    FileAccess,
    Fit,
)
from cccd_station.reader.chip.personalise import Personalisation, personalise
from cccd_station.reader.errors import CardRemovedError, ParseError, SecureMessagingError
from cccd_station.reader.lds.files import data_group
from cccd_station.reader.lds.tlv import encode_tlv
from cccd_station.reader.sm import (
    PADDING_INDICATOR,
    TAG_CRYPTOGRAM,
    protected_size,
    unwrap_command,
    wrap_response,
)

Rng = Callable[[int], bytes]
log = logging.getLogger(__name__)

CLA_SM_BITS = 0x0C
CLA_CHAINING = 0x10
CLA_CHANNEL_BITS = 0x03
CLA_INTERINDUSTRY_MASK = 0xE0  # first interindustry class: 000x xxxx
SHORT_MAX_RESPONSE = 256
AUTHENTICATION_INS = (INS_MSE, INS_GENERAL_AUTHENTICATE, INS_INTERNAL_AUTHENTICATE, 0x82, 0x84)

# ATR of a contactless card as a PC/SC reader reports it (PC/SC part 3 §3.1.3.2.3): TS, T0, TD1 = 80,
# TD2 = 01 (T=1), historical bytes, TCK. The historical bytes are compact-TLV (ISO/IEC 7816-4 §12.1.1):
# card capabilities (tag 7): selection by DF name, FID and SFI; one-byte data units; command
# chaining, and extended Lc/Le when offered; then a status indicator (tag 8) of 9000.
_SELECTION_METHODS = 0x94
_DATA_CODING = 0x01
_CHAINING = 0x80
_EXTENDED_LENGTH = 0x40


def _append_do87(wrapped: ResponseApdu, keys: SmKeys, ssc: int, data: bytes) -> ResponseApdu:
    """The do87-after-mac fault: other data (the last byte changed), well encrypted, after DO8E."""
    forged = data[:-1] + bytes([data[-1] ^ 0x01])
    extra = encode_tlv(TAG_CRYPTOGRAM, PADDING_INDICATOR + keys.encrypt(ssc, forged))
    return ResponseApdu(wrapped.data + extra, wrapped.sw)


def build_atr(extended_length: bool) -> bytes:
    capabilities = bytes(
        [0x73, _SELECTION_METHODS, _DATA_CODING, _CHAINING | (_EXTENDED_LENGTH * extended_length)]
    )
    historical = b"\x80" + capabilities + b"\x82\x90\x00"
    body = bytes([0x80 | len(historical), 0x80, 0x01]) + historical
    check = reduce(lambda a, b: a ^ b, body, 0)
    return b"\x3b" + body + bytes([check])


def _is_extended(raw: bytes) -> bool:
    """Whether the APDU uses extended length fields (a 00 byte then two-byte lengths)."""
    body = raw[4:]
    return len(body) > 1 and body[0] == 0


class VirtualChip:
    """A personalised chip for ``persona``, with ``faults``; ``rng`` for reproducible tests.

    ``personalisation`` replaces the persona's files and keys entirely (tests that need other
    MRZ data or file contents, such as the ICAO worked examples).
    """

    def __init__(
        self,
        persona: str,
        faults: Faults = NO_FAULTS,
        rng: Rng | None = None,
        *,
        personalisation: Personalisation | None = None,
    ) -> None:
        self.faults = faults
        self.personalisation = personalisation or personalise(persona, faults)
        self.atr = build_atr(self.personalisation.extended_length)
        self._rng: Rng = rng or os.urandom
        self._apdus = 0
        self._removed = False
        self._powered = False
        self._access: CardAccess | None = None
        self._authentication: CardAuthentication | None = None
        self._files = FileAccess(self.personalisation.files)
        self._session: tuple[SmKeys, int] | None = None
        self._protected_responses = 0

    @property
    def removed(self) -> bool:
        """Whether the removal fault has pulled the card out (it stays out)."""
        return self._removed

    def __repr__(self) -> str:
        return f"VirtualChip({self.personalisation.persona!r}, faults={self.faults})"

    # --- reader.transport.Chip ------------------------------------------------------------------

    def power_on(self) -> bytes:
        """Cold reset: a fresh session with the MF selected and no keys."""
        if self._removed:
            raise CardRemovedError("the virtual card was pulled out of the reader")
        chip = self.personalisation
        self._access = CardAccess(
            chip.mrz_information,
            chip.can,
            chip.pace_infos,
            self._rng,
            allow_bac=not self.faults.pace_only,
            allow_pace=not (self.faults.bac_only or self.faults.pace_refused),
            pace_refusal=SW.WRONG_DATA if self.faults.pace_refused else SW.INCORRECT_P1P2,
            cam_private_key=chip.ca_key.private_numbers().private_value if self.faults.pace_cam else None,
        )
        self._authentication = CardAuthentication(
            chip.ca_protocol, chip.ca_public_key_der, chip.ca_key, chip.aa_key, chip.aa_hash, self._rng
        )
        self._files = FileAccess(chip.files)
        self._session = None
        self._protected_responses = 0
        self._powered = True
        return self.atr

    def power_off(self) -> None:
        self._powered = False
        self._session = None

    def process_apdu(self, apdu: bytes) -> bytes:
        """Answer one command APDU (data + SW1 SW2); never raises but for the removal fault."""
        if self._removed:
            raise CardRemovedError("the virtual card was pulled out of the reader")
        self._apdus += 1
        if self.faults.remove_after is not None and self._apdus >= self.faults.remove_after:
            self._removed = True
            self._session = None
            raise CardRemovedError("the virtual card was pulled out of the reader")
        if self._apdus == self.faults.slip_at:
            # Out of the field: the chip loses power and its session; laid back, it powers up afresh.
            self.power_off()
            raise CardRemovedError("the virtual card slipped off the reader")
        if not self._powered:
            self.power_on()
        try:
            return self._answer(apdu).to_bytes()
        except Exception:
            # A chip never crashes: like a real one it answers 6F00 and forgets its session.
            log.exception("virtual chip failed on a command; answering %04X", SW.NO_PRECISE_DIAGNOSIS)
            self._session = None
            return SW.NO_PRECISE_DIAGNOSIS.to_bytes(2, "big")

    # --- dispatch -------------------------------------------------------------------------------

    def _answer(self, raw: bytes) -> ResponseApdu:
        try:
            cmd = CommandApdu.from_bytes(raw)
        except (ParseError, ValueError):
            return ResponseApdu(b"", SW.WRONG_LENGTH)
        if _is_extended(raw) and not self.personalisation.extended_length:
            return ResponseApdu(b"", SW.WRONG_LENGTH)
        if cmd.cla & CLA_INTERINDUSTRY_MASK:
            return ResponseApdu(b"", SW.CLA_NOT_SUPPORTED)
        if cmd.cla & CLA_CHANNEL_BITS:
            return ResponseApdu(b"", SW.LOGICAL_CHANNEL_NOT_SUPPORTED)
        protected = cmd.cla & CLA_SM_BITS
        if protected and protected != CLA_SM_BITS:
            return ResponseApdu(b"", SW.SECURE_MESSAGING_NOT_SUPPORTED)  # proprietary SM
        if self._session is not None:
            if not protected:
                self._session = None  # a real chip ends the session on a plain command
                return ResponseApdu(b"", SW.SM_DATA_MISSING)
            if self._relay_hides(cmd):
                return ResponseApdu(b"", SW.FILE_NOT_FOUND)  # the chip never sees the command
            return self._answer_protected(cmd)
        if protected:
            return ResponseApdu(b"", SW.SM_DATA_INCORRECT)  # no session keys to check it with
        assert self._access is not None
        answer = self._access.handle(cmd)
        if answer is not None:
            session = self._access.take_session()
            if session is not None:
                self._session = session
                self._protected_responses = 0
            return answer
        return self._answer_plain(cmd, authenticated=False, fit=self._plain_fit(cmd))

    def _answer_protected(self, cmd: CommandApdu) -> ResponseApdu:
        assert self._session is not None and self._authentication is not None
        keys, ssc = self._session
        ssc += 1
        try:
            inner = unwrap_command(keys, ssc, cmd)
        except SecureMessagingError:
            self._session = None  # the terminal must authenticate again
            return ResponseApdu(b"", SW.SM_DATA_INCORRECT)
        odd = bool(inner.ins & 1)
        answer = self._authentication.handle(inner) or CardAnswer(
            self._answer_plain(inner, authenticated=True, fit=self._protected_fit(cmd, keys, odd))
        )
        ssc += 1
        wrapped = wrap_response(keys, ssc, answer.response, odd_ins=odd)
        self._protected_responses += 1
        if self.faults.wrong_mac == self._protected_responses:
            wrapped = ResponseApdu(wrapped.data[:-1] + bytes([wrapped.data[-1] ^ 0x5A]), wrapped.sw)
        if self.faults.do87_after_mac and answer.response.data:
            wrapped = _append_do87(wrapped, keys, ssc, answer.response.data)
        # After Chip Authentication the chip answers under the old keys, then switches (SSC 0).
        self._session = (answer.new_keys, 0) if answer.new_keys else (keys, ssc)
        return wrapped

    def _relay_hides(self, cmd: CommandApdu) -> bool:
        """The plain-error-dg fault: a relay reads the short file identifier in the clear header of
        a protected READ BINARY and answers for the chip."""
        number = self.faults.plain_error_dg
        return (
            number is not None and cmd.ins == INS_READ_BINARY and cmd.p1 == SFI_FLAG | data_group(number).sfi
        )

    def _answer_plain(self, cmd: CommandApdu, authenticated: bool, fit: Fit) -> ResponseApdu:
        if cmd.cla & CLA_CHAINING:
            return ResponseApdu(b"", SW.COMMAND_INCOMPATIBLE)  # chaining only for PACE
        if cmd.ins == INS_SELECT:
            return self._files.select(cmd)
        if cmd.ins == INS_READ_BINARY:
            return self._files.read_binary(cmd, authenticated, fit)
        if cmd.ins == INS_READ_BINARY_ODD:
            return self._files.read_binary_odd(cmd, authenticated, fit)
        if cmd.ins in AUTHENTICATION_INS:
            # Known commands out of place: CA/AA before access control, BAC on a PACE-only chip,
            # GENERAL AUTHENTICATE without its MSE:Set AT.
            return ResponseApdu(
                b"", SW.CONDITIONS_NOT_SATISFIED if authenticated else SW.SECURITY_STATUS_NOT_SATISFIED
            )
        return ResponseApdu(b"", SW.INS_NOT_SUPPORTED)

    # --- how much a response may carry -----------------------------------------------------------

    def _link_limit(self, cmd: CommandApdu) -> int:
        """Response data bytes the reader asked for at most (its Le), within the chip's own limit."""
        limit = cmd.ne if cmd.ne is not None else 0
        if self.personalisation.max_response is not None:
            limit = min(limit, self.personalisation.max_response)
        return limit

    def _plain_fit(self, cmd: CommandApdu) -> Fit:
        limit = self._link_limit(cmd)
        return lambda wanted: min(wanted, limit)

    def _protected_fit(self, outer: CommandApdu, keys: SmKeys, odd_ins: bool) -> Fit:
        limit = self._link_limit(outer) or SHORT_MAX_RESPONSE

        def fit(wanted: int) -> int:
            size = wanted
            while size > 0 and protected_size(size, keys.block_size, odd_ins) > limit:
                # Jump close to the answer first, then step down over the padding.
                excess = protected_size(size, keys.block_size, odd_ins) - limit
                size -= max(1, excess - keys.block_size)
            return max(size, 0)

        return fit
