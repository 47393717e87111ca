"""Where the comparison frame comes from: a webcam (OpenCV) or a still picture (tests, demos).

A frame lives in memory only: nothing here writes, logs or sends one.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any, Protocol

from PIL import Image

from cccd_station.station.face.engine import INSTALL_HINT, FaceError

CAMERA_ENV = "STATION_CAMERA"  # which camera: a device number, or a picture (demos, screenshots)
CAPTURE_WIDTH = 640
CAPTURE_HEIGHT = 480
FIRST_FRAME_TIMEOUT_S = 5.0
MAX_STILL_BYTES = 20_000_000


class CameraError(FaceError):
    """The camera cannot be opened or stopped giving pictures."""


class FrameSource(Protocol):
    """A camera: :meth:`start` opens it (raises :class:`CameraError`), :meth:`frame` is the newest
    picture (None before the first), :meth:`stop` closes it; :attr:`failure` says why it stopped
    giving pictures (unplugged), else None."""

    failure: str | None

    def start(self) -> None: ...

    def frame(self) -> Image.Image | None: ...

    def stop(self) -> None: ...


class FileCamera:
    """A still picture as the camera: every frame is that picture (loaded into memory on start)."""

    def __init__(self, picture: Path | Image.Image) -> None:
        self._picture = picture
        self._frame: Image.Image | None = None
        self.failure: str | None = None

    def start(self) -> None:
        if isinstance(self._picture, Image.Image):
            self._frame = self._picture.convert("RGB")
            return
        try:
            if self._picture.stat().st_size > MAX_STILL_BYTES:
                raise CameraError(f"the picture {self._picture.name} is too large for a camera frame")
            with Image.open(self._picture) as image:
                self._frame = image.convert("RGB")
        except OSError as error:
            raise CameraError(f"cannot open the picture {self._picture.name}: {error}") from error

    def frame(self) -> Image.Image | None:
        return self._frame

    def stop(self) -> None:
        self._frame = None


class OpenCvCamera:
    """A USB camera or webcam through OpenCV (``index``: 0 the first), or a video file OpenCV can
    play (tests); a thread keeps the newest frame."""

    def __init__(self, index: int | Path = 0) -> None:
        self.index = index
        self._capture: Any = None
        self._lock = threading.Lock()
        self._frame: Image.Image | None = None
        self._first = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.failure: str | None = None  # why the camera stopped giving pictures, if it did

    def start(self) -> None:
        try:
            import cv2
        except ImportError as error:
            raise CameraError(
                f"camera support is not installed: opencv is missing ({INSTALL_HINT})"
            ) from error

        capture = cv2.VideoCapture(self.index if isinstance(self.index, int) else str(self.index))
        if not capture.isOpened():
            capture.release()
            raise CameraError(f"camera {self.index} cannot be opened (is one connected and free?)")
        capture.set(cv2.CAP_PROP_FRAME_WIDTH, CAPTURE_WIDTH)
        capture.set(cv2.CAP_PROP_FRAME_HEIGHT, CAPTURE_HEIGHT)
        self._capture = capture
        self._stop.clear()
        self._first.clear()
        self.failure = None
        self._thread = threading.Thread(target=self._run, name="camera", daemon=True)
        self._thread.start()
        if not self._first.wait(FIRST_FRAME_TIMEOUT_S) or self.frame() is None:
            self.stop()
            raise CameraError(f"camera {self.index} gives no picture")

    def _run(self) -> None:
        import cv2

        while not self._stop.is_set():
            ok, pixels = self._capture.read()
            if not ok:
                self.failure = f"camera {self.index} stopped giving pictures"
                self._first.set()  # a camera that never gave one: start() need not wait any longer
                break
            frame = Image.fromarray(cv2.cvtColor(pixels, cv2.COLOR_BGR2RGB))
            with self._lock:
                self._frame = frame
            self._first.set()

    def frame(self) -> Image.Image | None:
        with self._lock:
            return self._frame

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(2.0)
            self._thread = None
        if self._capture is not None:
            self._capture.release()
            self._capture = None
        with self._lock:
            self._frame = None


def open_camera(spec: str = "") -> FrameSource:
    """The camera a station setting or ``$STATION_CAMERA`` names: empty or a number is that camera
    device (0 the first); anything else is the path of a picture shown as a still camera."""
    spec = spec.strip()
    if not spec:
        return OpenCvCamera(0)
    if spec.isdecimal():
        return OpenCvCamera(int(spec))
    return FileCamera(Path(spec))


def camera_from_environment() -> FrameSource:
    """The camera ``$STATION_CAMERA`` names (the first camera device when unset)."""
    return open_camera(os.environ.get(CAMERA_ENV, ""))
