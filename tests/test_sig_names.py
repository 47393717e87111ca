"""Names compared as names (RFC 5280 §7.1): string types, case, spaces and RDN order, and the
SignerInfo's sid finding its certificate however the issuer wrote it."""

from __future__ import annotations

import pytest
from asn1crypto import x509
from sigkit import (
    BMP,
    IA5,
    PRINTABLE,
    T61,
    UNIVERSAL,
    UTF8,
    VISIBLE,
    EcKey,
    Signer,
    SodOptions,
    certificate,
    ec_spki,
    integer,
    make_pki,
    make_sod,
    name,
    oid,
    seq,
    set_of,
    simple_name,
)

from cccd_station.crypto.ecc import named_ec_domain
from cccd_station.crypto.names import name_key, same_name
from cccd_station.crypto.sod import Sod

MALAYSIA_LIKE = [
    ("C", "MY", PRINTABLE),
    ("ST", "WP", UTF8),
    ("L", "Putrajaya", UTF8),
    ("O", "Jabatan Imigresen TEST", UTF8),
    ("OU", "Bahagian Keselamatan TEST", UTF8),
    ("CN", "Country Signer TEST", UTF8),
]


def as_name(der: bytes) -> x509.Name:
    return x509.Name.load(der)


@pytest.mark.parametrize("tag", [PRINTABLE, T61, BMP, UNIVERSAL, IA5, VISIBLE])
def test_string_types_do_not_matter(tag: int) -> None:
    utf8 = as_name(name(("C", "VN", PRINTABLE), ("CN", "CSCA TEST", UTF8)))
    other = as_name(name(("C", "VN", tag if tag != T61 else PRINTABLE), ("CN", "CSCA TEST", tag)))
    assert same_name(utf8, other)


def test_case_and_insignificant_spaces_do_not_matter() -> None:
    a = as_name(name(("C", "VN", PRINTABLE), ("CN", "Bo Cong an  TEST", UTF8)))
    b = as_name(name(("C", "vn", PRINTABLE), ("CN", " bo cong AN test ", BMP)))
    assert same_name(a, b)


def test_rdn_order_does_not_matter_but_content_does() -> None:
    forward = as_name(name(*MALAYSIA_LIKE))
    backward = as_name(name(*reversed(MALAYSIA_LIKE)))
    assert same_name(forward, backward)
    assert not same_name(forward, as_name(name(*MALAYSIA_LIKE[:-1])))
    assert not same_name(forward, as_name(name(*MALAYSIA_LIKE[:-1], ("CN", "Country Signer TEST 2", UTF8))))
    # The same attributes grouped differently are another name.
    grouped = as_name(name([MALAYSIA_LIKE[0], MALAYSIA_LIKE[1]], *MALAYSIA_LIKE[2:]))
    assert not same_name(forward, grouped)


def test_multi_valued_rdn_members_in_any_order() -> None:
    a = as_name(name([("O", "Org", UTF8), ("OU", "Unit", UTF8)], ("CN", "X", UTF8)))
    b = as_name(name([("OU", "unit", PRINTABLE), ("O", "ORG", UTF8)], ("CN", "x", UTF8)))
    assert same_name(a, b)


def test_t61_latin1_equals_utf8() -> None:
    assert same_name(as_name(name(("CN", "Tëst", T61))), as_name(name(("CN", "Tëst", UTF8))))


def test_names_asn1crypto_refuses_to_compare_are_compared() -> None:
    # Private-use characters and attribute types asn1crypto does not know make its __eq__ raise.
    private = as_name(name(("CN", "TEST \ue000", UTF8)))
    assert same_name(private, as_name(name(("CN", "test \ue000", BMP))))
    odd = as_name(seq(set_of(seq(oid("1.2.3.4"), seq(integer(1))))))
    assert same_name(odd, as_name(seq(set_of(seq(oid("1.2.3.4"), seq(integer(1)))))))
    assert not same_name(odd, as_name(seq(set_of(seq(oid("1.2.3.4"), seq(integer(2)))))))


def test_a_name_that_does_not_parse_matches_nothing() -> None:
    broken = x509.Name.load(b"\x30\x03\x31\x01\x00")
    assert not same_name(broken, broken)
    with pytest.raises(ValueError):
        name_key(broken)


def test_name_key_is_a_dictionary_key() -> None:
    index = {name_key(as_name(name(*MALAYSIA_LIKE))): "csca"}
    assert index[name_key(as_name(name(*reversed(MALAYSIA_LIKE))))] == "csca"


@pytest.fixture(scope="module")
def ec_key() -> EcKey:
    return EcKey.generate(named_ec_domain("brainpoolp256r1"))


@pytest.fixture(scope="module")
def ec_signer(ec_key: EcKey) -> Signer:
    return Signer(ec_key)


def signer_of(sod_bytes: bytes) -> x509.Certificate | None:
    sod = Sod.parse(sod_bytes)
    dsc = sod.document_signer()
    if dsc is not None:
        sod.cms.verify(dsc.public_key.dump())
    return dsc


def test_sid_with_reordered_rdns_and_other_string_types_finds_the_dsc(ec_signer: Signer) -> None:
    """A real Malaysian EF.SOD writes its sid's issuer with the certificate's RDNs in another order."""
    pki = make_pki(ec_signer, ec_signer)
    reordered = name(("CN", "csca test", BMP), ("O", "BO CONG AN TEST", BMP), ("C", "VN", UTF8))
    dsc = signer_of(make_sod(pki, options=SodOptions(sid_issuer=reordered)))
    assert dsc is not None and dsc.serial_number == pki.dsc_serial


def test_sid_naming_another_issuer_finds_no_dsc(ec_signer: Signer) -> None:
    pki = make_pki(ec_signer, ec_signer)
    assert signer_of(make_sod(pki, options=SodOptions(sid_issuer=simple_name("OTHER CSCA")))) is None


def test_several_certificates_the_sid_picks_its_own(ec_signer: Signer) -> None:
    pki = make_pki(ec_signer, ec_signer)
    other_key = EcKey.generate(named_ec_domain("brainpoolp256r1"))
    decoy = certificate(
        simple_name("DS DECOY"), pki.dsc_issuer, ec_spki(other_key), ec_signer, serial=pki.dsc_serial + 1
    )
    for sid in ("issuer_and_serial", "key_id"):
        options = SodOptions(sid=sid, certificates_first=(decoy,), extra_certificates=(pki.csca,))
        dsc = signer_of(make_sod(pki, options=options))
        assert dsc is not None and dsc.dump() == pki.dsc


def test_sid_by_key_identifier_when_the_dsc_has_no_extension(ec_key: EcKey, ec_signer: Signer) -> None:
    pki = make_pki(ec_signer, ec_signer)
    bare = certificate(
        simple_name("DS TEST"),
        pki.dsc_issuer,
        ec_spki(ec_key),
        ec_signer,
        serial=pki.dsc_serial,
        with_key_id=False,
    )
    bare_pki = type(pki)(pki.csca, pki.csca_signer, bare, pki.dsc_signer, pki.dsc_issuer, pki.dsc_serial)
    dsc = signer_of(make_sod(bare_pki, options=SodOptions(sid="key_id")))
    assert dsc is not None and dsc.key_identifier is None


def test_names_in_a_visible_string_do_not_break_the_sid(ec_signer: Signer) -> None:
    pki = make_pki(ec_signer, ec_signer)
    visible = name(("C", "VN", PRINTABLE), ("O", "Bo Cong an TEST", VISIBLE), ("CN", "CSCA TEST", VISIBLE))
    assert signer_of(make_sod(pki, options=SodOptions(sid_issuer=visible))) is not None
