"""The virtual chip's passive- and active-authentication variants, checked byte for byte at the reader.

The verdicts come from crypto/; here each fault or persona is shown to produce what it promises:
a VNM card signed by another country's Document Signer, an RSASSA-PSS signature without parameters,
a 1025-bit RSA Active Authentication key, and CSCA and DSC certificates with explicit curves.
"""

from __future__ import annotations

import hashlib

import pytest
from asn1crypto import cms, keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from cccd_station.crypto.chipauth import named_ec_domain
from cccd_station.crypto.sod import LdsSecurityObject
from cccd_station.reader.access import IdNumberKey, open_document
from cccd_station.reader.apdu import CommandApdu
from cccd_station.reader.channel import CardChannel
from cccd_station.reader.chip.chip import VirtualChip
from cccd_station.reader.chip.faults import NO_FAULTS, FaultError, Faults
from cccd_station.reader.chip.personalise import Personalisation, personalise
from cccd_station.reader.chip.personas import load_persona, persona_names
from cccd_station.reader.chip.pki import generated_files, test_pki
from cccd_station.reader.files import FileReader
from cccd_station.reader.lds.files import EF_SOD, data_group
from cccd_station.reader.lds.mrz import parse_dg1
from cccd_station.reader.lds.security_infos import parse_dg14, parse_dg15
from cccd_station.reader.transport import InProcessTransport

NAME = "nguyen-van-an"
EXPLICIT_PERSONA = "le-hoang-phuc"
RSASSA_PSS_WITHOUT_PARAMETERS = bytes.fromhex("300b06092a864886f70d01010a")


def signed_data(sod: bytes) -> cms.SignedData:
    length_bytes = sod[1] & 0x7F if sod[1] & 0x80 else 0
    return cms.ContentInfo.load(sod[2 + length_bytes :])["content"]


def signer_certificate(sod: bytes) -> asn1_x509.Certificate:
    return signed_data(sod)["certificates"][0].chosen


def signed_hashes(sod: bytes) -> dict[int, bytes]:
    lso = LdsSecurityObject.load(signed_data(sod)["encap_content_info"]["content"].native)
    return {
        item["dataGroupNumber"].native: item["dataGroupHashValue"].native
        for item in lso["dataGroupHashValues"]
    }


def assert_hashes_match(chip: Personalisation) -> None:
    hashes = signed_hashes(chip.sod)
    for number, value in hashes.items():
        assert hashlib.sha256(chip.data_group(number)).digest() == value, f"DG{number}"


def read_sod_through_the_chip(name: str, faults: Faults = NO_FAULTS) -> bytes:
    chip = VirtualChip(name, faults)
    persona = load_persona(name)
    assert persona.id_number is not None
    opened = open_document(CardChannel(InProcessTransport(chip)), IdNumberKey(persona.id_number))
    sod = FileReader(opened.channel).read(EF_SOD.fid, EF_SOD.sfi)
    assert sod == chip.personalisation.sod
    return sod


def test_pki_fault_spellings_parse_and_exclude_each_other() -> None:
    for spelling in ("foreign-signer", "pss-no-params", "aa-rsa-1025"):
        assert Faults.parse(spelling).to_strings() == [spelling]
    for pair in (
        "foreign-signer, pss-no-params",
        "pss-no-params, unknown-csca",
        "foreign-signer, revoked-dsc",
    ):
        with pytest.raises(FaultError, match="choose one"):
            Faults.parse(pair)
    with pytest.raises(FaultError, match="no-chip-auth"):
        Faults.parse("aa-rsa-1025, no-chip-auth")


# --- foreign-signer --------------------------------------------------------------------------------


def test_foreign_signer_signs_a_vnm_card_with_utopias_document_signer() -> None:
    chip = personalise(NAME, Faults.parse("foreign-signer"))
    uto = test_pki().signer("ds-uto")
    sod = read_sod_through_the_chip(NAME, Faults.parse("foreign-signer"))
    assert parse_dg1(chip.data_group(1)).issuing_state == "VNM"
    certificate = signer_certificate(sod)
    assert certificate.dump() == uto.der
    assert (
        certificate.issuer.native["country_name"] == "UT"
        and certificate.subject.native["country_name"] == "UT"
    )
    assert certificate.issuer.native["common_name"] == "CSCA TEST UTOPIA"
    signer_info = signed_data(sod)["signer_infos"][0]
    key = uto.key
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    key.public_key().verify(
        signer_info["signature"].native, signer_info["signed_attrs"].untag().dump(), ec.ECDSA(hashes.SHA256())
    )
    assert_hashes_match(chip)


# --- pss-no-params ---------------------------------------------------------------------------------


def test_pss_no_params_is_signed_by_an_rsa_document_signer_of_the_vnm_csca() -> None:
    pki = test_pki()
    dsc = pki.signer("ds-vnm-rsa")
    assert isinstance(dsc.key, rsa.RSAPrivateKey) and dsc.key.key_size == 2048
    assert dsc.certificate.issuer == pki.csca_vnm.certificate.subject
    csca_key = pki.csca_vnm.key
    assert isinstance(csca_key, ec.EllipticCurvePrivateKey)
    csca_key.public_key().verify(
        dsc.certificate.signature, dsc.certificate.tbs_certificate_bytes, ec.ECDSA(hashes.SHA384())
    )
    assert "TEST" in dsc.certificate.subject.rfc4514_string()


def test_pss_no_params_leaves_the_parameters_out_and_signs_with_the_rfc4055_defaults() -> None:
    faults = Faults.parse("pss-no-params")
    chip = personalise(NAME, faults)
    sod = read_sod_through_the_chip(NAME, faults)
    signed = signed_data(sod)
    signer_info = signed["signer_infos"][0]
    assert signer_info["signature_algorithm"].dump() == RSASSA_PSS_WITHOUT_PARAMETERS
    assert signer_info["digest_algorithm"]["algorithm"].native == "sha1"
    assert [algorithm["algorithm"].native for algorithm in signed["digest_algorithms"]] == ["sha1"]
    content = signed["encap_content_info"]["content"].native
    digests = [
        a["values"][0].native for a in signer_info["signed_attrs"] if a["type"].native == "message_digest"
    ]
    assert digests == [hashlib.sha1(content).digest()]
    assert signer_certificate(sod).dump() == test_pki().signer("ds-vnm-rsa").der
    public_key = test_pki().signer("ds-vnm-rsa").key.public_key()
    assert isinstance(public_key, rsa.RSAPublicKey)
    defaults = padding.PSS(mgf=padding.MGF1(hashes.SHA1()), salt_length=20)  # RFC 4055 §3.1
    public_key.verify(
        signer_info["signature"].native, signer_info["signed_attrs"].untag().dump(), defaults, hashes.SHA1()
    )
    with pytest.raises(Exception):  # noqa: B017 - any failure: SHA-256 is not what was signed
        public_key.verify(
            signer_info["signature"].native,
            signer_info["signed_attrs"].untag().dump(),
            padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32),
            hashes.SHA256(),
        )
    assert_hashes_match(chip)


# --- aa-rsa-1025 -----------------------------------------------------------------------------------


def test_aa_rsa_1025_puts_a_1025_bit_key_in_dg15_and_the_chip_signs_iso9796_2_with_it() -> None:
    faults = Faults.parse("aa-rsa-1025")
    chip = VirtualChip(NAME, faults)
    files = chip.personalisation
    public_key = serialization.load_der_public_key(parse_dg15(files.data_group(15)))
    assert isinstance(public_key, rsa.RSAPublicKey) and public_key.key_size == 1025
    stored = test_pki().rsa_aa_key_1025
    assert stored is not None and stored.public_key().public_numbers() == public_key.public_numbers()
    assert parse_dg14(files.data_group(14)).active_authentication is None  # RSA needs no AA info
    assert_hashes_match(files)

    opened = open_document(CardChannel(InProcessTransport(chip)), IdNumberKey("001085014763"))
    assert FileReader(opened.channel).read(data_group(15).fid, 15) == files.data_group(15)
    challenge = bytes.fromhex("0123456789abcdef")
    signature = opened.channel.transmit(CommandApdu(0x00, 0x88, 0, 0, challenge, ne=256)).check()
    numbers = public_key.public_numbers()
    assert len(signature) == 129 and int.from_bytes(signature, "big") < numbers.n
    # ISO/IEC 9796-2 scheme 1: the representative has one bit less than the modulus, 128 bytes here.
    opened_value = pow(int.from_bytes(signature, "big"), numbers.e, numbers.n)
    representative = opened_value.to_bytes(128, "big")
    assert representative[0] == 0x6A and representative[-1] == 0xBC
    m1, digest = representative[1:-21], representative[-21:-1]
    assert len(m1) == 106 and hashlib.sha1(m1 + challenge).digest() == digest


# --- explicit curves -------------------------------------------------------------------------------


def explicit_domain(certificate_der: bytes) -> keys.SpecifiedECDomain:
    certificate = asn1_x509.Certificate.load(certificate_der, strict=True)
    algorithm = certificate["tbs_certificate"]["subject_public_key_info"]["algorithm"]
    assert algorithm["algorithm"].native == "ec"
    parameters = algorithm["parameters"]
    assert parameters.name == "specified", "the curve is spelled out, not named by its OID"
    return parameters.chosen


def verify_with_named_twin(
    signer_der: bytes, signature: bytes, message: bytes, digest: hashes.HashAlgorithm
) -> None:
    """Check an ECDSA signature by the key of an explicit-curve certificate, as brainpoolP512r1."""
    spki = asn1_x509.Certificate.load(signer_der)["tbs_certificate"]["subject_public_key_info"]
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.BrainpoolP512R1(), spki["public_key"].native)
    key.verify(signature, message, ec.ECDSA(digest))


@pytest.mark.parametrize("which", ["csca", "dsc"])
def test_explicit_certificates_spell_out_brainpool_p512r1(which: str) -> None:
    pki = test_pki()
    authority = pki.csca_vnm_explicit if which == "csca" else pki.signer("ds-vnm-explicit")
    domain = explicit_domain(authority.der)
    named = named_ec_domain("brainpoolp512r1")
    size = 64
    assert domain["version"].native == "ecdpVer1"
    assert domain["field_id"]["field_type"].native == "prime_field"
    assert domain["field_id"]["parameters"].native == named.p
    assert domain["curve"]["a"].native == named.a.to_bytes(size, "big")
    assert domain["curve"]["b"].native == named.b.to_bytes(size, "big")
    assert domain["base"].native == b"\x04" + named.gx.to_bytes(size, "big") + named.gy.to_bytes(size, "big")
    assert (domain["order"].native, domain["cofactor"].native) == (named.n, 1)
    assert asn1_x509.Certificate.load(authority.der, strict=True).dump(force=True) == authority.der
    certificate = asn1_x509.Certificate.load(authority.der)
    assert certificate["signature_algorithm"]["algorithm"].native == "sha512_ecdsa"
    verify_with_named_twin(
        pki.csca_vnm_explicit.der,
        certificate["signature_value"].native,
        certificate["tbs_certificate"].dump(),
        hashes.SHA512(),
    )
    subject = certificate.subject.native
    expected = "CSCA TEST VNM EXPLICIT" if which == "csca" else "DS TEST VNM EXPLICIT 01"
    assert (subject["common_name"], subject["country_name"]) == (expected, "VN")
    if which == "dsc":
        assert certificate.issuer == asn1_x509.Certificate.load(pki.csca_vnm_explicit.der).subject
    x509.load_der_x509_certificate(authority.der)  # the rest of the certificate stays readable


def test_explicit_curve_files_are_part_of_the_test_pki() -> None:
    files = generated_files()
    pki = test_pki()
    assert files["csca-test-vnm-explicit.pem"] == pki.csca_vnm_explicit.pem
    assert files["dsc-test-vnm-explicit.pem"] == pki.signer("ds-vnm-explicit").pem
    assert files["dsc-test-vnm-rsa.pem"] == pki.signer("ds-vnm-rsa").pem
    for name in ("dsc-test-vnm-rsa-key.pem", "aa-test-rsa-1025-key.pem"):
        assert b"PRIVATE KEY" in files[name]


def test_the_explicit_curve_persona_is_a_cccd_signed_under_the_explicit_csca() -> None:
    persona = load_persona(EXPLICIT_PERSONA)
    assert persona.kind == "cccd" and persona.document_signer == "ds-vnm-explicit"
    assert persona.id_number is not None and persona.document_number == persona.id_number[-9:]
    assert EXPLICIT_PERSONA in persona_names()
    chip = personalise(EXPLICIT_PERSONA)
    sod = read_sod_through_the_chip(EXPLICIT_PERSONA)
    signer = test_pki().signer("ds-vnm-explicit")
    assert signer_certificate(sod).dump() == signer.der
    explicit_domain(signer_certificate(sod).dump())
    signer_info = signed_data(sod)["signer_infos"][0]
    verify_with_named_twin(
        signer.der,
        signer_info["signature"].native,
        signer_info["signed_attrs"].untag().dump(),
        hashes.SHA256(),
    )
    assert_hashes_match(chip)
    # A fault that names another signer still wins over the persona's own.
    assert signer_certificate(personalise(EXPLICIT_PERSONA, Faults.parse("revoked-dsc")).sod).dump() == (
        test_pki().signer("ds-revoked").der
    )
