"""The face comparison in the window, driven like a clerk would: a verified read of the virtual chip,
F6 for the camera (a file camera: a public-domain photograph), F7 for the comparison, the band on
screen and in the audit trail, and the auto-clear wiping all of it.

The virtual chip's holder gets a real face for these tests: the fictitious persona's drawn portrait is
replaced by the NASA portrait of Eileen Collins (tests/data/faces/README.md), framed and encoded as a
chip portrait, and the chip is personalised anew with it (so the read is verified as usual).

With ``STATION_SCREENSHOT_DIR`` set (scripts/screenshots.sh, under Xvfb), the comparison's window is
also saved as ``09-face-compared.png``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from cccd_station.crypto.verdict import Verdict
from cccd_station.reader.chip import personalise
from cccd_station.reader.chip.personas import Persona, load_persona
from cccd_station.station.core import Station
from cccd_station.station.events import FACE_COMPARED, StationEvent
from cccd_station.station.face import Band, FaceComparison, FaceEngine, FileCamera
from cccd_station.ui import face_panel
from cccd_station.ui.app import build_window, setup_application
from cccd_station.ui.demo_panel import TAMPERED
from cccd_station.ui.face_panel import Stage
from cccd_station.ui.main_window import MainWindow, State

READ_TIMEOUT_MS = 30_000
FACE_TIMEOUT_MS = 10_000
CCCD = "nguyen-van-an"
DRAWN = "pham-thi-dao"  # a drawn portrait in which no face is found
FACES = Path(__file__).with_name("data") / "faces"
COLLINS_FRAMING = (97, 21, 262, 242)


def photo(name: str) -> Image.Image:
    with Image.open(FACES / f"{name}.jpg") as image:
        return image.convert("RGB")


def camera_frame(name: str) -> Image.Image:
    """The photograph on a 640x480 frame, as a webcam at the counter gives it."""
    picture = photo(name)
    picture.thumbnail((640, 480))
    frame = Image.new("RGB", (640, 480), "#9aa4ad")
    frame.paste(picture, ((640 - picture.width) // 2, (480 - picture.height) // 2))
    return frame


def close_up(name: str) -> Image.Image:
    """A webcam's 640x480 close-up of the photograph's head and shoulders (for the screenshot)."""
    picture = photo(name)
    top = max(0, (picture.height - picture.width * 3 // 4) // 3)
    return picture.crop((0, top, picture.width, top + picture.width * 3 // 4)).resize((640, 480))


@pytest.fixture
def real_face_on_the_chip(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The CCCD persona's chip carries Eileen Collins' portrait instead of the drawn one."""
    drawn = Persona.portrait
    chip_face = photo("collins").crop(COLLINS_FRAMING).resize((240, 320), Image.Resampling.LANCZOS)

    def portrait(self: Persona, width: int = 240, height: int = 320) -> Image.Image:
        return chip_face.copy() if self.key == CCCD else drawn(self, width, height)

    monkeypatch.setattr(Persona, "portrait", portrait)
    personalise._persona_groups.cache_clear()
    personalise._cached.cache_clear()
    yield
    monkeypatch.undo()
    personalise._persona_groups.cache_clear()
    personalise._cached.cache_clear()


@pytest.fixture
def demo_station(tmp_path: Path) -> Iterator[Station]:
    with Station.open_demo(tmp_path) as opened:
        yield opened


@pytest.fixture
def window(
    qtbot: QtBot,
    qapp: QApplication,
    demo_station: Station,
    face_engine: FaceEngine,
    real_face_on_the_chip: None,
) -> Iterator[MainWindow]:
    translations = setup_application(qapp, "vi")
    main = build_window(demo_station, translations)
    main.apply_settings(replace(demo_station.settings(), auto_clear_seconds=1))  # 1 s, for the tests
    qtbot.addWidget(main)
    main.show()
    yield main
    main.close()  # before the station closes


def use_camera(window: MainWindow, frame: Image.Image) -> list[FileCamera]:
    """The window's camera shows ``frame``; the cameras it opened are listed as they come."""
    opened: list[FileCamera] = []

    def factory() -> FileCamera:
        opened.append(FileCamera(frame))
        return opened[-1]

    window.face.camera_factory = factory
    return opened


def read_card(qtbot: QtBot, window: MainWindow, persona: str = CCCD, faults: tuple[str, ...] = ()) -> None:
    number = load_persona(persona).id_number
    assert number is not None
    window.keys.set_id_number(number)
    panel = window.demo_panel
    assert panel is not None
    panel.select_persona(persona)
    panel.select_condition(faults)
    with qtbot.waitSignal(window.result_shown, timeout=READ_TIMEOUT_MS):
        qtbot.mouseClick(panel.card_button, Qt.MouseButton.LeftButton)


def start_camera(qtbot: QtBot, window: MainWindow, *, click: bool = False) -> None:
    """F6 (or a click on "Camera", where no window manager gives the window the keyboard)."""
    with qtbot.waitSignal(window.face.stage_changed, timeout=FACE_TIMEOUT_MS, check_params_cb=_is("live")):
        if click:
            qtbot.mouseClick(window.face.camera_button, Qt.MouseButton.LeftButton)
        else:
            qtbot.keyClick(window, Qt.Key.Key_F6)


def compare(qtbot: QtBot, window: MainWindow, *, click: bool = False) -> FaceComparison:
    """F7 (or a click on "Compare")."""
    with qtbot.waitSignal(window.face.compared, timeout=FACE_TIMEOUT_MS) as compared:
        if click:
            qtbot.mouseClick(window.face.compare_button, Qt.MouseButton.LeftButton)
        else:
            qtbot.keyClick(window, Qt.Key.Key_F7)
    comparison = compared.args[0]
    assert isinstance(comparison, FaceComparison)
    return comparison


def _is(stage: str) -> Callable[[str], bool]:
    return lambda value: value == stage


def shown_texts(window: MainWindow) -> str:
    return "\n".join(label.text() for label in window.face.findChildren(QLabel))


def test_verified_read_camera_comparison_band_and_auto_clear_wipes_it(
    qtbot: QtBot, window: MainWindow
) -> None:
    cameras = use_camera(window, camera_frame("collins"))
    seen: list[StationEvent] = []
    window.station.events.subscribe(seen.append)
    assert not window.face.isVisible()  # nothing to compare before a verified read

    read_card(qtbot, window)
    assert window.result_view.banner.verdict is Verdict.VERIFIED
    assert window.face.isVisible() and window.face.stage is Stage.READY
    assert not window.result_view.portrait.pixmap().isNull()  # the chip portrait above the camera
    assert cameras == []  # the camera waits for the clerk

    start_camera(qtbot, window)
    assert not window.face.camera_view.pixmap().isNull()  # the live view
    comparison = compare(qtbot, window)

    assert comparison.band is Band.VERY_LIKELY_SAME
    assert window.face.band.text() == "Rất giống"
    assert "người quyết định là bạn" in window.face.detail.text().lower()
    (audited,) = window.station.db.audit.search(action="face_compare")
    assert audited.outcome == "very_likely_same" and audited.detail == {}
    assert audited.document_hash == window.station.db.document_hash(load_persona(CCCD).id_number or "")
    assert [event.data for event in seen if event.kind == FACE_COMPARED] == [{"band": "very_likely_same"}]

    # The card leaves; after the auto-clear delay nothing of the holder or their face is left.
    panel = window.demo_panel
    assert panel is not None
    with qtbot.waitSignal(window.cleared, timeout=5000):
        qtbot.mouseClick(panel.card_button, Qt.MouseButton.LeftButton)
    assert window.state is State.IDLE
    assert not window.face.isVisible()
    assert window.face.camera is None and window.face.matcher is None
    assert window.face.taken is None and window.face.comparison is None and window.face.result is None
    assert window.result_view.portrait.pixmap().isNull() and window.face.camera_view.pixmap().isNull()
    assert window.face.band.text() == "" and "Rất giống" not in shown_texts(window)
    qtbot.waitUntil(lambda: cameras[0].frame() is None, timeout=2000)  # the camera let the frame go


def test_a_different_person_before_the_camera_is_called_so(qtbot: QtBot, window: MainWindow) -> None:
    use_camera(window, camera_frame("obama-portrait"))
    read_card(qtbot, window)
    start_camera(qtbot, window)
    comparison = compare(qtbot, window)
    assert comparison.band is Band.LIKELY_DIFFERENT
    assert window.face.band.text() == "Khác người"
    assert window.station.db.audit.search(action="face_compare")[-1].outcome == "likely_different"


def test_no_face_in_the_camera_picture_says_so_and_keeps_the_camera_on(
    qtbot: QtBot, window: MainWindow
) -> None:
    use_camera(window, camera_frame("chelsea-cat"))
    read_card(qtbot, window)
    start_camera(qtbot, window)
    with qtbot.waitSignal(window.face.message_shown, timeout=FACE_TIMEOUT_MS) as message:
        qtbot.keyClick(window, Qt.Key.Key_F7)
    assert message.args == ["no_face_frame"]
    assert "Không tìm thấy khuôn mặt trong ảnh camera" in window.face.detail.text()
    assert window.face.stage is Stage.LIVE and window.face.band.text() == ""
    assert window.station.db.audit.search(action="face_compare") == []  # no band, nothing recorded


def test_a_drawn_portrait_without_a_face_is_compared_by_eye(qtbot: QtBot, window: MainWindow) -> None:
    cameras = use_camera(window, camera_frame("collins"))
    read_card(qtbot, window, DRAWN)
    with qtbot.waitSignal(window.face.message_shown, timeout=FACE_TIMEOUT_MS) as message:
        qtbot.keyClick(window, Qt.Key.Key_F6)
    assert message.args == ["no_face_portrait"]
    assert "Không tìm thấy khuôn mặt trong ảnh chân dung trên chip" in window.face.detail.text()
    assert window.face.stage is Stage.STOPPED and window.face.camera is None
    assert cameras[0].frame() is None  # the camera was never left open
    qtbot.keyClick(window, Qt.Key.Key_F7)  # nothing to compare with
    assert window.station.db.audit.search(action="face_compare") == []


def test_only_a_verified_holder_is_compared(qtbot: QtBot, window: MainWindow) -> None:
    cameras = use_camera(window, camera_frame("collins"))
    read_card(qtbot, window, faults=TAMPERED)
    assert window.result_view.banner.verdict is Verdict.FAILED
    assert not window.face.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_F6)
    assert cameras == [] and window.face.stage is Stage.HIDDEN


def test_a_comparison_that_ends_after_the_screen_cleared_is_thrown_away(
    qtbot: QtBot, window: MainWindow
) -> None:
    use_camera(window, camera_frame("collins"))
    read_card(qtbot, window)
    start_camera(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_F7)  # the comparison runs on the worker...
    window.clear_all()  # ...when the clerk presses Esc
    qtbot.wait(1000)  # longer than a comparison takes
    assert window.face.band.text() == "" and window.face.comparison is None
    assert window.station.db.audit.search(action="face_compare") == []


def test_the_camera_starts_by_itself_when_an_administrator_set_it(qtbot: QtBot, window: MainWindow) -> None:
    cameras = use_camera(window, camera_frame("collins"))
    window.apply_settings(replace(window.station.settings(), auto_clear_seconds=1, face_camera_auto=True))
    with qtbot.waitSignal(window.face.stage_changed, timeout=READ_TIMEOUT_MS, check_params_cb=_is("live")):
        read_card(qtbot, window)
    assert len(cameras) == 1
    assert compare(qtbot, window).band is Band.VERY_LIKELY_SAME


def test_the_administrators_thresholds_decide_the_band(qtbot: QtBot, window: MainWindow) -> None:
    use_camera(window, camera_frame("collins"))
    window.apply_settings(
        replace(
            window.station.settings(), auto_clear_seconds=1, face_same_below=0.01, face_different_from=0.02
        )
    )
    read_card(qtbot, window)
    start_camera(qtbot, window)
    assert compare(qtbot, window).band is Band.LIKELY_DIFFERENT
    assert "0.01" in window.face.detail.text() and "0.02" in window.face.detail.text()


def test_without_the_face_extra_the_window_shows_no_camera(
    qtbot: QtBot, qapp: QApplication, demo_station: Station, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(face_panel, "unavailable_reason", lambda: "face comparison is not installed")
    main = build_window(demo_station, setup_application(qapp, "vi"))
    qtbot.addWidget(main)
    main.show()
    cameras = use_camera(main, camera_frame("collins"))
    try:
        read_card(qtbot, main)
        assert not main.face.isVisible()
        qtbot.keyClick(main, Qt.Key.Key_F6)
        assert cameras == []
    finally:
        main.close()


def test_screenshot_of_the_comparison(qtbot: QtBot, window: MainWindow) -> None:
    """The README's picture: the holder, the chip portrait beside the camera, the band."""
    directory = os.environ.get("STATION_SCREENSHOT_DIR")
    if not directory:
        pytest.skip("STATION_SCREENSHOT_DIR is not set (scripts/screenshots.sh sets it)")
    use_camera(window, close_up("collins"))
    screen = window.screen()
    if screen is not None:
        window.setGeometry(screen.geometry())
    read_card(qtbot, window)
    start_camera(qtbot, window, click=True)
    compare(qtbot, window, click=True)
    qtbot.wait(400)  # layout and fonts settle
    assert window.grab().save(str(Path(directory) / "09-face-compared.png"))


def test_a_camera_unplugged_while_in_use_says_so(qtbot: QtBot, window: MainWindow) -> None:
    cameras = use_camera(window, camera_frame("collins"))
    read_card(qtbot, window)
    start_camera(qtbot, window)
    with qtbot.waitSignal(window.face.message_shown, timeout=FACE_TIMEOUT_MS) as message:
        cameras[0].failure = "camera 0 stopped giving pictures"  # what the capture thread reports
    assert message.args == ["camera"]
    assert "Camera không còn gửi hình" in window.face.detail.text()
    assert window.face.stage is Stage.STOPPED and window.face.camera is None
    qtbot.waitUntil(lambda: cameras[0].frame() is None, timeout=2000)
