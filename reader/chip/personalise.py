"""Personalisation: the files and keys of a virtual chip for one persona (ICAO 9303-10 §4, 9303-11 §9.2).

A CCCD chip carries EF.CardAccess (PACE generic mapping, ECDH brainpoolP256r1, AES-128), EF.COM,
DG1 (TD1 MRZ), DG2, DG13, DG14 (Chip Authentication key and the ECDSA Active Authentication
algorithm), DG15 (ECDSA key) and EF.SOD signed by the test Document Signer. The passport persona
has DG11 and DG12 instead of DG13, an RSA Active Authentication key and Chip Authentication with
3DES (MSE:Set KAT), as many passports do.

Keys are derived from labels, so every run personalises the same chip. Building one costs a
portrait encoding and a signature, so results are cached per (persona, faults that change files).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from functools import cache

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from cccd_station.crypto.symmetric import CipherKind
from cccd_station.reader.chip.faults import NO_FAULTS, Faults
from cccd_station.reader.chip.filesystem import ElementaryFile, FileSystem
from cccd_station.reader.chip.personas import Persona, load_persona
from cccd_station.reader.chip.pki import derive_test_ec_key, sign_sod, test_pki
from cccd_station.reader.lds import oids
from cccd_station.reader.lds.build import build_com, build_dg14, build_dg15, build_security_infos
from cccd_station.reader.lds.files import EF_ATR_INFO, EF_CARD_ACCESS, EF_COM, EF_SOD, data_group
from cccd_station.reader.lds.security_infos import (
    ActiveAuthenticationInfo,
    ChipAuthenticationInfo,
    ChipAuthenticationPublicKeyInfo,
    PaceInfo,
    SecurityInfo,
)
from cccd_station.reader.lds.tlv import encode_tlv

CCCD_PACE_PARAMETER_ID = 13  # brainpoolP256r1, as on the CCCD
PACE_VERSION = 2
CA_VERSION = 1
AA_VERSION = 1
AA_ECDSA_HASH = "SHA256"
AA_RSA_HASH = "SHA1"
TAG_EXTENDED_LENGTH_INFO = 0x7F66
TAG_INTEGER = 0x02
# Buffer sizes announced in EF.ATR/INFO when extended length is on: what vpcd can carry.
MAX_COMMAND_BYTES = 0x1000
MAX_RESPONSE_BYTES = 0xFFFD

AaKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey


class PersonalisationError(ValueError):
    """The faults ask for something this persona's chip cannot be (e.g. tampering a missing DG)."""


@dataclass(frozen=True, repr=False)
class Personalisation:
    """Everything a virtual chip holds: files, access passwords, keys and protocols."""

    persona: str
    kind: str
    files: FileSystem
    mrz_information: str
    can: str
    pace_infos: tuple[PaceInfo, ...]
    ca_protocol: str
    ca_public_key_der: bytes
    ca_key: ec.EllipticCurvePrivateKey  # what the chip computes with (differs from DG14 when cloned)
    aa_key: AaKey  # what the chip signs with (differs from DG15 when cloned)
    aa_hash: str
    extended_length: bool
    max_response: int | None

    def __repr__(self) -> str:  # keys and personal data stay out of logs
        return f"Personalisation(persona={self.persona!r})"

    @property
    def ca_cipher(self) -> tuple[CipherKind, int]:
        cipher, bits = oids.CIPHER_SUITES[int(self.ca_protocol.rsplit(".", 1)[1])]
        return CipherKind(cipher), bits

    def data_group(self, number: int) -> bytes:
        return self.files.application[data_group(number).fid].content

    @property
    def sod(self) -> bytes:
        return self.files.application[EF_SOD.fid].content

    @property
    def com(self) -> bytes:
        return self.files.application[EF_COM.fid].content


@cache
def _persona_groups(name: str) -> dict[int, bytes]:
    return load_persona(name).data_groups()


def chip_ca_key(persona: str, cloned: bool = False) -> ec.EllipticCurvePrivateKey:
    """The persona's Chip Authentication key (or the key a copy of the chip would hold)."""
    label = f"chip-ca-clone/{persona}" if cloned else f"chip-ca/{persona}"
    return derive_test_ec_key(label, ec.BrainpoolP256R1())


@cache
def _clone_rsa_key() -> rsa.RSAPrivateKey:
    # A copy of the passport would hold some other key: any fresh one will do.
    return rsa.generate_private_key(public_exponent=65537, key_size=1024)  # noqa: S505 - TEST chip only


def chip_aa_key(persona: Persona, cloned: bool = False, rsa_1025: bool = False) -> AaKey:
    """The persona's Active Authentication key: ECDSA for CCCDs, the test PKI's RSA-1024 key for
    passports, its RSA-1025 key for any persona with the aa-rsa-1025 fault."""
    if persona.kind == "passport" or rsa_1025:
        if cloned:
            return _clone_rsa_key()
        name = "aa-1025" if rsa_1025 else "aa-passport"
        if name not in test_pki().rsa_keys:
            raise PersonalisationError(
                f"the test PKI has no RSA key {name}: run python -m cccd_station.reader.chip.pki"
            )
        return test_pki().rsa_keys[name]
    label = f"chip-aa-clone/{persona.key}" if cloned else f"chip-aa/{persona.key}"
    return derive_test_ec_key(label, ec.BrainpoolP256R1())


def _spki(key: AaKey | ec.EllipticCurvePrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _signer(persona: Persona, faults: Faults) -> str:
    chosen = {
        "ds-unknown": faults.unknown_csca,
        "ds-revoked": faults.revoked_dsc,
        "ds-expired": faults.expired_dsc,
        "ds-uto": faults.foreign_signer,  # a VNM card signed by another (trusted) country's signer
        "ds-vnm-rsa": faults.pss_no_params,
    }
    for signer, wanted in chosen.items():
        if wanted:
            return signer
    if persona.document_signer:
        return persona.document_signer
    return "ds-uto" if persona.kind == "passport" else "ds"


def _sign(persona: Persona, faults: Faults, hashes: dict[int, bytes]) -> bytes:
    """EF.SOD over the data group hashes (SHA-256), signed as the persona and the faults say."""
    signer = _signer(persona, faults)
    if signer not in test_pki().signers:
        raise PersonalisationError(
            f"the test PKI has no Document Signer {signer}: run python -m cccd_station.reader.chip.pki"
        )
    if faults.pss_no_params:
        # RSASSA-PSS without parameters means SHA-1 for the signature (RFC 4055 §3.1, RFC 4056 §3).
        return sign_sod(
            hashes,
            signer,
            "SHA-256",
            cms_hash_name="SHA-1",
            rsa_pss=True,
            pss_parameters=False,
            tamper_signature=faults.bad_sod_signature,
        )
    return sign_sod(hashes, signer, "SHA-256", tamper_signature=faults.bad_sod_signature)


def _extended_length_info(max_response: int | None) -> bytes:
    sizes = (MAX_COMMAND_BYTES, max_response or MAX_RESPONSE_BYTES)
    integers = b"".join(encode_tlv(TAG_INTEGER, size.to_bytes(3, "big").lstrip(b"\x00")) for size in sizes)
    return encode_tlv(TAG_EXTENDED_LENGTH_INFO, integers)


def _tamper(number: int, content: bytes, alternative: bytes | None) -> bytes:
    """Data group ``number`` changed after signing, still well-formed: a letter or digit of the text
    changes, the portrait loses one bit, or (DG14, DG15) the key is another one."""
    if alternative is not None:
        return alternative
    changed = bytearray(content)
    if number == 2:
        # Inside the image data, away from its headers, and never touching an FF marker byte.
        index = len(changed) * 2 // 3
        while changed[index] >= 0xFE or changed[index - 1] == 0xFF:
            index += 1
        changed[index] ^= 0x01
        return bytes(changed)
    for index in range(len(changed) - 1, -1, -1):
        char = chr(changed[index])
        if char.isascii() and char.isalnum():
            changed[index] = ord({"Z": "A", "z": "a", "9": "0"}.get(char, chr(ord(char) + 1)))
            return bytes(changed)
    changed[-1] ^= 0x01
    return bytes(changed)


def _garbled(security_infos: bytes) -> bytes:
    """The garbled-card-access fault: the SET keeps its size, so the file reads whole, but its first
    SecurityInfo claims more bytes than the SET holds (not DER any more)."""
    header = 2 if security_infos[1] < 0x80 else 2 + (security_infos[1] & 0x7F)
    if security_infos[header] != 0x30 or security_infos[header + 1] >= 0x80:
        raise PersonalisationError("EF.CardAccess does not start with a short SecurityInfo")
    changed = bytearray(security_infos)
    changed[header + 1] = 0x7F
    return bytes(changed)


def _build(name: str, faults: Faults) -> Personalisation:
    persona = load_persona(name)
    groups = dict(_persona_groups(name))
    ca_key = chip_ca_key(name)
    aa_key = chip_aa_key(persona, rsa_1025=faults.aa_rsa_1025)
    passport = persona.kind == "passport"
    ca_protocol = oids.ID_CA_ECDH_3DES_CBC_CBC if passport else oids.ID_CA_ECDH_AES_CBC_CMAC_128
    ca_info = ChipAuthenticationInfo(ca_protocol, CA_VERSION)
    dg14_infos: list[SecurityInfo] = [
        ca_info,
        ChipAuthenticationPublicKeyInfo(oids.ID_PK_ECDH, _spki(ca_key)),
    ]
    if isinstance(aa_key, ec.EllipticCurvePrivateKey):
        dg14_infos.append(ActiveAuthenticationInfo(oids.ID_AA, AA_VERSION, oids.ECDSA_WITH_SHA256))
    if not faults.no_chip_auth:
        groups[14] = build_dg14(dg14_infos)
        groups[15] = build_dg15(_spki(aa_key))

    com = build_com(sorted(groups))
    hashes = {number: hashlib.sha256(content).digest() for number, content in groups.items()}
    sod = _sign(persona, faults, hashes)

    if faults.tampered_dg is not None:
        number = faults.tampered_dg
        if number not in groups:
            raise PersonalisationError(f"persona {name} has no DG{number} to tamper with")
        alternatives = {
            14: build_dg14(
                [ca_info, ChipAuthenticationPublicKeyInfo(oids.ID_PK_ECDH, _spki(chip_ca_key(name, True)))]
            ),
            15: build_dg15(_spki(chip_aa_key(persona, True, faults.aa_rsa_1025))),
        }
        groups[number] = _tamper(number, groups[number], alternatives.get(number))

    pace_infos: tuple[PaceInfo, ...] = ()
    master: dict[int, ElementaryFile] = {}
    if not faults.bac_only:
        parameter_id = (
            CCCD_PACE_PARAMETER_ID if faults.pace_parameter_id is None else faults.pace_parameter_id
        )
        pace_infos = (PaceInfo(oids.ID_PACE_ECDH_GM_AES_CBC_CMAC_128, PACE_VERSION, parameter_id),)
        if parameter_id <= 2:  # MODP groups: the DH generic mapping
            pace_infos = (PaceInfo(oids.ID_PACE_DH_GM_AES_CBC_CMAC_128, PACE_VERSION, parameter_id),)
        if faults.pace_cam:  # offered beside the generic mapping, as chips with PACE-CAM do
            cam = PaceInfo(oids.ID_PACE_ECDH_CAM_AES_CBC_CMAC_128, PACE_VERSION, parameter_id)
            pace_infos = (*pace_infos, cam)
        card_access = build_security_infos([*pace_infos] if faults.no_chip_auth else [*pace_infos, ca_info])
        if faults.garbled_card_access:
            card_access = _garbled(card_access)
        master[EF_CARD_ACCESS.fid] = ElementaryFile(EF_CARD_ACCESS.fid, EF_CARD_ACCESS.sfi, card_access)
    if faults.extended_length:
        info = _extended_length_info(faults.max_response)
        master[EF_ATR_INFO.fid] = ElementaryFile(EF_ATR_INFO.fid, EF_ATR_INFO.sfi, info)

    application = {EF_COM.fid: ElementaryFile(EF_COM.fid, EF_COM.sfi, com)}
    for number, content in sorted(groups.items()):
        group = data_group(number)
        application[group.fid] = ElementaryFile(group.fid, group.sfi, content)
    application[EF_SOD.fid] = ElementaryFile(EF_SOD.fid, EF_SOD.sfi, sod)

    # The CCCD's CAN is the last six digits of the ID number printed on the card.
    can = persona.id_number[-6:] if persona.kind == "cccd" and persona.id_number else persona.can
    return Personalisation(
        persona=name,
        kind=persona.kind,
        files=FileSystem(master, application),
        mrz_information=persona.mrz.mrz_information,
        can=can,
        pace_infos=pace_infos,
        ca_protocol=ca_protocol,
        ca_public_key_der=_spki(ca_key),
        ca_key=ca_key,
        aa_key=aa_key,
        aa_hash=AA_RSA_HASH if isinstance(aa_key, rsa.RSAPrivateKey) else AA_ECDSA_HASH,
        extended_length=faults.extended_length,
        max_response=faults.max_response,
    )


@cache
def _cached(name: str, file_faults: Faults) -> Personalisation:
    return _build(name, file_faults)


def personalise(name: str, faults: Faults = NO_FAULTS) -> Personalisation:
    """The personalised chip of persona ``name`` with ``faults`` (files cached, clone keys applied)."""
    base = _cached(name, faults.personalisation)
    if not (faults.cloned_aa or faults.cloned_ca):
        return base
    return replace(
        base,
        ca_key=chip_ca_key(name, cloned=faults.cloned_ca),
        aa_key=chip_aa_key(load_persona(name), cloned=faults.cloned_aa, rsa_1025=faults.aa_rsa_1025),
    )
