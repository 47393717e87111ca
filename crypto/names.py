"""Comparing X.500 names as names, not as bytes (RFC 5280 §7.1, RFC 4518 §2).

Issuers write the same name with different string types (PrintableString in one place, UTF8String in
another), different case or spacing, and even with the RDNs in another order: a real Malaysian EF.SOD
names its signer's issuer in the SignerInfo with the RDNs of the certificate's issuer reordered. Names only
pick candidates here (a SignerInfo's certificate, a certificate's issuer, a CRL's CSCA); the signature
check that follows decides trust, so matching the set of RDNs rather than their sequence costs nothing.
"""

from __future__ import annotations

import unicodedata
from typing import ClassVar

from asn1crypto import core, x509

# Universal tag → codec of the string types a DirectoryString (and older issuers) use.
_STRING_CODECS = {
    12: "utf-8",  # UTF8String
    18: "ascii",  # NumericString
    19: "ascii",  # PrintableString
    20: "latin-1",  # T61String: in practice Latin-1, as asn1crypto also assumes
    22: "ascii",  # IA5String
    26: "ascii",  # VisibleString
    28: "utf-32-be",  # UniversalString
    30: "utf-16-be",  # BMPString
}


class _AttributeTypeAndValue(core.Sequence):
    """AttributeTypeAndValue with the value left unparsed, whatever its type (RFC 5280 §4.1.2.4)."""

    _fields: ClassVar = [("type", core.ObjectIdentifier), ("value", core.Any)]


class _RelativeName(core.SetOf):
    _child_spec = _AttributeTypeAndValue


class _RdnSequence(core.SequenceOf):
    _child_spec = _RelativeName


AttributeKey = tuple[str, str, str | bytes]
NameKey = tuple[tuple[AttributeKey, ...], ...]


def _prepared(text: str) -> str:
    """RFC 4518 in short: compatibility-normalised, case-folded, insignificant spaces removed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _attribute_key(attribute: _AttributeTypeAndValue) -> AttributeKey:
    kind = attribute["type"].dotted
    raw = attribute["value"].dump()
    value = core.Asn1Value.load(raw, strict=True)
    codec = _STRING_CODECS.get(value.tag) if value.class_ == 0 and value.method == 0 else None
    if codec is not None:
        try:
            return kind, "text", _prepared(value.contents.decode(codec))
        except UnicodeDecodeError:
            pass
    return kind, "der", raw


def name_key(name: x509.Name) -> NameKey:
    """A value equal for names that RFC 5280 §7.1 calls equal (up to RDN order); usable as a dict key.

    Raises ValueError for a name that does not parse."""
    try:
        sequence = _RdnSequence.load(name.chosen.dump(), strict=True)
        return tuple(
            sorted(tuple(sorted(_attribute_key(attribute) for attribute in rdn)) for rdn in sequence)
        )
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
        raise ValueError(f"the name does not parse: {exc}") from exc


def same_name(a: x509.Name, b: x509.Name) -> bool:
    """Whether two names are the same name (RFC 5280 §7.1): string types, case and runs of spaces do not
    matter, nor the order of the RDNs. A name that does not parse is the same as no other name."""
    try:
        return name_key(a) == name_key(b)
    except ValueError:
        return False
