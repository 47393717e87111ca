"""The Logical Data Structure of ICAO 9303 documents (Part 10) and the Vietnamese DG13.

Every ``parse_*`` entry point takes the file's bytes and raises only
:class:`reader.errors.ParseError` on malformed input; ``reader.lds.build`` writes the same files.
"""

from __future__ import annotations

from cccd_station.reader.lds.com import EfCom, parse_com
from cccd_station.reader.lds.details import (
    AdditionalDocumentDetails,
    AdditionalPersonalDetails,
    parse_dg11,
    parse_dg12,
)
from cccd_station.reader.lds.dg2 import FaceImage, parse_dg2
from cccd_station.reader.lds.dg13 import CardGeneration, RawField, VnCitizenDetails, parse_dg13
from cccd_station.reader.lds.files import (
    APPLICATION_FILES,
    DATA_GROUPS,
    EF_CARD_ACCESS,
    EF_COM,
    EF_SOD,
    LdsFile,
)
from cccd_station.reader.lds.holder import HolderRecord
from cccd_station.reader.lds.mrz import Mrz, check_digit, parse_dg1
from cccd_station.reader.lds.security_infos import (
    ActiveAuthenticationInfo,
    ChipAuthenticationInfo,
    ChipAuthenticationPublicKeyInfo,
    PaceDomainParameterInfo,
    PaceInfo,
    SecurityInfo,
    SecurityInfos,
    TerminalAuthenticationInfo,
    UnknownSecurityInfo,
    parse_card_access,
    parse_dg14,
    parse_dg15,
    parse_security_infos,
)

__all__ = [
    "APPLICATION_FILES",
    "DATA_GROUPS",
    "EF_CARD_ACCESS",
    "EF_COM",
    "EF_SOD",
    "ActiveAuthenticationInfo",
    "AdditionalDocumentDetails",
    "AdditionalPersonalDetails",
    "CardGeneration",
    "ChipAuthenticationInfo",
    "ChipAuthenticationPublicKeyInfo",
    "EfCom",
    "FaceImage",
    "HolderRecord",
    "LdsFile",
    "Mrz",
    "PaceDomainParameterInfo",
    "PaceInfo",
    "RawField",
    "SecurityInfo",
    "SecurityInfos",
    "TerminalAuthenticationInfo",
    "UnknownSecurityInfo",
    "VnCitizenDetails",
    "check_digit",
    "parse_card_access",
    "parse_com",
    "parse_dg1",
    "parse_dg2",
    "parse_dg11",
    "parse_dg12",
    "parse_dg13",
    "parse_dg14",
    "parse_dg15",
    "parse_security_infos",
]
