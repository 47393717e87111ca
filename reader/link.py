"""A model of the contactless link, to tell how long a read would take on a real reader.

ISO/IEC 14443 moves 106 to 848 kbit/s; each byte costs about nine bit times with its framing,
and each APDU a fixed turnaround (frame waiting, chip processing, reader and PC/SC overhead).
"""

from __future__ import annotations

from dataclasses import dataclass

from cccd_station.reader.channel import LinkStats

BIT_RATES = (106_000, 212_000, 424_000, 848_000)


@dataclass(frozen=True)
class LinkModel:
    bit_rate: int = 424_000
    apdu_latency: float = 0.006  # seconds per exchange beyond the bytes themselves
    bits_per_byte: float = 9.0

    def seconds(self, stats: LinkStats) -> float:
        bits = (stats.bytes_sent + stats.bytes_received) * self.bits_per_byte
        return stats.apdus * self.apdu_latency + bits / self.bit_rate
