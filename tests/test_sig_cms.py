"""The SignerInfo of EF.SOD: what ICAO 9303-10 §4.6.2 requires of it, the encodings real documents use
(BER indefinite lengths, unsorted attributes, id-data), and hostile structures failing cleanly."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from asn1crypto import x509
from sigkit import (
    NOT_AFTER,
    NOT_BEFORE,
    EcKey,
    Pki,
    Signer,
    SodOptions,
    attribute,
    certificate,
    ec_spki,
    generalized_time,
    indefinite,
    make_pki,
    make_sod,
    octets,
    pss_default_signer,
    rsa_key,
    seq,
    simple_name,
    tlv,
)

from cccd_station.crypto.ecc import named_ec_domain
from cccd_station.crypto.sod import (
    DATA_OID,
    SignatureError,
    Sod,
    SodError,
    certificate_validity,
    verify_certificate_signature,
)


@pytest.fixture(scope="module")
def pki() -> Pki:
    signer = Signer(EcKey.generate(named_ec_domain("brainpoolp384r1")), "sha384")
    return make_pki(signer, signer)


def verified(sod_bytes: bytes) -> Sod:
    sod = Sod.parse(sod_bytes)
    dsc = sod.document_signer()
    assert dsc is not None
    sod.cms.verify(dsc.public_key.dump())
    return sod


def test_the_standard_form_verifies(pki: Pki) -> None:
    sod = verified(make_sod(pki))
    assert sod.cms.signing_time == datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (SodOptions(signed_attributes=False), "no signed attributes"),
        (SodOptions(content_type_attribute=False), "no contentType"),
        (SodOptions(message_digest=False), "no messageDigest"),
    ],
    ids=["no signed attributes", "no contentType", "no messageDigest"],
)
def test_signer_info_without_the_required_attributes_does_not_verify(
    pki: Pki, options: SodOptions, message: str
) -> None:
    # Each is validly signed by the DSC: only the structure ICAO requires is missing.
    sod = Sod.parse(make_sod(pki, options=options))
    dsc = sod.document_signer()
    assert dsc is not None
    with pytest.raises(SignatureError, match=message):
        sod.cms.verify(dsc.public_key.dump())


def test_signing_time_is_optional(pki: Pki) -> None:
    assert verified(make_sod(pki, options=SodOptions(signing_time=None))).cms.signing_time is None


@pytest.mark.parametrize(
    ("encoded", "expected"),
    [
        (generalized_time(datetime(2025, 3, 1, 12, 0), zone=False), datetime(2025, 3, 1, 12, 0, tzinfo=UTC)),
        (generalized_time(datetime(2025, 3, 1, 12, 0)), datetime(2025, 3, 1, 12, 0, tzinfo=UTC)),
        (tlv(0x18, b"20250301140000+0200"), datetime(2025, 3, 1, 12, 0, tzinfo=UTC)),
        (tlv(0x17, b"not a time"), None),
    ],
    ids=["no zone", "Z", "offset", "garbage"],
)
def test_signing_time_in_any_zone_form_is_utc(pki: Pki, encoded: bytes, expected: datetime | None) -> None:
    signing_time = verified(make_sod(pki, options=SodOptions(signing_time=encoded))).cms.signing_time
    assert signing_time == expected
    if signing_time is not None:
        assert signing_time < datetime.now(UTC)  # comparable with an aware time: no TypeError


def test_certificate_times_without_zone_are_utc() -> None:
    key = EcKey.generate(named_ec_domain("brainpoolp256r1"))
    signer = Signer(key)
    validity = seq(generalized_time(NOT_BEFORE, zone=False), generalized_time(NOT_AFTER, zone=False))
    name = simple_name("CSCA NAIVE TIME")
    csca = x509.Certificate.load(certificate(name, name, ec_spki(key), signer, ca=True, validity=validity))
    not_before, not_after = certificate_validity(csca)
    assert (not_before, not_after) == (NOT_BEFORE, NOT_AFTER)
    assert not_before < datetime.now(UTC) < not_after
    verify_certificate_signature(csca, csca)


@pytest.mark.parametrize("keep_certificate", [False, True], ids=["everywhere", "all but the DSC"])
def test_ber_indefinite_lengths_anywhere(pki: Pki, keep_certificate: bool) -> None:
    der = make_sod(pki)
    ber = indefinite(der, keep=(pki.dsc,) if keep_certificate else ())
    assert ber != der
    sod = verified(ber)
    assert sod.data_group_hashes == Sod.parse(der).data_group_hashes
    assert sod.cms.signed_attributes == Sod.parse(der).cms.signed_attributes


def test_encapsulated_content_in_chunks(pki: Pki) -> None:
    verified(make_sod(pki, options=SodOptions(chunked_content=True)))


def test_unsorted_signed_attributes_signed_as_sent(pki: Pki) -> None:
    verified(make_sod(pki, options=SodOptions(sorted_attributes=False)))


def test_id_data_as_content_type_like_china(pki: Pki) -> None:
    sod = verified(make_sod(pki, options=SodOptions(content_type=DATA_OID)))
    assert sod.data_group_hashes


def test_content_type_attribute_must_match(pki: Pki) -> None:
    options = SodOptions(attribute_content_type="2.23.136.1.1.2")  # says: a master list
    sod = Sod.parse(make_sod(pki, options=options))
    dsc = sod.document_signer()
    assert dsc is not None
    with pytest.raises(SignatureError, match="contentType attribute does not match"):
        sod.cms.verify(dsc.public_key.dump())


def deeply_nested(depth: int) -> bytes:
    inner = tlv(0x05, b"")
    for _ in range(depth):
        inner = tlv(0x30, inner)
    return inner


def test_deep_nesting_in_unsigned_attributes_is_ignored(pki: Pki) -> None:
    unsigned = attribute("1.2.3.4.5", deeply_nested(5000))
    sod = verified(make_sod(pki, options=SodOptions(unsigned_attributes=unsigned)))
    assert sod.data_group_hashes


def test_deep_nesting_in_signed_attributes_is_not_read(pki: Pki) -> None:
    # Validly signed, so it verifies; the nested values are never interpreted.
    options = SodOptions(
        signing_time=deeply_nested(5000),
        extra_signed_attributes=(attribute("1.2.3.4.6", deeply_nested(5000)),),
    )
    sod = verified(make_sod(pki, options=options))
    assert sod.cms.signing_time is None


def test_duplicate_message_digest_is_refused(pki: Pki) -> None:
    forged = attribute("1.2.840.113549.1.9.4", octets(b"\x00" * 48))
    with pytest.raises(SodError, match="appears twice"):
        Sod.parse(make_sod(pki, options=SodOptions(extra_signed_attributes=(forged,))))


def test_rsa_pss_signer_info_without_parameters_is_refused_not_a_crash() -> None:
    key = rsa_key(2048)
    signer = pss_default_signer(key, None)
    sod = Sod.parse(make_sod(make_pki(signer, signer)))
    dsc = sod.document_signer()
    assert dsc is not None
    with pytest.raises(SignatureError, match="must state its parameters"):
        sod.cms.verify(dsc.public_key.dump())


def test_usual_validity_in_utc(pki: Pki) -> None:
    assert certificate_validity(x509.Certificate.load(pki.dsc)) == (NOT_BEFORE, NOT_AFTER)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x77\x80" + b"\x30\x80" * 200 + b"\x00\x00" * 201, "nested too deeply"),
        (b"\x77\x80\x30\x80\x02\x01\x01", "without its end-of-contents"),
        (b"\x77\x80\x02\x80\x00\x00", "primitive"),
        (b"\x77\x80\x24\x80\x30\x00\x00\x00\x00\x00", "holds something else"),
        (b"\x77\x85\xff\xff\xff\xff\xff", "impossible length"),
    ],
    ids=["deep", "unterminated", "primitive indefinite", "odd chunk", "absurd length"],
)
def test_broken_ber_is_a_specific_sod_error(data: bytes, message: str) -> None:
    with pytest.raises(SodError, match=message):
        Sod.parse(data)
