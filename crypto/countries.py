"""Issuing states as the MRZ writes them (ICAO 9303-3 §5) and as certificates do (ISO 3166 alpha-2)."""

from __future__ import annotations

import pycountry

# Codes of ICAO 9303-3 §5 that are not ISO 3166-1 alpha-3, by the alpha-2 code their certificates carry.
ICAO_CODES = {
    "D": "DE",  # Germany writes D<< in the MRZ
    "GBD": "GB",  # British Overseas Territories citizen
    "GBN": "GB",  # British National (Overseas)
    "GBO": "GB",  # British Overseas citizen
    "GBP": "GB",  # British protected person
    "GBS": "GB",  # British subject
    "EUE": "EU",  # European Union laissez-passer
    "UNO": "UN",  # United Nations organisation and its agencies
    "UNA": "UN",
    "UNK": "XK",  # Kosovo, documents issued under UNMIK
    "RKS": "XK",  # Kosovo
    "UTO": "UT",  # Utopia, ICAO's specimen state (the test documents use it)
}


def certificate_country(issuing_state: str) -> str | None:
    """The two-letter code a document signer of ``issuing_state`` (e.g. "VNM", "D") has in its name."""
    code = issuing_state.replace("<", "").upper()
    if code in ICAO_CODES:
        return ICAO_CODES[code]
    country = pycountry.countries.get(alpha_3=code) if len(code) == 3 else None
    return str(country.alpha_2) if country is not None else None
