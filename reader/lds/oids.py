"""Object identifiers of ICAO 9303-11 §9.2 and BSI TR-03110-3 Appendix A.1.1 as dotted text."""

from __future__ import annotations

BSI_DE = "0.4.0.127.0.7"
ID_PK = BSI_DE + ".2.2.1"
ID_PK_DH = ID_PK + ".1"
ID_PK_ECDH = ID_PK + ".2"
ID_TA = BSI_DE + ".2.2.2"
ID_CA = BSI_DE + ".2.2.3"
ID_PACE = BSI_DE + ".2.2.4"

# Chip authentication: key agreement, then the cipher suite.
ID_CA_DH = ID_CA + ".1"
ID_CA_ECDH = ID_CA + ".2"
ID_CA_DH_3DES_CBC_CBC = ID_CA_DH + ".1"
ID_CA_DH_AES_CBC_CMAC_128 = ID_CA_DH + ".2"
ID_CA_DH_AES_CBC_CMAC_192 = ID_CA_DH + ".3"
ID_CA_DH_AES_CBC_CMAC_256 = ID_CA_DH + ".4"
ID_CA_ECDH_3DES_CBC_CBC = ID_CA_ECDH + ".1"
ID_CA_ECDH_AES_CBC_CMAC_128 = ID_CA_ECDH + ".2"
ID_CA_ECDH_AES_CBC_CMAC_192 = ID_CA_ECDH + ".3"
ID_CA_ECDH_AES_CBC_CMAC_256 = ID_CA_ECDH + ".4"

# PACE: key agreement and mapping, then the cipher suite.
ID_PACE_DH_GM = ID_PACE + ".1"
ID_PACE_ECDH_GM = ID_PACE + ".2"
ID_PACE_DH_IM = ID_PACE + ".3"
ID_PACE_ECDH_IM = ID_PACE + ".4"
ID_PACE_ECDH_CAM = ID_PACE + ".6"
ID_PACE_DH_GM_3DES_CBC_CBC = ID_PACE_DH_GM + ".1"
ID_PACE_DH_GM_AES_CBC_CMAC_128 = ID_PACE_DH_GM + ".2"
ID_PACE_DH_GM_AES_CBC_CMAC_192 = ID_PACE_DH_GM + ".3"
ID_PACE_DH_GM_AES_CBC_CMAC_256 = ID_PACE_DH_GM + ".4"
ID_PACE_ECDH_GM_3DES_CBC_CBC = ID_PACE_ECDH_GM + ".1"
ID_PACE_ECDH_GM_AES_CBC_CMAC_128 = ID_PACE_ECDH_GM + ".2"
ID_PACE_ECDH_GM_AES_CBC_CMAC_192 = ID_PACE_ECDH_GM + ".3"
ID_PACE_ECDH_GM_AES_CBC_CMAC_256 = ID_PACE_ECDH_GM + ".4"
ID_PACE_DH_IM_3DES_CBC_CBC = ID_PACE_DH_IM + ".1"
ID_PACE_DH_IM_AES_CBC_CMAC_128 = ID_PACE_DH_IM + ".2"
ID_PACE_DH_IM_AES_CBC_CMAC_192 = ID_PACE_DH_IM + ".3"
ID_PACE_DH_IM_AES_CBC_CMAC_256 = ID_PACE_DH_IM + ".4"
ID_PACE_ECDH_IM_3DES_CBC_CBC = ID_PACE_ECDH_IM + ".1"
ID_PACE_ECDH_IM_AES_CBC_CMAC_128 = ID_PACE_ECDH_IM + ".2"
ID_PACE_ECDH_IM_AES_CBC_CMAC_192 = ID_PACE_ECDH_IM + ".3"
ID_PACE_ECDH_IM_AES_CBC_CMAC_256 = ID_PACE_ECDH_IM + ".4"
ID_PACE_ECDH_CAM_AES_CBC_CMAC_128 = ID_PACE_ECDH_CAM + ".2"
ID_PACE_ECDH_CAM_AES_CBC_CMAC_192 = ID_PACE_ECDH_CAM + ".3"
ID_PACE_ECDH_CAM_AES_CBC_CMAC_256 = ID_PACE_ECDH_CAM + ".4"

# Active authentication (ICAO 9303-11 §9.2.7) and the ECDSA signature algorithms it names.
ID_AA = "2.23.136.1.1.5"
ECDSA_WITH_SHA1 = "1.2.840.10045.4.1"
ECDSA_WITH_SHA224 = "1.2.840.10045.4.3.1"
ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2"
ECDSA_WITH_SHA384 = "1.2.840.10045.4.3.3"
ECDSA_WITH_SHA512 = "1.2.840.10045.4.3.4"

# Vietnamese DG13 (ISO/IEC 10646 UTF-8 marker used by the CCCD chip).
VN_DG13_CONTENT = "1.0.10646.1.0.8"

# Key agreement, mapping and cipher of each protocol family, keyed by the OID without its suffix.
PACE_MAPPINGS: dict[str, tuple[str, str]] = {
    ID_PACE_DH_GM: ("DH", "GM"),
    ID_PACE_ECDH_GM: ("ECDH", "GM"),
    ID_PACE_DH_IM: ("DH", "IM"),
    ID_PACE_ECDH_IM: ("ECDH", "IM"),
    ID_PACE_ECDH_CAM: ("ECDH", "CAM"),
}
CA_KEY_AGREEMENTS: dict[str, str] = {ID_CA_DH: "DH", ID_CA_ECDH: "ECDH"}
# Last arc of a PACE or CA protocol OID -> (cipher, key length in bits).
CIPHER_SUITES: dict[int, tuple[str, int]] = {
    1: ("3DES", 112),
    2: ("AES", 128),
    3: ("AES", 192),
    4: ("AES", 256),
}

# Standardized domain parameters (ICAO 9303-11 §9.5.1): parameter ID -> name.
STANDARD_DOMAIN_PARAMETERS: dict[int, str] = {
    0: "MODP-1024-160",
    1: "MODP-2048-224",
    2: "MODP-2048-256",
    8: "secp192r1",
    9: "brainpoolP192r1",
    10: "secp224r1",
    11: "brainpoolP224r1",
    12: "secp256r1",
    13: "brainpoolP256r1",
    14: "brainpoolP320r1",
    15: "secp384r1",
    16: "brainpoolP384r1",
    17: "brainpoolP512r1",
    18: "secp521r1",
}
