"""Face detection, alignment and embeddings, offline, with dlib and the models of face-recognition-models.

- detection: dlib's HOG frontal-face detector (built into dlib, no model file); the largest face counts;
- alignment: the 5-point landmark model, which dlib uses to cut a 150x150 face chip upright;
- embedding: dlib's ResNet face recognition model v1, a 128-number vector per face. Two photographs of
  one person lie close together (Euclidean distance); the model's published figure is 99.38 % on the
  LFW benchmark at distance 0.6.

Both model files ship inside the ``face-recognition-models`` package: nothing is downloaded at run
time. That package's own ``__init__`` imports ``pkg_resources`` (gone from recent setuptools), so its
folder is found with :func:`importlib.util.find_spec`, which does not run it.
"""

from __future__ import annotations

import importlib.util
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from PIL import Image

if TYPE_CHECKING:
    import numpy as np

INSTALL_HINT = "pip install 'cccd-station[face]'"
EXTRA_MODULES = ("numpy", "dlib", "face_recognition_models")
LANDMARK_MODEL = "shape_predictor_5_face_landmarks.dat"
EMBEDDING_MODEL = "dlib_face_recognition_resnet_model_v1.dat"

# Larger pictures are scaled down first: a face at the counter stays far above the detector's
# minimum (about 80 pixels) and detection time grows with the pixels.
MAX_SIDE = 800
# Smaller pictures (a chip portrait is often 240x320 or less) are searched again at twice and four
# times the size when no face is found at first.
UPSAMPLE_BELOW_SIDE = 400
MAX_UPSAMPLE = 2

Where = Literal["portrait", "frame"]


class FaceError(Exception):
    """The face comparison could not give a band."""


class FaceUnavailableError(FaceError):
    """The ``face`` extra (or one of its model files) is not installed."""


class NoFaceError(FaceError):
    """No face was found in the chip portrait or in the camera frame."""

    def __init__(self, where: Where) -> None:
        self.where = where
        what = "the chip portrait" if where == "portrait" else "the camera picture"
        super().__init__(f"no face found in {what}")


@dataclass(frozen=True, repr=False)
class FaceEmbedding:
    """The 128 numbers of one face, and how many faces the picture held (the largest was taken)."""

    vector: np.ndarray = field(compare=False)
    faces: int = 1

    def __repr__(self) -> str:  # the vector describes a person's face: never in a log
        return f"FaceEmbedding(faces={self.faces})"

    def distance(self, other: FaceEmbedding) -> float:
        import numpy as np

        return float(np.linalg.norm(self.vector - other.vector))


class FaceEngine(Protocol):
    """Turns a picture into the embedding of its largest face (raises :class:`NoFaceError`)."""

    def embed(self, image: Image.Image, where: Where) -> FaceEmbedding: ...


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # a broken or blocked install
        return False


def models_folder() -> Path | None:
    if not _installed("face_recognition_models"):
        return None
    spec = importlib.util.find_spec("face_recognition_models")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "models"


def unavailable_reason() -> str | None:
    """None when face comparison can run here; otherwise why not (without loading anything heavy)."""
    for module in EXTRA_MODULES:
        if not _installed(module):
            return f"face comparison is not installed: {module} is missing ({INSTALL_HINT})"
    folder = models_folder()
    for name in (LANDMARK_MODEL, EMBEDDING_MODEL):
        if folder is None or not (folder / name).is_file():
            return f"face comparison is not installed: the model {name} is missing ({INSTALL_HINT})"
    return None


def load_engine() -> FaceEngine:
    """The dlib engine with its models loaded (about half a second, some 40 MB of memory);
    raises :class:`FaceUnavailableError` when the extra is missing."""
    reason = unavailable_reason()
    if reason is not None:
        raise FaceUnavailableError(reason)
    folder = models_folder()
    assert folder is not None
    try:
        return DlibEngine(folder)
    except (ImportError, RuntimeError) as error:  # a broken install, an unreadable model file
        raise FaceUnavailableError(f"face comparison cannot start: {error}") from error


def _scaled_rgb(image: Image.Image) -> Image.Image:
    rgb = image.convert("RGB")
    if max(rgb.size) > MAX_SIDE:
        rgb = rgb.copy()
        rgb.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.BILINEAR)
    return rgb


class DlibEngine:
    """HOG detection, 5-point alignment and ResNet embedding (dlib); one picture at a time."""

    def __init__(self, models: Path) -> None:
        import dlib

        self._dlib: Any = dlib
        self._detector = dlib.get_frontal_face_detector()
        self._landmarks = dlib.shape_predictor(str(models / LANDMARK_MODEL))
        self._embedder = dlib.face_recognition_model_v1(str(models / EMBEDDING_MODEL))
        self._lock = threading.Lock()  # dlib's objects are not documented as thread-safe

    def embed(self, image: Image.Image, where: Where) -> FaceEmbedding:
        import numpy as np

        pixels = np.asarray(_scaled_rgb(image))
        with self._lock:
            faces = self._detect(pixels)
            if not faces:
                raise NoFaceError(where)
            largest = max(faces, key=lambda face: face.area())
            shape = self._landmarks(pixels, largest)
            vector = np.array(self._embedder.compute_face_descriptor(pixels, shape, 0))
        return FaceEmbedding(vector, len(faces))

    def _detect(self, pixels: np.ndarray) -> list[Any]:
        shorter = min(pixels.shape[0], pixels.shape[1])
        faces: list[Any] = []
        for upsample in range(MAX_UPSAMPLE + 1):
            if upsample and shorter * 2 ** (upsample - 1) >= UPSAMPLE_BELOW_SIDE:
                break
            faces = list(self._detector(pixels, upsample))
            if faces:
                break
        return faces
