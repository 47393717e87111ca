"""Trust store: importing CSCAs, CRLs and master lists, persistence, and refusal of bad files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from cccd_station.crypto.truststore import (
    CorruptFileError,
    CrlError,
    EntryKind,
    MasterListError,
    NotACaError,
    TrustStore,
    TrustStoreError,
    UnchainedLinkError,
)
from cccd_station.reader.chip.pki import TESTPKI_DIR, sign_master_list, test_pki

CSCA_PEM = TESTPKI_DIR / "csca-test-vnm.pem"


def test_import_pem_lists_the_csca_and_survives_a_restart(tmp_path: Path) -> None:
    store = TrustStore(tmp_path)
    [entry] = store.import_path(CSCA_PEM)
    assert entry.kind is EntryKind.CSCA
    assert "CSCA TEST VNM" in entry.subject and entry.country == "VN"
    assert entry.source == "csca-test-vnm.pem"
    assert (
        entry.key_id
        == test_pki()
        .csca_vnm.certificate.extensions.get_extension_for_class(
            __import__("cryptography").x509.SubjectKeyIdentifier
        )
        .value.digest
    )
    assert entry.valid_from.year == 2024 and entry.valid_until is not None and entry.valid_until.year == 2045
    reopened = TrustStore(tmp_path)
    [again] = reopened.entries()
    assert again.der == entry.der and again.imported_at == entry.imported_at and again.source == entry.source


def test_der_file_and_folder_import(tmp_path: Path) -> None:
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "vnm.der").write_bytes(test_pki().csca_vnm.der)
    shutil.copy(TESTPKI_DIR / "csca-test-utopia.pem", folder)
    shutil.copy(TESTPKI_DIR / "crl-test-vnm.crl", folder)
    (folder / "notes.txt").write_text("ignored")
    store = TrustStore(tmp_path / "store")
    imported = store.import_path(folder)
    assert sorted(entry.kind for entry in imported) == [EntryKind.CRL, EntryKind.CSCA, EntryKind.CSCA]
    assert {entry.country for entry in store.entries()} == {"VN", "UT"}


def test_importing_twice_keeps_one_entry(tmp_path: Path) -> None:
    store = TrustStore(tmp_path)
    store.import_path(CSCA_PEM)
    store.import_path(CSCA_PEM)
    assert len(store.entries()) == 1


def test_remove_forgets_the_entry_for_good(tmp_path: Path) -> None:
    store = TrustStore(tmp_path)
    [entry] = store.import_path(CSCA_PEM)
    assert store.remove(entry.fingerprint)
    assert not store.remove(entry.fingerprint)
    assert TrustStore(tmp_path).entries() == []


def test_document_signer_certificate_is_refused_as_not_a_ca(tmp_path: Path) -> None:
    with pytest.raises(NotACaError, match="DS TEST VNM 01"):
        TrustStore(tmp_path).import_path(TESTPKI_DIR / "dsc-test-vnm-01.pem")


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"hello",
        b"\x30\x82\x01\x00" + b"\x00" * 10,
        b"-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n",
    ],
)
def test_corrupt_files_are_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "broken.pem"
    path.write_bytes(content)
    with pytest.raises(CorruptFileError):
        TrustStore(tmp_path / "store").import_path(path)


def test_csca_with_a_broken_self_signature_is_refused(tmp_path: Path) -> None:
    der = bytearray(test_pki().csca_vnm.der)
    der[-5] ^= 0x01
    with pytest.raises(CorruptFileError):
        TrustStore(tmp_path).import_bytes(bytes(der), "tampered.der")


def test_crl_that_its_known_csca_did_not_sign_is_refused(tmp_path: Path) -> None:
    store = TrustStore(tmp_path)
    store.import_path(CSCA_PEM)
    crl = bytearray((TESTPKI_DIR / "crl-test-vnm.crl").read_bytes())
    crl[-3] ^= 0x01
    with pytest.raises(CrlError):
        store.import_bytes(bytes(crl), "forged.crl")
    [entry] = store.import_path(TESTPKI_DIR / "crl-test-vnm.crl")
    assert entry.kind is EntryKind.CRL and "CSCA TEST VNM" in entry.subject


def test_master_list_import_brings_its_cscas(tmp_path: Path) -> None:
    store = TrustStore(tmp_path)
    imported = store.import_path(TESTPKI_DIR / "masterlist-test.ml")
    assert sorted(entry.country or "" for entry in imported) == ["UT", "VN"]
    assert all(entry.source == "masterlist-test.ml" for entry in imported)


def test_master_list_with_a_broken_signature_is_refused(tmp_path: Path) -> None:
    data = bytearray((TESTPKI_DIR / "masterlist-test.ml").read_bytes())
    data[-3] ^= 0x01
    with pytest.raises(MasterListError, match="signature"):
        TrustStore(tmp_path).import_bytes(bytes(data), "tampered.ml")
    assert TrustStore(tmp_path).entries() == []


def test_master_list_whose_signer_chains_to_no_known_csca_is_refused(tmp_path: Path) -> None:
    pki = test_pki()
    # Signed by a DSC of the unknown CSCA, which is neither in the list nor trusted.
    data = sign_master_list([pki.csca_uto.certificate], signer=pki.signer("ds-unknown"))
    with pytest.raises(MasterListError, match="does not chain"):
        TrustStore(tmp_path).import_bytes(data, "rogue.ml")


def test_master_list_signer_may_chain_to_an_already_trusted_csca(tmp_path: Path) -> None:
    store = TrustStore(tmp_path)
    store.import_path(CSCA_PEM)
    data = sign_master_list([test_pki().csca_uto.certificate])  # signed under CSCA TEST VNM, not listed
    [entry] = store.import_bytes(data, "utopia.ml")
    assert entry.country == "UT"


def test_pem_bundle_with_several_certificates(tmp_path: Path) -> None:
    pki = test_pki()
    bundle = pki.csca_vnm.pem + pki.csca_uto.certificate.public_bytes(serialization.Encoding.PEM)
    assert len(TrustStore(tmp_path).import_bytes(bundle, "bundle.pem")) == 2


def test_entries_mirrored_from_the_database_keep_their_source_and_time(tmp_path: Path) -> None:
    original = TrustStore(tmp_path / "a")
    [entry] = original.import_path(CSCA_PEM)
    mirror = TrustStore(tmp_path / "b")
    copied = mirror.add_entry(entry.kind, entry.der, "central", entry.imported_at)
    assert (copied.fingerprint, copied.source, copied.imported_at) == (
        entry.fingerprint,
        "central",
        entry.imported_at,
    )


def test_damaged_index_is_reported(tmp_path: Path) -> None:
    TrustStore(tmp_path).import_path(CSCA_PEM)
    (tmp_path / "index.json").write_text("{not json")
    with pytest.raises(CorruptFileError):
        TrustStore(tmp_path)


def test_link_certificate_needs_its_old_csca_first(tmp_path: Path) -> None:
    store = TrustStore(tmp_path)
    with pytest.raises(UnchainedLinkError, match="import that CSCA first"):
        store.import_path(TESTPKI_DIR / "csca-test-vnm-link.pem")
    store.import_path(CSCA_PEM)
    [entry] = store.import_path(TESTPKI_DIR / "csca-test-vnm-link.pem")
    assert (
        entry.key_id
        == test_pki()
        .csca_vnm_new.certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
        .value.digest
    )


def test_folder_import_takes_the_link_certificate_after_its_root_whatever_the_names(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(TESTPKI_DIR / "csca-test-vnm-link.pem", folder / "a-link.pem")
    shutil.copy(CSCA_PEM, folder / "z-root.pem")
    imported = TrustStore(tmp_path / "store").import_path(folder)
    assert len(imported) == 2


def test_master_list_with_a_link_certificate(tmp_path: Path) -> None:
    pki = test_pki()
    data = sign_master_list([pki.csca_vnm_link, pki.csca_vnm.certificate])
    assert len(TrustStore(tmp_path).import_bytes(data, "rollover.ml")) == 2


def test_flipped_byte_in_a_csca_is_never_trusted(tmp_path: Path) -> None:
    der = test_pki().csca_vnm.der
    for position in range(0, len(der), 7):
        damaged = bytearray(der)
        damaged[position] ^= 0x01
        with pytest.raises(TrustStoreError):
            TrustStore(tmp_path / str(position)).import_bytes(bytes(damaged), "damaged.der")
