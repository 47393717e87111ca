"""The plain APDU channel: GET RESPONSE and wrong-Le retries, counting, and redacted traffic logs."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from cccd_station.reader.apdu import CommandApdu, ResponseApdu
from cccd_station.reader.errors import ChipDataError
from cccd_station.reader.transport import Transport

TRAFFIC = 5  # below DEBUG: one line per APDU
logging.addLevelName(TRAFFIC, "TRAFFIC")
log = logging.getLogger("reader.traffic")

INS_GET_RESPONSE = 0xC0
SW1_MORE_DATA = 0x61
SW1_WRONG_LE = 0x6C
CLA_SECURE_MESSAGING = 0x0C
MAX_RESPONSE_CHAIN = 256  # GET RESPONSE rounds before we call the card broken


class ApduSender(Protocol):
    """Anything that answers a command APDU: the plain channel or a secure-messaging session."""

    def transmit(self, cmd: CommandApdu) -> ResponseApdu: ...


@dataclass
class LinkStats:
    """APDUs and bytes of a session, as they crossed the reader (protected sizes under SM)."""

    apdus: int = 0
    bytes_sent: int = 0
    bytes_received: int = 0

    def snapshot(self) -> LinkStats:
        return LinkStats(self.apdus, self.bytes_sent, self.bytes_received)

    def since(self, earlier: LinkStats) -> LinkStats:
        return LinkStats(
            self.apdus - earlier.apdus,
            self.bytes_sent - earlier.bytes_sent,
            self.bytes_received - earlier.bytes_received,
        )


class CardChannel:
    """Sends plain APDUs over a transport, counting every exchange in ``stats``."""

    def __init__(self, transport: Transport, stats: LinkStats | None = None) -> None:
        self.transport = transport
        self.stats = stats if stats is not None else LinkStats()

    def _exchange(self, raw: bytes) -> tuple[bytes, int]:
        self.stats.apdus += 1
        self.stats.bytes_sent += len(raw)
        if log.isEnabledFor(TRAFFIC):
            # Header and sizes only: command data may hold keys or passwords.
            log.log(TRAFFIC, "> %s +%d bytes", raw[:4].hex(" ").upper(), len(raw) - 4)
        data, sw = self.transport.transmit(raw)
        self.stats.bytes_received += len(data) + 2
        if log.isEnabledFor(TRAFFIC):
            log.log(TRAFFIC, "< %d bytes %04X", len(data), sw)  # file contents are personal data
        return data, sw

    def transmit(self, cmd: CommandApdu) -> ResponseApdu:
        data, sw = self._exchange(cmd.to_bytes())
        if sw >> 8 == SW1_WRONG_LE and not cmd.cla & CLA_SECURE_MESSAGING:
            # The card tells the exact Le it wants: repeat once. A protected command cannot be
            # repeated (its MAC covers the counter), so that case goes up to the file reader.
            retry = CommandApdu(cmd.cla, cmd.ins, cmd.p1, cmd.p2, cmd.data, (sw & 0xFF) or 256)
            data, sw = self._exchange(retry.to_bytes())
        chunks = [data]
        for _ in range(MAX_RESPONSE_CHAIN):
            if sw >> 8 != SW1_MORE_DATA:
                return ResponseApdu(b"".join(chunks), sw)
            get_response = CommandApdu(cmd.cla & 0x03, INS_GET_RESPONSE, 0, 0, ne=(sw & 0xFF) or 256)
            data, sw = self._exchange(get_response.to_bytes())
            chunks.append(data)
        raise ChipDataError("the card keeps announcing more response data")
