"""PACE, terminal side (ICAO 9303-11 §4.4.4): MSE:Set AT and four GENERAL AUTHENTICATE steps.

The generic, the integrated and the chip authentication mapping are run. With the chip authentication
mapping (PACE-CAM, §4.4.3.5) the chip's last answer also carries its encrypted chip authentication data;
it is decrypted here and kept, to be checked against DG14's key once passive authentication has shown
that key to be the issuer's (:func:`cam_proves_chip`). The chip's status words tell a wrong password
(6300, 63Cx, 6982, blocked 6983) from a chip that does not do PACE at all (:class:`PaceRefusedError`,
after which the caller may try BAC) and from a chip that breaks the protocol (ChipDataError).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from cccd_station.crypto import pace as pc
from cccd_station.crypto.chipauth import ChipAuthError, StaticPublicKey
from cccd_station.crypto.ecc import EcDomain
from cccd_station.reader.apdu import SW, CommandApdu, ResponseApdu
from cccd_station.reader.channel import ApduSender
from cccd_station.reader.errors import AccessDeniedError, ChipDataError, ParseError, UnsupportedCardError
from cccd_station.reader.lds.asn1 import decode_integer, decode_oid
from cccd_station.reader.lds.security_infos import PaceInfo
from cccd_station.reader.lds.tlv import encode_tlv, parse_one
from cccd_station.reader.sm import SecureChannel

INS_MSE = 0x22
MSE_SET_AT_PACE = (0xC1, 0xA4)  # set, mutual authentication template (9303-11 §4.4.4.1)
INS_GENERAL_AUTHENTICATE = 0x86
CLA_CHAINING = 0x10  # more commands of this chain follow (ISO/IEC 7816-4 §5.3.3)
TAG_DYNAMIC_AUTHENTICATION_DATA = 0x7C
TAG_PROTOCOL = 0x80
TAG_PASSWORD = 0x83
TAG_PARAMETER_ID = 0x84
# Data objects inside 7C (9303-11 §4.4.4.2): terminal -> chip and chip -> terminal, per step.
TAG_NONCE = 0x80
TAG_MAP_IFD, TAG_MAP_IC = 0x81, 0x82
TAG_EPHEMERAL_IFD, TAG_EPHEMERAL_IC = 0x83, 0x84
TAG_TOKEN_IFD, TAG_TOKEN_IC = 0x85, 0x86
TAG_CHIP_AUTHENTICATION_DATA = 0x8A  # PACE-CAM: the encrypted CA_IC in the chip's last answer
SHORT_NE, EXTENDED_NE = 256, 65536

TRIES_LEFT_FAMILY = 0x63C0  # 63Cx: the password check failed (or warns), x tries left

PASSWORD_NAMES = {pc.PasswordType.MRZ: "MRZ data", pc.PasswordType.CAN: "CAN"}


class PaceRefusedError(UnsupportedCardError):
    """The chip does not run PACE with what the station offered; BAC may still open it."""


def tries_left(sw: int) -> int | None:
    """x of a 63Cx status word, or None for any other status."""
    return sw & 0x0F if sw & 0xFFF0 == TRIES_LEFT_FAMILY else None


def is_wrong_password(sw: int) -> bool:
    """Status words chips use for a failed password check (9303-11 §4.4.4, ISO/IEC 7816-4 §5.6)."""
    wrong = (SW.VERIFICATION_FAILED, SW.SECURITY_STATUS_NOT_SATISFIED, SW.AUTHENTICATION_BLOCKED)
    return sw in wrong or tries_left(sw) is not None


# The chip authentication mapping first: it proves the chip genuine inside PACE (two APDUs fewer).
_MAPPING_RANK = {pc.Mapping.CAM: 2, pc.Mapping.GM: 1, pc.Mapping.IM: 0}


def _rank(info: PaceInfo) -> tuple[bool, int, bool, int, int]:
    protocol = pc.PaceProtocol.from_oid(info.protocol)
    params = pc.STANDARD_PARAMETERS[info.parameter_id or 0]
    return (
        protocol.key_agreement is pc.KeyAgreement.ECDH,
        _MAPPING_RANK[protocol.mapping],
        protocol.cipher is pc.CipherKind.AES,
        protocol.key_bits,
        params.order.bit_length(),
    )


def is_supported(info: PaceInfo) -> bool:
    """Generic or integrated mapping with standardized domain parameters matching the key agreement."""
    try:
        protocol = pc.PaceProtocol.from_oid(info.protocol)
        params = pc.domain_parameters(protocol, info.parameter_id)
    except pc.UnsupportedProtocolError:
        return False
    if protocol.mapping is pc.Mapping.IM:
        # The point encoding of Appendix B needs p = 3 mod 4 (it rules out secp224r1).
        return params.key_agreement is pc.KeyAgreement.DH or params.modulus % 4 == 3
    return protocol.mapping in (pc.Mapping.GM, pc.Mapping.CAM)  # CAM: ECDH and AES by its OIDs


def select_pace_info(pace_infos: Iterable[PaceInfo]) -> PaceInfo | None:
    """The best PACEInfo the station can run: ECDH before DH, the chip authentication mapping before the
    generic one before the integrated one, AES before 3DES, longer keys and larger groups first."""
    candidates = [info for info in pace_infos if is_supported(info)]
    return max(candidates, key=_rank) if candidates else None


def protocol_name(info: PaceInfo) -> str:
    """A short name for display, such as ``PACE-ECDH-GM-AES-128``."""
    return pc.PaceProtocol.from_oid(info.protocol).name


def mse_set_at(protocol_oid: str, password_type: pc.PasswordType, parameter_id: int | None) -> CommandApdu:
    """MSE:Set AT for PACE (9303-11 §4.4.4.1): protocol OID, password reference, parameter ID; no Le."""
    data = encode_tlv(TAG_PROTOCOL, pc.oid_content(protocol_oid))
    data += encode_tlv(TAG_PASSWORD, bytes([password_type.reference]))
    if parameter_id is not None:
        data += encode_tlv(TAG_PARAMETER_ID, bytes([parameter_id]))
    return CommandApdu(0x00, INS_MSE, *MSE_SET_AT_PACE, data)


def general_authenticate(tag: int | None, value: bytes, last: bool) -> CommandApdu:
    """One GENERAL AUTHENTICATE step with data ``7C { tag value }`` (9303-11 §4.4.4.2), Le 00."""
    inner = encode_tlv(tag, value) if tag is not None else b""
    data = encode_tlv(TAG_DYNAMIC_AUTHENTICATION_DATA, inner)
    # Large DH keys need extended length, and then the answer may exceed 256 bytes too.
    ne = EXTENDED_NE if len(data) > 255 else SHORT_NE
    return CommandApdu(0x00 if last else CLA_CHAINING, INS_GENERAL_AUTHENTICATE, 0x00, 0x00, data, ne)


def dynamic_authentication_data(data: bytes, tag: int | None) -> bytes:
    """The value of ``tag`` inside the 7C template of a chip's answer; ParseError when it is missing.

    With ``tag`` None only the template is checked (the empty mapping answer of the integrated mapping).
    """
    template, end = parse_one(data)
    if end != len(data):
        raise ParseError("bytes after the dynamic authentication data")
    template.expect(TAG_DYNAMIC_AUTHENTICATION_DATA).children()
    return template.require(tag).value if tag is not None else b""


@dataclass(frozen=True, repr=False)
class CamEvidence:
    """What PACE-CAM leaves to check once DG14 is trusted: the chip's mapping key and CA_IC."""

    protocol: pc.PaceProtocol
    parameter_id: int
    chip_map_public: bytes
    ca_ic: bytes

    def __repr__(self) -> str:
        return f"CamEvidence({self.protocol.name})"


@dataclass(frozen=True)
class PaceSession:
    """The outcome of PACE: the secure channel, and with PACE-CAM the chip's evidence."""

    channel: SecureChannel
    protocol: pc.PaceProtocol
    cam: CamEvidence | None = None


STANDARDIZED_DOMAIN_PARAMETERS = "0.4.0.127.0.7.1.2"  # TR-03110-3 §A.2.1.1: the key names a parameter ID


def static_key_point(spki_der: bytes, parameter_id: int) -> bytes | None:
    """The uncompressed point of a DG14 Chip Authentication key (a SubjectPublicKeyInfo) when the key lies
    in the PACE group ``parameter_id``, else None. The key may name its group as a standardized parameter
    ID (as in 9303-11 Appendix I) or carry named or explicit curve parameters."""
    params = pc.STANDARD_PARAMETERS.get(parameter_id)
    if not isinstance(params, pc.EcParameters):
        return None
    try:
        algorithm, public_key = parse_one(spki_der)[0].children()
        algorithm_oid, *algorithm_parameters = algorithm.children()
        if decode_oid(algorithm_oid) == STANDARDIZED_DOMAIN_PARAMETERS:
            named = [decode_integer(value) for value in algorithm_parameters if value.tag == 0x02]
            return public_key.value[1:] if named == [parameter_id] and public_key.tag == 0x03 else None
        static = StaticPublicKey.from_spki(spki_der)
    except (ParseError, ValueError, ChipAuthError):
        return None
    domain = static.domain
    generator = params.generator
    same_group = isinstance(domain, EcDomain) and (domain.p, domain.n, domain.gx, domain.gy) == (
        params.modulus,
        params.order,
        int(generator.x()),
        int(generator.y()),
    )
    return static.public if same_group else None


def cam_proves_chip(evidence: CamEvidence, static_public_keys: Iterable[bytes]) -> bool:
    """Whether one of DG14's Chip Authentication keys (SubjectPublicKeyInfos, trusted only after passive
    authentication) is the static key the chip proved in PACE-CAM (9303-11 §4.4.3.5.2:
    PK_Map,IC = CA_IC * PK_IC)."""
    params = pc.STANDARD_PARAMETERS[evidence.parameter_id]
    for spki in static_public_keys:
        point = static_key_point(spki, evidence.parameter_id)
        if point is None:
            continue  # a key of another group is not the one PACE used
        try:
            if pc.chip_authentication_mapping_holds(params, evidence.ca_ic, point, evidence.chip_map_public):
                return True
        except pc.PaceError:
            continue
    return False


class _Terminal:
    """The terminal's state during one PACE run."""

    def __init__(self, channel: ApduSender, password_type: pc.PasswordType) -> None:
        self.channel = channel
        self.password_type = password_type

    def denied(self) -> AccessDeniedError:
        return AccessDeniedError(f"the {PASSWORD_NAMES[self.password_type]} does not open this chip")

    def step(self, number: int, tag: int | None, value: bytes, answer_tag: int | None) -> bytes:
        return self.step_objects(number, tag, value, answer_tag)[0]

    def step_objects(
        self, number: int, tag: int | None, value: bytes, *answer_tags: int | None
    ) -> list[bytes]:
        """The values of ``answer_tags`` in the chip's answer to GENERAL AUTHENTICATE step ``number``."""
        response = self.channel.transmit(general_authenticate(tag, value, last=number == 4))
        self._check(number, response)
        try:
            return [dynamic_authentication_data(response.data, answer_tag) for answer_tag in answer_tags]
        except ParseError as error:
            raise ChipDataError(f"PACE step {number}: malformed answer ({error})") from error

    def _check(self, number: int, response: ResponseApdu) -> None:
        if response.ok:
            return
        if is_wrong_password(response.sw):
            raise self.denied()
        if number == 1:
            raise PaceRefusedError(f"the chip refused the first step of PACE ({response.sw:04X})")
        raise ChipDataError(f"the chip answered {response.sw:04X} in PACE step {number}")


def _map_nonce(
    terminal: _Terminal,
    protocol: pc.PaceProtocol,
    params: pc.DomainParameters[Any],
    nonce: bytes,
    rng: pc.Rng,
) -> tuple[Any, bytes]:
    """Step 2: the mapped generator, by key agreement (GM, CAM) or from a nonce t sent in clear (IM),
    and the chip's mapping public key (empty for IM)."""
    if protocol.mapping is pc.Mapping.IM:
        t = rng(pc.key_length(protocol))
        terminal.step(2, TAG_MAP_IFD, t, None)  # the chip answers with an empty 82 (or nothing)
        return pc.integrated_mapping(params, protocol, nonce, t), b""
    map_private, map_public = pc.key_pair(params, params.generator, rng)
    map_public_bytes = params.encode(map_public)
    chip_map_bytes = terminal.step(2, TAG_MAP_IFD, map_public_bytes, TAG_MAP_IC)
    pc.require_different(map_public_bytes, chip_map_bytes)
    chip_map = params.decode_public_key(chip_map_bytes)
    return pc.generic_mapping(params, nonce, map_private, chip_map), chip_map_bytes


def pace(
    channel: ApduSender,
    password: bytes | str,
    password_type: pc.PasswordType | str,
    pace_infos: Iterable[PaceInfo],
    rng: Callable[[int], bytes] = secrets.token_bytes,
) -> SecureChannel:
    """Run PACE with the best supported PACEInfo; return the SM session (SSC 0) over ``channel``
    (see :func:`pace_session`)."""
    return pace_session(channel, password, password_type, pace_infos, rng).channel


def pace_session(
    channel: ApduSender,
    password: bytes | str,
    password_type: pc.PasswordType | str,
    pace_infos: Iterable[PaceInfo],
    rng: Callable[[int], bytes] = secrets.token_bytes,
) -> PaceSession:
    """Run PACE (GM, IM or CAM) with the best supported PACEInfo: the SM session (SSC 0) over ``channel``
    and, with the chip authentication mapping, the evidence to check against DG14.

    ``password`` is the CAN digits, or MRZ_information (document number, birth and expiry dates,
    each followed by its check digit). AccessDeniedError for a wrong password, PaceRefusedError
    when the chip will not run PACE, ChipDataError when its answers break the protocol.
    """
    kind = pc.PasswordType(password_type)
    info = select_pace_info(pace_infos)
    if info is None:
        raise PaceRefusedError("the chip offers no PACE protocol this station supports")
    protocol = pc.PaceProtocol.from_oid(info.protocol)
    params: pc.DomainParameters[Any] = pc.domain_parameters(protocol, info.parameter_id)
    terminal = _Terminal(channel, kind)

    selected = channel.transmit(mse_set_at(protocol.oid, kind, info.parameter_id))
    if selected.sw == SW.AUTHENTICATION_BLOCKED or tries_left(selected.sw) == 0:
        raise AccessDeniedError(f"the chip has blocked its {PASSWORD_NAMES[kind]}")
    if not selected.ok and not tries_left(selected.sw):  # 63Cx here is a warning: x tries are left
        raise PaceRefusedError(f"the chip refused MSE:Set AT ({selected.sw:04X})")

    try:
        k_pi = pc.password_key(password, kind, protocol)
        nonce = pc.decrypt_nonce(protocol, k_pi, terminal.step(1, None, b"", TAG_NONCE))

        generator, chip_map_bytes = _map_nonce(terminal, protocol, params, nonce, rng)

        own_private, own_public = pc.key_pair(params, generator, rng)
        own_public_bytes = params.encode(own_public)
        chip_public_bytes = terminal.step(3, TAG_EPHEMERAL_IFD, own_public_bytes, TAG_EPHEMERAL_IC)
        pc.require_different(own_public_bytes, chip_public_bytes)
        chip_public = params.decode_public_key(chip_public_bytes)
        keys = pc.session_keys(protocol, pc.shared_secret(params, own_private, chip_public))

        token = pc.authentication_token(protocol, params, keys, chip_public_bytes)
        cam = protocol.mapping is pc.Mapping.CAM
        answer_tags = (TAG_TOKEN_IC, TAG_CHIP_AUTHENTICATION_DATA) if cam else (TAG_TOKEN_IC,)
        chip_token, *encrypted = terminal.step_objects(4, TAG_TOKEN_IFD, token, *answer_tags)
        if not pc.token_matches(protocol, params, keys, own_public_bytes, chip_token):
            raise terminal.denied()
        evidence = None
        if cam:
            ca_ic = pc.decrypt_chip_authentication_data(keys, encrypted[0])
            evidence = CamEvidence(protocol, info.parameter_id or 0, chip_map_bytes, ca_ic)
    except pc.PaceError as error:
        raise ChipDataError(f"{protocol.name}: {error}") from error
    return PaceSession(SecureChannel(channel, keys, 0), protocol, evidence)
