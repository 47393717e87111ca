"""The chip portrait of the holder on screen against frames from the camera."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from PIL import Image

from cccd_station.station.face.bands import Band, FaceThresholds, band_for
from cccd_station.station.face.engine import FaceEmbedding, FaceEngine, FaceError


@dataclass(frozen=True)
class FaceComparison:
    """One comparison's answer: the band, the distance it came from, how many faces the frame held
    (the largest was compared) and how long the frame took, in seconds."""

    band: Band
    distance: float
    faces_in_frame: int
    seconds: float


class NoPortraitError(FaceError):
    def __init__(self) -> None:
        super().__init__("no chip portrait to compare with")


class FaceMatcher:
    """Holds the embedding of one chip portrait until :meth:`clear` (the screen's auto-clear).

    :meth:`set_portrait` runs when the camera starts, so that a key press costs only the frame's
    detection and embedding. Safe to call from any thread.
    """

    def __init__(self, engine: FaceEngine) -> None:
        self._engine = engine
        self._lock = threading.Lock()
        self._portrait: FaceEmbedding | None = None

    @property
    def has_portrait(self) -> bool:
        with self._lock:
            return self._portrait is not None

    def set_portrait(self, portrait: Image.Image) -> None:
        """Embed the chip portrait; raises :class:`NoFaceError` ("portrait") when it shows no face."""
        embedding = self._engine.embed(portrait, "portrait")
        with self._lock:
            self._portrait = embedding

    def compare(self, frame: Image.Image, thresholds: FaceThresholds) -> FaceComparison:
        """The frame's largest face against the portrait; raises :class:`NoFaceError` ("frame") or
        :class:`NoPortraitError`."""
        started = time.perf_counter()
        with self._lock:
            portrait = self._portrait
        if portrait is None:
            raise NoPortraitError
        embedding = self._engine.embed(frame, "frame")
        distance = portrait.distance(embedding)
        return FaceComparison(
            band_for(distance, thresholds), distance, embedding.faces, time.perf_counter() - started
        )

    def clear(self) -> None:
        """Forget the portrait (the holder left the screen)."""
        with self._lock:
            self._portrait = None
