"""Is the person at the counter the card's holder? The camera beside the chip portrait, after a verified read.

Shown only when the ``face`` extra is installed and a verified holder is on screen. The clerk starts the
camera (F6; or it starts by itself when an administrator enabled that); the models load on the first
start, the chip portrait's face is embedded and the camera opens, all on a worker thread. One key press
(F7) takes the newest frame, freezes it on screen and compares it on the worker thread; the band is
shown, and the core records it (the band only). The station recommends; the clerk decides.

The frame lives in memory only. When the holder leaves the screen (Esc, "Done", the auto-clear delay, a
new card) :meth:`FacePanel.follow` gets None: the camera stops and the frame, the portrait, its
embedding and the band are dropped; a comparison still running then is thrown away when it ends.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from PIL import Image
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QImage, QKeySequence, QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from cccd_station.crypto.verdict import Verdict
from cccd_station.station.core import Operator, Station, StationSettings
from cccd_station.station.face import (
    Band,
    CameraError,
    FaceComparison,
    FaceError,
    FaceMatcher,
    FaceThresholds,
    FaceUnavailableError,
    FrameSource,
    NoFaceError,
    camera_from_environment,
    unavailable_reason,
)
from cccd_station.ui.icons import AMBER, GREEN, RED

if TYPE_CHECKING:
    from cccd_station.station.pipeline import InspectionResult

log = logging.getLogger(__name__)

CAMERA_SIZE = (180, 135)  # under the result view's 180x240 chip portrait
LIVE_VIEW_MS = 100  # ten pictures a second are enough to aim the camera

BAND_TEXTS = {
    Band.VERY_LIKELY_SAME: QT_TRANSLATE_NOOP("FacePanel", "Very likely the same person"),
    Band.LOOK_CAREFULLY: QT_TRANSLATE_NOOP("FacePanel", "Look carefully"),
    Band.LIKELY_DIFFERENT: QT_TRANSLATE_NOOP("FacePanel", "Likely a different person"),
}
BAND_COLOURS = {Band.VERY_LIKELY_SAME: GREEN, Band.LOOK_CAREFULLY: AMBER, Band.LIKELY_DIFFERENT: RED}


class Stage(StrEnum):
    HIDDEN = "hidden"  # no verified holder on screen (or no face extra)
    READY = "ready"  # a verified holder: the camera may be started
    STARTING = "starting"  # models, portrait and camera on the worker thread
    LIVE = "live"
    COMPARING = "comparing"
    COMPARED = "compared"  # the taken frame and its band are shown
    STOPPED = "stopped"  # a message says why the comparison cannot go on


def pixmap_of(image: Image.Image, size: tuple[int, int]) -> QPixmap:
    rgb = image.convert("RGB")
    data = rgb.tobytes()
    picture = QImage(data, rgb.width, rgb.height, 3 * rgb.width, QImage.Format.Format_RGB888)
    return QPixmap.fromImage(picture).scaled(
        size[0], size[1], Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )


class FacePanel(QWidget):
    """Signals for tests and the screenshots: ``stage_changed`` (stage value), ``compared``
    (:class:`FaceComparison`), ``message_shown`` (what went wrong: "no_portrait", "no_face_portrait",
    "no_face_frame", "camera", "unavailable")."""

    stage_changed = Signal(str)
    compared = Signal(object)
    message_shown = Signal(str)
    _finished = Signal(int, str, object)  # generation, task, outcome: from the worker thread

    def __init__(
        self,
        station: Station,
        settings: StationSettings,
        current_operator: Callable[[], Operator | None],
        parent: QWidget,
        *,
        camera: Callable[[], FrameSource] = camera_from_environment,
    ) -> None:
        super().__init__(parent)
        self.station = station
        self.current_operator = current_operator  # who compares: the audit trail names them
        self.camera_factory = camera
        self.available = unavailable_reason() is None
        self.settings = settings
        self.stage = Stage.HIDDEN
        self.result: InspectionResult | None = None
        self.camera: FrameSource | None = None
        self.matcher: FaceMatcher | None = None
        self.taken: Image.Image | None = None  # the frame compared, shown frozen with its band
        self.comparison: FaceComparison | None = None
        self._shown_frame: Image.Image | None = None
        self._generation = 0
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="face")
        self._finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)
        self._live = QTimer(self)
        self._live.setInterval(LIVE_VIEW_MS)
        self._live.timeout.connect(self._show_live_frame)
        self._build()
        self.retranslate()
        self._set_stage(Stage.HIDDEN)

    def _build(self) -> None:
        """A column under the chip portrait: camera view, band, what to do, two buttons."""
        self.setObjectName("facePanel")
        self.camera_view = QLabel(self)
        self.camera_view.setObjectName("cameraView")
        self.camera_view.setFixedSize(*CAMERA_SIZE)
        self.camera_view.setStyleSheet("#cameraView { background: #222; color: #ddd; }")
        self.camera_view.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.camera_view.setFrameShape(QFrame.Shape.StyledPanel)
        self.camera_view.setWordWrap(True)
        self.band = QLabel(self)
        self.band.setObjectName("faceBand")
        self.band.setWordWrap(True)
        self.detail = QLabel(self)
        self.detail.setWordWrap(True)
        self.detail.setStyleSheet("font-size: 9pt;")
        self.camera_button = QPushButton(self)
        self.camera_button.clicked.connect(self.start_camera)
        self.compare_button = QPushButton(self)
        self.compare_button.clicked.connect(self.compare_now)
        buttons = QHBoxLayout()
        buttons.setSpacing(4)
        for button in (self.camera_button, self.compare_button):
            button.setStyleSheet("padding: 3px 2px;")
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(4)
        for widget in (self.camera_view, self.band, self.detail):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        # Keys that work anywhere in the window while the panel is shown.
        self.camera_action = QAction(self)
        self.camera_action.setShortcut(QKeySequence(Qt.Key.Key_F6))
        self.camera_action.triggered.connect(self.start_camera)
        self.compare_action = QAction(self)
        self.compare_action.setShortcut(QKeySequence(Qt.Key.Key_F7))
        self.compare_action.triggered.connect(self.compare_now)
        for action in (self.camera_action, self.compare_action):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.addAction(action)

    def retranslate(self) -> None:
        self.setToolTip(self.tr("Is this the card's holder? Compare the face with the chip portrait."))
        self.camera_button.setText(self.tr("F6 Camera"))
        self.compare_button.setText(self.tr("F7 Compare"))
        if self.comparison is not None:
            self._show_band(self.comparison)
        elif self.stage in (Stage.READY, Stage.STARTING, Stage.LIVE, Stage.COMPARING):
            self._show_hint()
        if self.camera is None and self.stage is not Stage.HIDDEN:
            self.camera_view.setText(self.tr("Is this the card's holder?\n(camera off)"))

    def apply_settings(self, settings: StationSettings) -> None:
        """Thresholds and the automatic start an administrator set apply from the next comparison."""
        self.settings = settings

    # --- following the window ---------------------------------------------------------------------
    def follow(self, result: InspectionResult | None) -> None:
        """The holder on screen (None when the screen clears). A verified holder makes the panel
        appear (and the camera start when set so); anything else wipes it."""
        if result is self.result:
            return
        self.clear()
        if not self.available or result is None or result.verdict is not Verdict.VERIFIED:
            return
        self.result = result
        self.camera_view.setText(self.tr("Is this the card's holder?\n(camera off)"))
        self._set_stage(Stage.READY)
        self._show_hint()
        if self.settings.face_camera_auto:
            self.start_camera()

    def clear(self) -> None:
        """Stop the camera; forget the frame, the portrait, its embedding and the band."""
        self._generation += 1  # whatever the worker is doing now is thrown away when it ends
        self._live.stop()
        camera, self.camera = self.camera, None
        if camera is not None:
            self._stop_camera(camera)
        if self.matcher is not None:
            self.matcher.clear()
        self.matcher = None
        self.result = None
        self.taken = None
        self.comparison = None
        self._shown_frame = None
        for label in (self.camera_view, self.band, self.detail):
            label.clear()
        self._set_stage(Stage.HIDDEN)

    def _stop_camera(self, camera: FrameSource) -> None:
        try:
            self._worker.submit(camera.stop)  # OpenCV may take a moment to let the device go
        except RuntimeError:  # the worker has shut down (the window is closing)
            camera.stop()

    def shut_down(self) -> None:
        """The window closes: wipe, and let the worker finish stopping the camera."""
        self.clear()
        self._worker.shutdown(wait=True)

    # --- camera -------------------------------------------------------------------------------------
    def start_camera(self) -> None:
        """F6: start the camera (models and portrait first), or go back to the live view."""
        if self.stage in (Stage.LIVE, Stage.COMPARED) and self.camera is not None:
            self.taken = None
            self.comparison = None
            self._live.start()
            self._set_stage(Stage.LIVE)
            self._show_hint()
            return
        if self.stage not in (Stage.READY, Stage.STOPPED) or self.result is None:
            return
        photo = self.result.photo
        if photo is None:
            self._stop_with("no_portrait", self.tr("This card's chip holds no portrait: compare by eye."))
            return
        try:
            portrait = photo.to_image()
        except Exception:
            self._stop_with("no_face_portrait", self.tr("The chip portrait cannot be read: compare by eye."))
            return
        self.band.clear()
        self.detail.setText(self.tr("Starting the camera…"))
        self.camera_view.setText(self.tr("Starting the camera…"))
        self._set_stage(Stage.STARTING)
        generation = self._generation
        future = self._worker.submit(self._prepare, generation, portrait, self.camera_factory())
        future.add_done_callback(lambda done: self._finished.emit(generation, "prepare", _outcome(done)))

    def _prepare(
        self, generation: int, portrait: Image.Image, camera: FrameSource
    ) -> tuple[FaceMatcher, FrameSource]:
        """On the worker: the models (first time only), the portrait's face, then the camera."""
        matcher = FaceMatcher(self.station.face_engine())
        matcher.set_portrait(portrait)
        camera.start()
        if generation != self._generation:  # the holder left meanwhile: nothing may stay open
            camera.stop()
            matcher.clear()
        return matcher, camera

    def _show_live_frame(self) -> None:
        if self.camera is None or self.stage is not Stage.LIVE:
            return
        if self.camera.failure is not None:  # unplugged while in use
            self._stop_with("camera", self.tr("The camera stopped giving pictures: is it still plugged in?"))
            return
        frame = self.camera.frame()
        if frame is not None and frame is not self._shown_frame:
            self._shown_frame = frame
            self.camera_view.setPixmap(pixmap_of(frame, CAMERA_SIZE))

    # --- comparing ----------------------------------------------------------------------------------
    def compare_now(self) -> None:
        """F7: take the newest frame and compare it with the chip portrait."""
        if self.stage not in (Stage.LIVE, Stage.COMPARED) or self.camera is None or self.matcher is None:
            return
        frame = self.camera.frame()
        if frame is None:
            return
        self._live.stop()
        self.taken = frame
        self.comparison = None
        self.camera_view.setPixmap(pixmap_of(frame, CAMERA_SIZE))
        self.band.clear()
        self.detail.setText(self.tr("Comparing…"))
        self._set_stage(Stage.COMPARING)
        generation = self._generation
        thresholds = FaceThresholds.from_settings(self.settings)
        future = self._worker.submit(self.matcher.compare, frame, thresholds)
        future.add_done_callback(lambda done: self._finished.emit(generation, "compare", _outcome(done)))

    # --- results from the worker (GUI thread) -------------------------------------------------------
    def _on_finished(self, generation: int, task: str, outcome: object) -> None:
        if generation != self._generation:
            if task == "prepare" and isinstance(outcome, tuple):
                _matcher, camera = outcome
                self._stop_camera(camera)
            return
        if isinstance(outcome, BaseException):
            self._failed(outcome)
        elif task == "prepare":
            assert isinstance(outcome, tuple)
            self.matcher, self.camera = outcome
            self._live.start()
            self._set_stage(Stage.LIVE)
            self._show_hint()
            self._show_live_frame()
        else:
            assert isinstance(outcome, FaceComparison) and self.result is not None
            self.comparison = outcome
            self._show_band(outcome)
            self._set_stage(Stage.COMPARED)
            self.station.record_face_comparison(
                self.current_operator(), outcome.band, self.result.document_number
            )
            self.compared.emit(outcome)

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, NoFaceError) and error.where == "frame":
            # The camera stays on: the person turns to it and the clerk presses F7 again.
            self._live.start()
            self._set_stage(Stage.LIVE)
            self.detail.setText(
                self.tr(
                    "No face found in the camera picture: ask the person to face the camera, then press F7."
                )
            )
            self.message_shown.emit("no_face_frame")
            return
        if isinstance(error, NoFaceError):
            self._stop_with(
                "no_face_portrait", self.tr("No face found in the chip portrait: compare by eye.")
            )
        elif isinstance(error, CameraError):
            self._stop_with(
                "camera",
                self.tr("The camera cannot be opened: is it plugged in, and not used by another program?"),
            )
        elif isinstance(error, FaceUnavailableError):
            self._stop_with("unavailable", self.tr("Face comparison is not available on this station."))
        else:
            if not isinstance(error, FaceError):
                log.error("face comparison failed unexpectedly", exc_info=error)
            self._stop_with("unavailable", self.tr("Face comparison failed: compare by eye."))

    def _stop_with(self, kind: str, text: str) -> None:
        self._live.stop()
        camera, self.camera = self.camera, None
        if camera is not None:
            self._stop_camera(camera)
        self.camera_view.setText(self.tr("Camera off"))
        self.band.clear()
        self.detail.setText(text)
        self._set_stage(Stage.STOPPED)
        self.message_shown.emit(kind)

    # --- what the clerk reads -----------------------------------------------------------------------
    def _show_hint(self) -> None:
        hints = {
            Stage.READY: self.tr("Press F6 to compare the person's face with the chip portrait."),
            Stage.STARTING: self.tr("Starting the camera…"),
            Stage.LIVE: self.tr("Ask the person to look at the camera, then press F7."),
            Stage.COMPARING: self.tr("Comparing…"),
        }
        self.band.clear()
        self.detail.setText(hints.get(self.stage, ""))

    def _show_band(self, comparison: FaceComparison) -> None:
        colour = BAND_COLOURS[comparison.band]
        self.band.setStyleSheet(f"#faceBand {{ font-size: 14pt; font-weight: bold; color: {colour}; }}")
        self.band.setText(QCoreApplication.translate("FacePanel", str(BAND_TEXTS[comparison.band])))
        lines = [
            self.tr("Distance {distance:.2f} (thresholds {same:.2f} / {different:.2f}).").format(
                distance=comparison.distance,
                same=self.settings.face_same_below,
                different=self.settings.face_different_from,
            )
        ]
        if comparison.faces_in_frame > 1:
            lines.append(
                self.tr("{count} faces in the picture: the largest was compared.").format(
                    count=comparison.faces_in_frame
                )
            )
        lines.append(self.tr("The station suggests; you decide."))
        self.detail.setText("\n".join(lines))

    def _set_stage(self, stage: Stage) -> None:
        self.stage = stage
        self.setVisible(stage is not Stage.HIDDEN)
        self.camera_action.setEnabled(stage in (Stage.READY, Stage.STOPPED, Stage.LIVE, Stage.COMPARED))
        self.compare_action.setEnabled(stage in (Stage.LIVE, Stage.COMPARED))
        self.camera_button.setEnabled(self.camera_action.isEnabled())
        self.compare_button.setEnabled(self.compare_action.isEnabled())
        self.stage_changed.emit(stage.value)


def _outcome(future: Future[Any]) -> object:
    error = future.exception()
    return error if error is not None else future.result()
