"""The trust rule: how a certificate becomes a trust anchor, and every way a forger tried to get around it.

(a) an administrator's import here, (b) a master list signed under a CSCA already trusted, (c) a link
certificate signed by an anchor. Entries from the central database get (b) and (c) only.
"""

from __future__ import annotations

import pytest
from pki_builders import broken_signature, certificate, der, name

from cccd_station.crypto.passive import passive_authentication
from cccd_station.crypto.sod import CSCA_MASTER_LIST_OID
from cccd_station.crypto.truststore import (
    CscaMasterList,
    EntryKind,
    Origin,
    TrustFileError,
    TrustInput,
    anchors_from_files,
    evaluate,
    read_trust_file,
)
from cccd_station.crypto.verdict import DSC_CHAIN, CheckStatus
from cccd_station.reader.chip.pki import TESTPKI_DIR, Authority, sign_cms, sign_master_list, test_pki

ADMIN, CENTRAL = Origin.ADMINISTRATOR, Origin.CENTRAL


def entry(kind: EntryKind, data: bytes, origin: Origin = ADMIN) -> TrustInput:
    return TrustInput(kind, data, origin, "test")


def csca_vnm(origin: Origin = ADMIN) -> TrustInput:
    return entry(EntryKind.CSCA, test_pki().csca_vnm.der, origin)


def master_list(certificates: list, signer: object = None) -> bytes:
    return sign_master_list(certificates, signer)  # type: ignore[arg-type]


def test_an_administrators_csca_is_trusted_with_its_name_country_and_validity() -> None:
    state = evaluate([csca_vnm()])
    [decision] = state.decisions
    assert decision.accepted and decision.subject == "CSCA TEST VNM" and decision.country == "VN"
    assert decision.valid_until is not None and decision.valid_until.year == 2045
    assert [csca.subject.native["common_name"] for csca in state.anchors.cscas] == ["CSCA TEST VNM"]


def test_a_document_signer_certificate_is_not_a_csca() -> None:
    dsc = test_pki().signer("ds")
    [decision] = evaluate([entry(EntryKind.CSCA, dsc.der)]).decisions
    assert not decision.accepted and "not a CA certificate" in decision.reason


def test_a_csca_whose_self_signature_does_not_verify_is_refused() -> None:
    rogue = certificate("forged-root", name("CSCA FORGED", "VN"))
    [decision] = evaluate([entry(EntryKind.CSCA, broken_signature(rogue))]).decisions
    assert not decision.accepted and "self-signature" in decision.reason


def test_a_ca_without_certificate_signing_usage_is_refused() -> None:
    odd = certificate("no-cert-sign", name("CSCA NO SIGN", "VN"), key_usage="sign")
    [decision] = evaluate([entry(EntryKind.CSCA, der(odd))]).decisions
    assert not decision.accepted and "keyCertSign" in decision.reason


# -- item 1: a master list whose signer chains only to a CSCA inside the same list ------------------------


def rogue_master_list() -> tuple[bytes, Authority]:
    """An attacker's CSCA and a master-list signer under it, the CSCA listed in the list it signs."""
    rogue_csca = certificate("attacker-csca", name("CSCA VIETNAM", "VN"))
    rogue_signer = certificate(
        "attacker-mls",
        name("MLS VIETNAM", "VN"),
        rogue_csca,
        ca=False,
        key_usage="sign",
        master_list_signer=True,
    )
    listed = CscaMasterList({"version": 0, "certList": [_asn1(rogue_csca.certificate)]})
    data = sign_cms(CSCA_MASTER_LIST_OID, listed.dump(), rogue_signer, "sha256", extra_certificates=())
    return data, rogue_csca


def _asn1(cert: object) -> object:
    from asn1crypto import x509 as asn1_x509

    return asn1_x509.Certificate.load(der(cert))  # type: ignore[arg-type]


def test_a_master_list_signed_under_a_csca_it_lists_itself_is_refused() -> None:
    data, _rogue = rogue_master_list()
    state = evaluate([entry(EntryKind.MASTER_LIST, data)])
    [decision] = state.decisions
    assert not decision.accepted and "does not trust" in decision.reason
    assert state.anchors.cscas == ()


def test_a_forged_sod_under_the_rogue_master_lists_csca_is_not_verified() -> None:
    data, rogue_csca = rogue_master_list()
    anchors = evaluate([csca_vnm(), entry(EntryKind.MASTER_LIST, data)]).anchors
    forger_dsc = certificate("attacker-ds", name("DS VIETNAM", "VN"), rogue_csca, ca=False, key_usage="sign")
    from cccd_station.crypto.sod import LDS_SECURITY_OBJECT_OID, SOD_TAG, LdsSecurityObject

    content = LdsSecurityObject(
        {"version": 0, "hashAlgorithm": {"algorithm": "sha256"}, "dataGroupHashValues": []}
    ).dump()
    cms = sign_cms(LDS_SECURITY_OBJECT_OID, content, forger_dsc)
    sod = bytes([SOD_TAG, 0x82]) + len(cms).to_bytes(2, "big") + cms
    chain = passive_authentication(sod, {}, anchors, issuing_state="VNM").check(DSC_CHAIN)
    assert chain.status is CheckStatus.FAIL  # a Vietnamese signer outside Vietnam's trusted CSCAs


def test_a_master_list_signer_needs_the_master_list_signer_key_usage() -> None:
    vnm = test_pki().csca_vnm
    plain_signer = certificate("plain-signer", name("SIGNER", "VN"), vnm, ca=False, key_usage="sign")
    data = master_list([test_pki().csca_uto.certificate], plain_signer)
    [_vnm, decision] = evaluate([csca_vnm(), entry(EntryKind.MASTER_LIST, data)]).decisions
    assert not decision.accepted and "2.23.136.1.1.3" in decision.reason


def test_a_master_list_signed_under_a_trusted_csca_brings_its_cscas() -> None:
    data = (TESTPKI_DIR / "masterlist-test.ml").read_bytes()
    state = evaluate([csca_vnm(), entry(EntryKind.MASTER_LIST, data)])
    assert state.countries() == {"UT": 1, "VN": 1}
    members = [each for each in state.decisions if each.master_list]
    assert {each.subject for each in members} == {"CSCA TEST VNM", "CSCA TEST UTOPIA"}
    assert all(each.accepted for each in members)


def test_the_order_of_arrival_does_not_matter() -> None:
    data = (TESTPKI_DIR / "masterlist-test.ml").read_bytes()
    first = evaluate([entry(EntryKind.MASTER_LIST, data), csca_vnm()]).countries()
    assert (
        first == evaluate([csca_vnm(), entry(EntryKind.MASTER_LIST, data)]).countries() == {"UT": 1, "VN": 1}
    )


def test_a_damaged_master_list_is_refused() -> None:
    data = bytearray((TESTPKI_DIR / "masterlist-test.ml").read_bytes())
    data[-3] ^= 0x01
    [_vnm, decision] = evaluate([csca_vnm(), entry(EntryKind.MASTER_LIST, bytes(data))]).decisions
    assert not decision.accepted and "signature" in decision.reason


def test_each_refused_master_list_certificate_is_named_with_its_reason() -> None:
    vnm_ca = test_pki().csca_vnm
    not_a_ca = certificate("listed-dsc", name("NOT A CA", "UT"), vnm_ca, ca=False, key_usage="sign")
    data = master_list([test_pki().csca_uto.certificate, not_a_ca.certificate])
    state = evaluate([csca_vnm(), entry(EntryKind.MASTER_LIST, data)])
    refused = [each for each in state.decisions if each.master_list and not each.accepted]
    assert [(each.subject, "not a CA" in each.reason) for each in refused] == [("NOT A CA", True)]


# -- item 2: rows from the central database get no rule of their own --------------------------------------


def test_a_root_csca_from_central_is_not_trusted_by_itself() -> None:
    [decision] = evaluate([csca_vnm(CENTRAL)]).decisions
    assert not decision.accepted and "administrator imports it" in decision.reason


@pytest.mark.parametrize(
    "rogue",
    [
        lambda: broken_signature(certificate("central-bad-sig", name("CSCA ROGUE", "VN"))),
        lambda: der(test_pki().signer("ds")),  # not a CA
        lambda: der(
            certificate("central-rogue", name("CSCA ROGUE", "VN"))
        ),  # a valid root nobody imported here
    ],
    ids=["bad-self-signature", "not-a-ca", "unimported-root"],
)
def test_rogue_rows_from_central_never_become_anchors(rogue: object) -> None:
    state = evaluate([csca_vnm(), entry(EntryKind.CSCA, rogue(), CENTRAL)])  # type: ignore[operator]
    assert len(state.anchors.cscas) == 1
    assert len(state.refused()) == 1


def test_a_master_list_from_central_signed_under_an_anchor_here_is_taken() -> None:
    data = (TESTPKI_DIR / "masterlist-test.ml").read_bytes()
    assert evaluate([csca_vnm(), entry(EntryKind.MASTER_LIST, data, CENTRAL)]).countries() == {
        "UT": 1,
        "VN": 1,
    }
    assert evaluate([entry(EntryKind.MASTER_LIST, data, CENTRAL)]).anchors.cscas == ()


# -- (c) link certificates ----------------------------------------------------------------------------


def test_a_link_certificate_needs_its_old_csca() -> None:
    link = (TESTPKI_DIR / "csca-test-vnm-link.pem").read_bytes()
    [kind_der] = read_trust_file(link, "link.pem")
    alone = evaluate([entry(*kind_der)])
    assert not alone.decisions[0].accepted and "import that CSCA first" in alone.decisions[0].reason
    both = evaluate([entry(*kind_der, CENTRAL), csca_vnm()])
    assert all(decision.accepted for decision in both.decisions)
    assert len(both.anchors.cscas) == 2


# -- CRLs ---------------------------------------------------------------------------------------------


def test_a_crl_counts_only_when_its_trusted_csca_signed_it() -> None:
    crl = (TESTPKI_DIR / "crl-test-vnm.crl").read_bytes()
    assert evaluate([csca_vnm(), entry(EntryKind.CRL, crl)]).anchors.crls
    forged = bytearray(crl)
    forged[-3] ^= 0x01
    state = evaluate([csca_vnm(), entry(EntryKind.CRL, bytes(forged))])
    assert not state.anchors.crls and "does not verify" in state.refused()[0].reason
    without_csca = evaluate([entry(EntryKind.CRL, crl)])
    assert "import that CSCA first" in without_csca.refused()[0].reason


# -- files ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"hello",
        b"\x30\x82\x01\x00" + b"\x00" * 10,
        b"-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n",
    ],
)
def test_damaged_files_are_named(content: bytes) -> None:
    with pytest.raises(TrustFileError):
        read_trust_file(content, "broken.pem")


def test_a_pem_bundle_holds_several_entries() -> None:
    pki = test_pki()
    bundle = pki.csca_vnm.pem + pki.csca_uto.pem
    assert len(anchors_from_files([("bundle.pem", bundle)]).anchors.cscas) == 2


def test_a_flipped_byte_anywhere_in_a_csca_never_makes_an_anchor() -> None:
    data = test_pki().csca_vnm.der
    for position in range(0, len(data), 7):
        damaged = bytearray(data)
        damaged[position] ^= 0x01
        assert evaluate([entry(EntryKind.CSCA, bytes(damaged))]).anchors.cscas == (), position
