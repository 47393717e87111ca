"""Is the person at the counter the card's holder? Offline face comparison with the chip portrait.

Qt-free and optional: the models come with the ``face`` extra (``pip install 'cccd-station[face]'``);
without it :func:`unavailable_reason` says so and front ends hide the feature. Nothing here writes,
logs or sends a face: frames, portraits and embeddings live in memory only, and what leaves this
package is a :class:`Band` (and the distance behind it, for the screen).

- :mod:`.bands`: the three plain-language bands and their thresholds (station settings);
- :mod:`.engine`: face detection, alignment and embeddings (dlib's HOG detector, 5-point landmarks
  and ResNet embedding, the models of ``face-recognition-models``);
- :mod:`.matcher`: the chip portrait of the holder on screen against camera frames;
- :mod:`.camera`: frame sources (a webcam through OpenCV, or a still picture for tests and demos).
"""

from __future__ import annotations

from cccd_station.station.face.bands import Band, FaceThresholds, band_for
from cccd_station.station.face.camera import (
    CAMERA_ENV,
    CameraError,
    FileCamera,
    FrameSource,
    OpenCvCamera,
    camera_from_environment,
    open_camera,
)
from cccd_station.station.face.engine import (
    FaceEmbedding,
    FaceEngine,
    FaceError,
    FaceUnavailableError,
    NoFaceError,
    load_engine,
    unavailable_reason,
)
from cccd_station.station.face.matcher import FaceComparison, FaceMatcher, NoPortraitError

__all__ = [
    "CAMERA_ENV",
    "Band",
    "CameraError",
    "FaceComparison",
    "FaceEmbedding",
    "FaceEngine",
    "FaceError",
    "FaceMatcher",
    "FaceThresholds",
    "FaceUnavailableError",
    "FileCamera",
    "FrameSource",
    "NoFaceError",
    "NoPortraitError",
    "OpenCvCamera",
    "band_for",
    "camera_from_environment",
    "load_engine",
    "open_camera",
    "unavailable_reason",
]
