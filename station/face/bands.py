"""The comparison's answer in plain language: three bands of the distance between two faces.

The station recommends, the clerk decides: a band is never a refusal. The thresholds are station
settings (an administrator's); their defaults and how they were chosen are in db/settings.py and the
README ("Face comparison").
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from cccd_station.db.settings import (
    DEFAULT_FACE_DIFFERENT_FROM,
    DEFAULT_FACE_SAME_BELOW,
    MAX_FACE_DISTANCE,
    StationSettings,
)


class Band(StrEnum):
    """What the clerk is told (the value is the token the audit trail and the local API carry)."""

    VERY_LIKELY_SAME = "very_likely_same"  # "rất giống"
    LOOK_CAREFULLY = "look_carefully"  # "cần xem kỹ"
    LIKELY_DIFFERENT = "likely_different"  # "khác người"


@dataclass(frozen=True)
class FaceThresholds:
    """Distances below ``same_below`` are very likely the same person; from ``different_from`` on,
    likely a different person; in between, the clerk should look carefully."""

    same_below: float = DEFAULT_FACE_SAME_BELOW
    different_from: float = DEFAULT_FACE_DIFFERENT_FROM

    def __post_init__(self) -> None:
        if not 0.0 < self.same_below <= self.different_from < MAX_FACE_DISTANCE:
            raise ValueError(
                f"face thresholds must satisfy 0 < same_below <= different_from < {MAX_FACE_DISTANCE}"
            )

    @classmethod
    def from_settings(cls, settings: StationSettings) -> FaceThresholds:
        return cls(settings.face_same_below, settings.face_different_from)


def band_for(distance: float, thresholds: FaceThresholds) -> Band:
    """The band of a face distance; a distance that is not a number is never "the same person"."""
    if math.isnan(distance) or distance >= thresholds.different_from:
        return Band.LIKELY_DIFFERENT
    if distance < thresholds.same_below:
        return Band.VERY_LIKELY_SAME
    return Band.LOOK_CAREFULLY
