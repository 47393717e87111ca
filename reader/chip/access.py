"""The virtual chip's side of BAC and PACE (ICAO 9303-11 §4.3, §4.4).

:class:`CardAccess` answers GET CHALLENGE, EXTERNAL AUTHENTICATE, MSE:Set AT (PACE) and GENERAL
AUTHENTICATE, and hands the session keys to the command dispatcher once the last step succeeded.
Any failure forgets the run, as a real chip does: the terminal has to start again. Given its Chip
Authentication private key, the chip also runs the chip authentication mapping (§4.4.3.5): the
generic mapping, and CA_IC encrypted in the answer to the last step.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from cccd_station.crypto import bac as bac_crypto
from cccd_station.crypto import pace as pc
from cccd_station.crypto.symmetric import SmKeys
from cccd_station.reader.apdu import SW, CommandApdu, ResponseApdu
from cccd_station.reader.errors import ParseError
from cccd_station.reader.lds.asn1 import decode_oid, encode_set_of
from cccd_station.reader.lds.security_infos import PaceInfo
from cccd_station.reader.lds.tlv import Tlv, encode_tlv, parse_all, parse_one
from cccd_station.reader.pace import (
    CLA_CHAINING,
    INS_GENERAL_AUTHENTICATE,
    INS_MSE,
    MSE_SET_AT_PACE,
    TAG_CHIP_AUTHENTICATION_DATA,
    TAG_DYNAMIC_AUTHENTICATION_DATA,
    TAG_EPHEMERAL_IC,
    TAG_EPHEMERAL_IFD,
    TAG_MAP_IC,
    TAG_MAP_IFD,
    TAG_NONCE,
    TAG_PARAMETER_ID,
    TAG_PASSWORD,
    TAG_PROTOCOL,
    TAG_TOKEN_IC,
    TAG_TOKEN_IFD,
)

INS_GET_CHALLENGE = 0x84
INS_EXTERNAL_AUTHENTICATE = 0x82
PACE_VERSION = 2
_PASSWORD_BY_REFERENCE = {kind.reference: kind for kind in pc.PasswordType}


def ef_card_access(pace_infos: Sequence[tuple[str, int]]) -> bytes:
    """EF.CardAccess content announcing ``pace_infos`` as (protocol OID, parameter ID) (9303-11 §9.2.1)."""
    return encode_set_of(
        PaceInfo(oid, PACE_VERSION, parameter_id).to_der() for oid, parameter_id in pace_infos
    )


def _oid_and_parameter(info: tuple[str, int] | PaceInfo) -> tuple[str, int]:
    if isinstance(info, PaceInfo):
        if info.parameter_id is None:
            raise ValueError("the virtual chip supports standardized domain parameters only")
        return info.protocol, info.parameter_id
    return info


class _Refusal(Exception):
    """Abort the running protocol and answer with this status word."""

    def __init__(self, sw: SW) -> None:
        super().__init__(sw.name)
        self.sw = sw


@dataclass
class _PaceRun:
    """The chip's state between GENERAL AUTHENTICATE steps."""

    protocol: pc.PaceProtocol
    params: pc.DomainParameters[Any]
    k_pi: bytes
    step: int = 1
    nonce: bytes = b""
    generator: Any = None
    map_private: int = 0  # kept for the chip authentication mapping
    own_private: int = 0
    own_public: bytes = b""
    terminal_public: bytes = b""
    keys: SmKeys | None = None


class CardAccess:
    """Access control of one virtual chip: BAC with the MRZ data, PACE (GM or IM) with the MRZ data or CAN.

    ``pace_infos`` are the PACE protocols the chip runs, as PACEInfo or (OID, parameter ID) pairs;
    without ``allow_pace`` MSE:Set AT for PACE is answered with ``pace_refusal``;
    ``rng`` gives random bytes (nonces, challenges, private keys) and may be scripted in tests;
    ``cam_private_key`` (the static Chip Authentication key SK_IC) lets the chip run PACE-CAM.
    """

    def __init__(
        self,
        mrz_information: str | None,
        can: str | None,
        pace_infos: Sequence[tuple[str, int] | PaceInfo],
        rng: Callable[[int], bytes] = secrets.token_bytes,
        allow_bac: bool = True,
        allow_pace: bool = True,
        pace_refusal: SW = SW.INCORRECT_P1P2,
        cam_private_key: int | None = None,
    ) -> None:
        self._passwords = {pc.PasswordType.MRZ: mrz_information, pc.PasswordType.CAN: can}
        self._pace_infos = [_oid_and_parameter(info) for info in pace_infos]
        self._rng = rng
        self._allow_bac = allow_bac and mrz_information is not None
        self._allow_pace = allow_pace and bool(self._pace_infos)
        self._pace_refusal = pace_refusal  # the answer to MSE:Set AT when PACE is not allowed
        self._cam_private_key = cam_private_key
        self._rnd_ic: bytes | None = None
        self._pace: _PaceRun | None = None
        self._session: tuple[SmKeys, int] | None = None

    def take_session(self) -> tuple[SmKeys, int] | None:
        """The keys and SSC of a just-completed BAC or PACE, handed out once."""
        session, self._session = self._session, None
        return session

    def handle(self, cmd: CommandApdu) -> ResponseApdu | None:
        """Answer an access-control command; None for any command this class does not own."""
        try:
            if cmd.ins == INS_GET_CHALLENGE and cmd.p1 == cmd.p2 == 0:
                return self._get_challenge(cmd)
            if cmd.ins == INS_EXTERNAL_AUTHENTICATE and self._allow_bac and cmd.p1 == cmd.p2 == 0:
                return self._external_authenticate(cmd)
            if cmd.ins == INS_MSE and (cmd.p1, cmd.p2) == MSE_SET_AT_PACE:
                return self._set_at(cmd)
            # Without a PACE run, GENERAL AUTHENTICATE belongs to someone else (chip authentication).
            if cmd.ins == INS_GENERAL_AUTHENTICATE and self._pace is not None:
                return self._general_authenticate(cmd)
        except _Refusal as refusal:
            self._rnd_ic = self._pace = None
            return ResponseApdu(b"", refusal.sw)
        return None

    # --- BAC ------------------------------------------------------------------------------------

    def _get_challenge(self, cmd: CommandApdu) -> ResponseApdu:
        if cmd.ne != bac_crypto.CHALLENGE_LENGTH or cmd.data:
            raise _Refusal(SW.WRONG_LENGTH)
        self._rnd_ic = self._rng(bac_crypto.CHALLENGE_LENGTH)
        return ResponseApdu(self._rnd_ic, SW.OK)

    def _external_authenticate(self, cmd: CommandApdu) -> ResponseApdu:
        rnd_ic, self._rnd_ic = self._rnd_ic, None  # a challenge answers one attempt only
        mrz_information = self._passwords[pc.PasswordType.MRZ]
        if rnd_ic is None or mrz_information is None:
            raise _Refusal(SW.CONDITIONS_NOT_SATISFIED)
        if len(cmd.data) != bac_crypto.AUTHENTICATION_DATA_LENGTH:
            raise _Refusal(SW.WRONG_LENGTH)
        k_ic = self._rng(bac_crypto.KEY_MATERIAL_LENGTH)
        try:
            answer, session = bac_crypto.chip_answer(
                bac_crypto.bac_keys(mrz_information), rnd_ic, cmd.data, k_ic
            )
        except bac_crypto.BacError:
            raise _Refusal(SW.VERIFICATION_FAILED) from None
        self._session = (session.keys, session.ssc)
        return ResponseApdu(answer, SW.OK)

    # --- PACE -----------------------------------------------------------------------------------

    def _set_at(self, cmd: CommandApdu) -> ResponseApdu:
        self._pace = None
        if not self._allow_pace:
            raise _Refusal(self._pace_refusal)
        try:
            objects = {tlv.tag: tlv.value for tlv in parse_all(cmd.data)}
            oid = decode_oid(Tlv(0x06, objects[TAG_PROTOCOL]))
            reference = objects[TAG_PASSWORD]
        except (ParseError, KeyError):
            raise _Refusal(SW.WRONG_DATA) from None
        matching = [pid for known, pid in self._pace_infos if known == oid]
        if TAG_PARAMETER_ID in objects:
            wanted = int.from_bytes(objects[TAG_PARAMETER_ID], "big")
            matching = [pid for pid in matching if pid == wanted]
        if len(matching) != 1:
            raise _Refusal(SW.WRONG_DATA)  # not offered, or ambiguous without DO84
        kind = _PASSWORD_BY_REFERENCE.get(int.from_bytes(reference, "big")) if len(reference) == 1 else None
        password = self._passwords.get(kind) if kind else None
        if kind is None or password is None:
            raise _Refusal(SW.REFERENCED_DATA_NOT_FOUND)
        try:
            protocol = pc.PaceProtocol.from_oid(oid)
            params = pc.domain_parameters(protocol, matching[0])
        except pc.UnsupportedProtocolError:
            raise _Refusal(SW.WRONG_DATA) from None
        if protocol.mapping is pc.Mapping.CAM and self._cam_private_key is None:
            raise _Refusal(SW.WRONG_DATA)  # no static key to prove: this chip has no PACE-CAM
        self._pace = _PaceRun(protocol, params, pc.password_key(password, kind, protocol))
        return ResponseApdu(b"", SW.OK)

    def _general_authenticate(self, cmd: CommandApdu) -> ResponseApdu:
        run = self._pace
        assert run is not None
        last = run.step == 4
        if (cmd.cla == CLA_CHAINING) == last or cmd.cla & ~CLA_CHAINING or (cmd.p1, cmd.p2) != (0, 0):
            raise _Refusal(SW.CONDITIONS_NOT_SATISFIED)
        try:
            template, end = parse_one(cmd.data)
            if end != len(cmd.data) or template.tag != TAG_DYNAMIC_AUTHENTICATION_DATA:
                raise _Refusal(SW.WRONG_DATA)
            inner = {tlv.tag: tlv.value for tlv in template.children()}
        except ParseError:
            raise _Refusal(SW.WRONG_DATA) from None
        try:
            answer = self._pace_step(run, inner)
        except (pc.PaceError, KeyError):
            raise _Refusal(SW.WRONG_DATA) from None
        run.step += 1
        if last:
            assert run.keys is not None
            self._session, self._pace = (run.keys, 0), None
        data = encode_tlv(TAG_DYNAMIC_AUTHENTICATION_DATA, answer)
        return ResponseApdu(data, SW.OK)

    def _pace_step(self, run: _PaceRun, inner: dict[int, bytes]) -> bytes:
        """The data objects of the chip's answer to the current step."""
        if run.step == 4 and run.protocol.mapping is pc.Mapping.CAM:
            token = self._pace_objects(run, inner)[1]
            assert run.keys is not None and self._cam_private_key is not None
            ca_ic = pc.chip_authentication_data(run.params, self._cam_private_key, run.map_private)
            encrypted = pc.encrypt_chip_authentication_data(run.keys, ca_ic)
            return encode_tlv(TAG_TOKEN_IC, token) + encode_tlv(TAG_CHIP_AUTHENTICATION_DATA, encrypted)
        return encode_tlv(*self._pace_objects(run, inner))

    def _pace_objects(self, run: _PaceRun, inner: dict[int, bytes]) -> tuple[int, bytes]:
        protocol, params = run.protocol, run.params
        if run.step == 1:
            if inner:
                raise _Refusal(SW.WRONG_DATA)
            run.nonce = self._rng(pc.nonce_length(protocol))
            return TAG_NONCE, pc.encrypt_nonce(protocol, run.k_pi, run.nonce)
        if run.step == 2 and protocol.mapping is pc.Mapping.IM:
            run.generator = pc.integrated_mapping(params, protocol, run.nonce, inner[TAG_MAP_IFD])
            return TAG_MAP_IC, b""  # 9303-11 §4.4.5.2.2: the chip's mapping data is empty
        if run.step == 2:
            run.map_private, public = pc.key_pair(params, params.generator, self._rng)
            public_bytes = params.encode(public)
            pc.require_different(public_bytes, inner[TAG_MAP_IFD])
            terminal_key = params.decode_public_key(inner[TAG_MAP_IFD])
            run.generator = pc.generic_mapping(params, run.nonce, run.map_private, terminal_key)
            return TAG_MAP_IC, public_bytes
        if run.step == 3:
            run.own_private, public = pc.key_pair(params, run.generator, self._rng)
            run.own_public = params.encode(public)
            run.terminal_public = inner[TAG_EPHEMERAL_IFD]
            pc.require_different(run.own_public, run.terminal_public)
            secret = pc.shared_secret(params, run.own_private, params.decode_public_key(run.terminal_public))
            run.keys = pc.session_keys(protocol, secret)
            return TAG_EPHEMERAL_IC, run.own_public
        assert run.keys is not None
        if not pc.token_matches(protocol, params, run.keys, run.own_public, inner[TAG_TOKEN_IFD]):
            raise _Refusal(SW.VERIFICATION_FAILED)  # a wrong password shows here
        return TAG_TOKEN_IC, pc.authentication_token(protocol, params, run.keys, run.terminal_public)
