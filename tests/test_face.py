"""Offline face comparison (station.face), without Qt: bands, the engine on public-domain photographs
and their chip-quality copies, the drawn portraits, the camera sources, the settings, and what the core
keeps of a comparison (the band only).

The photographs (tests/data/faces, sources and licences in its README.md) are of three real people
whose pictures are in the public domain; the transformed copies stand for what a chip stores (a small
JPEG or JPEG 2000 head-and-shoulders portrait) and what a webcam sees (another size, crop, light).
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageEnhance
from station_fixtures import admin, station

from cccd_station.db import Operator
from cccd_station.reader.chip.personas import load_persona, persona_names
from cccd_station.reader.chip.portrait import encode_portrait
from cccd_station.reader.lds.dg2 import FaceImage
from cccd_station.station import events
from cccd_station.station.core import Station
from cccd_station.station.events import StationEvent
from cccd_station.station.face import (
    Band,
    CameraError,
    FaceEngine,
    FaceMatcher,
    FaceThresholds,
    FileCamera,
    NoFaceError,
    NoPortraitError,
    OpenCvCamera,
    band_for,
    open_camera,
    unavailable_reason,
)

__all__ = ["admin", "station"]  # fixtures

FACES = Path(__file__).with_name("data") / "faces"
ROOT = Path(__file__).resolve().parents[1]

# Head and shoulders as ICAO 9303 frames a portrait (the face about half the width), per photograph:
# the part a chip portrait would show.
CHIP_FRAMING = {
    "collins": (97, 21, 262, 242),
    "obama-portrait": (118, 3, 314, 265),
    "biden-portrait": (82, 7, 422, 460),
}
# Two photographs of one person, taken on different days.
SAME_PERSON_PAIRS = [("obama-portrait", "obama-podium"), ("biden-portrait", "biden-whitehouse")]
PERSON = {
    "collins": "Collins",
    "obama-portrait": "Obama",
    "obama-podium": "Obama",
    "biden-portrait": "Biden",
    "biden-whitehouse": "Biden",
}


def photo(name: str) -> Image.Image:
    with Image.open(FACES / f"{name}.jpg") as image:
        return image.convert("RGB")


def chip_portrait(name: str, fmt: str, size: tuple[int, int] = (240, 320)) -> Image.Image:
    """The photograph as a chip stores it: framed, scaled to 240x320 (or less), encoded as the virtual
    chip encodes its portraits (JPEG of about 15 KB, JPEG 2000 at 20:1), then decoded as DG2 is."""
    framed = photo(name).crop(CHIP_FRAMING[name]).resize(size, Image.Resampling.LANCZOS)
    return FaceImage.from_image_bytes(encode_portrait(framed, fmt)).to_image()


def _half(image: Image.Image) -> Image.Image:
    return image.resize((image.width // 2, image.height // 2), Image.Resampling.BILINEAR)


def _crop(image: Image.Image) -> Image.Image:
    w, h = image.size
    return image.crop((int(w * 0.1), int(h * 0.05), int(w * 0.9), int(h * 0.85)))


def _darker(image: Image.Image) -> Image.Image:
    return ImageEnhance.Brightness(image).enhance(0.6)


def _brighter(image: Image.Image) -> Image.Image:
    return ImageEnhance.Brightness(image).enhance(1.4)


def _grey(image: Image.Image) -> Image.Image:
    return image.convert("L")


FRAME_CHANGES: dict[str, Callable[[Image.Image], Image.Image]] = {
    "half size": _half,
    "cropped": _crop,
    "darker": _darker,
    "brighter": _brighter,
    "greyscale": _grey,
}
CHIP_COPIES: dict[str, Callable[[str], Image.Image]] = {
    "chip JPEG": lambda name: chip_portrait(name, "jpeg"),
    "chip JPEG 2000": lambda name: chip_portrait(name, "jp2"),
    "chip JPEG 2000 codestream 180x240": lambda name: chip_portrait(name, "j2k", (180, 240)),
}


@pytest.fixture
def matcher(face_engine: FaceEngine) -> Iterator[FaceMatcher]:
    matcher = FaceMatcher(face_engine)
    yield matcher
    matcher.clear()


# -- bands ----------------------------------------------------------------------------------------------


def test_bands_split_the_distance_at_the_thresholds() -> None:
    thresholds = FaceThresholds(0.45, 0.60)
    assert band_for(0.0, thresholds) is Band.VERY_LIKELY_SAME
    assert band_for(0.4499, thresholds) is Band.VERY_LIKELY_SAME
    assert band_for(0.45, thresholds) is Band.LOOK_CAREFULLY
    assert band_for(0.5999, thresholds) is Band.LOOK_CAREFULLY
    assert band_for(0.60, thresholds) is Band.LIKELY_DIFFERENT
    assert band_for(1.3, thresholds) is Band.LIKELY_DIFFERENT
    # A broken distance never reads as the same person.
    assert band_for(math.nan, thresholds) is Band.LIKELY_DIFFERENT


def test_equal_thresholds_leave_no_middle_band() -> None:
    thresholds = FaceThresholds(0.5, 0.5)
    assert band_for(0.49, thresholds) is Band.VERY_LIKELY_SAME
    assert band_for(0.5, thresholds) is Band.LIKELY_DIFFERENT


@pytest.mark.parametrize(
    ("same_below", "different_from"), [(0.7, 0.6), (0.0, 0.6), (-0.1, 0.6), (0.4, 2.0), (math.nan, 0.6)]
)
def test_thresholds_that_do_not_fit_together_are_refused(same_below: float, different_from: float) -> None:
    with pytest.raises(ValueError, match="face thresholds"):
        FaceThresholds(same_below, different_from)


def test_the_default_thresholds_are_the_documented_ones() -> None:
    assert FaceThresholds() == FaceThresholds(0.45, 0.60)


# -- the engine on photographs --------------------------------------------------------------------------


@pytest.mark.parametrize("change", FRAME_CHANGES)
@pytest.mark.parametrize("chip", CHIP_COPIES)
@pytest.mark.parametrize("name", CHIP_FRAMING)
def test_a_changed_copy_of_the_same_photograph_is_very_likely_the_same_person(
    matcher: FaceMatcher, name: str, chip: str, change: str
) -> None:
    matcher.set_portrait(CHIP_COPIES[chip](name))
    comparison = matcher.compare(FRAME_CHANGES[change](photo(name)), FaceThresholds())
    assert comparison.band is Band.VERY_LIKELY_SAME, comparison.distance
    assert comparison.faces_in_frame == 1


@pytest.mark.parametrize(("portrait", "frame"), SAME_PERSON_PAIRS)
def test_another_photograph_of_the_same_person_is_not_called_a_different_person(
    matcher: FaceMatcher, portrait: str, frame: str
) -> None:
    """Another day, another light and expression: the model's distance grows (0.38-0.41 here, against
    0.06-0.28 for changed copies of one photograph), still below the "different person" line."""
    matcher.set_portrait(chip_portrait(portrait, "jp2"))
    comparison = matcher.compare(photo(frame), FaceThresholds())
    assert comparison.band is not Band.LIKELY_DIFFERENT, comparison.distance


@pytest.mark.parametrize(
    ("portrait", "frame"),
    [(portrait, frame) for portrait in CHIP_FRAMING for frame in PERSON if PERSON[portrait] != PERSON[frame]],
)
def test_different_people_are_likely_different(matcher: FaceMatcher, portrait: str, frame: str) -> None:
    matcher.set_portrait(chip_portrait(portrait, "jp2"))
    comparison = matcher.compare(photo(frame), FaceThresholds())
    assert comparison.band is Band.LIKELY_DIFFERENT, comparison.distance


@pytest.mark.parametrize("persona", persona_names())
def test_a_drawn_portrait_is_no_face_or_a_different_person(matcher: FaceMatcher, persona: str) -> None:
    """The virtual personas' cartoon portraits: the detector finds no face in most, and where it does
    find one, the cartoon is not taken for any real person."""
    drawn = FaceImage.from_image_bytes(load_persona(persona).portrait_bytes()).to_image()
    try:
        matcher.set_portrait(drawn)
    except NoFaceError as error:
        assert error.where == "portrait"
        assert str(error) == "no face found in the chip portrait"
        return
    for name in FACES.glob("*.jpg"):
        if name.stem != "chelsea-cat":
            assert matcher.compare(photo(name.stem), FaceThresholds()).band is Band.LIKELY_DIFFERENT


def test_most_drawn_portraits_show_no_face(face_engine: FaceEngine) -> None:
    """The no-face path is exercised by real chip data, not only by a cat."""
    no_face = 0
    for persona in persona_names():
        drawn = FaceImage.from_image_bytes(load_persona(persona).portrait_bytes()).to_image()
        try:
            face_engine.embed(drawn, "portrait")
        except NoFaceError:
            no_face += 1
    assert no_face >= len(persona_names()) // 2


def test_a_frame_without_a_face_says_so(matcher: FaceMatcher) -> None:
    matcher.set_portrait(chip_portrait("collins", "jpeg"))
    with pytest.raises(NoFaceError, match="no face found in the camera picture") as raised:
        matcher.compare(photo("chelsea-cat"), FaceThresholds())
    assert raised.value.where == "frame"


@pytest.mark.parametrize("size", [(1, 1), (5, 3000), (4000, 3000)])
def test_odd_pictures_give_no_face_not_a_crash(matcher: FaceMatcher, size: tuple[int, int]) -> None:
    matcher.set_portrait(chip_portrait("collins", "jpeg"))
    with pytest.raises(NoFaceError):
        matcher.compare(Image.new("RGB", size, "#808080"), FaceThresholds())


def test_a_large_frame_is_scaled_down_and_still_matches(matcher: FaceMatcher) -> None:
    matcher.set_portrait(chip_portrait("obama-portrait", "jp2"))
    large = photo("obama-portrait").resize((1600, 2000), Image.Resampling.BILINEAR)
    assert matcher.compare(large, FaceThresholds()).band is Band.VERY_LIKELY_SAME


def test_the_largest_face_in_the_frame_is_compared(matcher: FaceMatcher) -> None:
    """A colleague far behind the holder does not decide the answer."""
    frame = Image.new("RGB", (800, 500), "#c8c8c8")
    frame.paste(photo("collins"), (20, 60))  # her face 90 pixels wide, further back
    frame.paste(photo("obama-portrait"), (400, 0))  # his 107 pixels
    matcher.set_portrait(chip_portrait("obama-portrait", "jpeg"))
    comparison = matcher.compare(frame, FaceThresholds())
    assert comparison.faces_in_frame == 2
    assert comparison.band is Band.VERY_LIKELY_SAME


def test_no_comparison_without_a_portrait_and_clear_forgets_it(matcher: FaceMatcher) -> None:
    with pytest.raises(NoPortraitError):
        matcher.compare(photo("collins"), FaceThresholds())
    matcher.set_portrait(chip_portrait("collins", "jp2"))
    assert matcher.has_portrait
    matcher.clear()
    assert not matcher.has_portrait
    with pytest.raises(NoPortraitError):
        matcher.compare(photo("collins"), FaceThresholds())


def test_the_thresholds_decide_the_band(matcher: FaceMatcher) -> None:
    matcher.set_portrait(chip_portrait("obama-portrait", "jp2"))
    frame = photo("obama-podium")
    distance = matcher.compare(frame, FaceThresholds()).distance
    strict = FaceThresholds(distance / 2, distance * 0.9)
    assert matcher.compare(frame, strict).band is Band.LIKELY_DIFFERENT


def test_an_embedding_never_shows_its_numbers(face_engine: FaceEngine) -> None:
    embedding = face_engine.embed(photo("collins"), "frame")
    assert repr(embedding) == "FaceEmbedding(faces=1)"


# -- cameras -----------------------------------------------------------------------------------------------


def test_a_file_camera_shows_its_picture_until_stopped() -> None:
    camera = FileCamera(FACES / "collins.jpg")
    assert camera.frame() is None
    camera.start()
    frame = camera.frame()
    assert frame is not None and frame.mode == "RGB" and frame.size == photo("collins").size
    camera.stop()
    assert camera.frame() is None


def test_a_file_camera_without_its_picture_is_a_camera_error(tmp_path: Path) -> None:
    with pytest.raises(CameraError, match=r"cannot open the picture missing\.jpg"):
        FileCamera(tmp_path / "missing.jpg").start()
    (tmp_path / "noise.jpg").write_bytes(b"\xff\xd8 not a picture")
    with pytest.raises(CameraError, match=r"noise\.jpg"):
        FileCamera(tmp_path / "noise.jpg").start()


def test_a_camera_that_is_not_there_is_a_camera_error() -> None:
    with pytest.raises(CameraError, match="camera 97 cannot be opened"):
        OpenCvCamera(97).start()


def test_open_camera_reads_a_device_number_or_a_picture() -> None:
    first = open_camera("")
    assert isinstance(first, OpenCvCamera) and first.index == 0
    third = open_camera(" 2 ")
    assert isinstance(third, OpenCvCamera) and third.index == 2
    assert isinstance(open_camera(str(FACES / "collins.jpg")), FileCamera)


# -- without the extra ---------------------------------------------------------------------------------------

_WITHOUT_THE_EXTRA = textwrap.dedent(
    """
    import importlib.abc, sys

    class Missing(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in ("dlib", "_dlib_pybind11", "face_recognition_models", "cv2"):
                raise ModuleNotFoundError(name)
            return None

    sys.meta_path.insert(0, Missing())
    import pathlib, tempfile
    from cccd_station.station.core import Station
    from cccd_station.station.face import FaceUnavailableError, OpenCvCamera, CameraError, unavailable_reason

    print(unavailable_reason())
    with Station.open_demo(pathlib.Path(tempfile.mkdtemp())) as station:
        try:
            station.face_engine()
        except FaceUnavailableError as error:
            print("engine:", error)
        try:
            OpenCvCamera(0).start()
        except CameraError as error:
            print("camera:", error)
    """
)


def test_the_station_runs_without_the_extra_and_says_face_comparison_is_not_installed() -> None:
    run = subprocess.run(
        [sys.executable, "-c", _WITHOUT_THE_EXTRA],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
        check=False,
    )
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == (
        "face comparison is not installed: dlib is missing (pip install 'cccd-station[face]')"
    )
    assert lines[1] == "engine: " + lines[0]
    assert lines[2] == "camera: camera support is not installed: opencv is missing " + (
        "(pip install 'cccd-station[face]')"
    )


def test_with_the_extra_face_comparison_is_available(face_engine: FaceEngine) -> None:
    assert unavailable_reason() is None


# -- the core: settings, audit and event with the band only ---------------------------------------------


def test_face_settings_have_defaults_and_an_admin_changes_them(station: Station, admin: Operator) -> None:
    settings = station.settings()
    assert (settings.face_same_below, settings.face_different_from, settings.face_camera_auto) == (
        0.45,
        0.60,
        False,
    )
    changed = station.update_settings(admin, face_same_below=0.4, face_camera_auto=True)
    assert (changed.face_same_below, changed.face_different_from, changed.face_camera_auto) == (
        0.4,
        0.6,
        True,
    )
    assert FaceThresholds.from_settings(changed) == FaceThresholds(0.4, 0.6)
    audited = station.db.audit.search(action="settings_change")
    assert audited[-1].detail["keys"] == ["face.camera_auto", "face.different_from", "face.same_below"]


@pytest.mark.parametrize(
    "changes",
    [
        {"face_same_below": 0.7},  # above the default "different" line
        {"face_different_from": 0.3},  # below the default "same" line
        {"face_same_below": math.nan},
        {"face_same_below": 0.4, "face_different_from": math.inf},
    ],
)
def test_face_thresholds_that_do_not_fit_are_refused(
    station: Station, admin: Operator, changes: dict[str, float]
) -> None:
    with pytest.raises(ValueError, match="face thresholds"):
        station.update_settings(admin, **changes)
    assert station.settings().face_same_below == 0.45


def test_damaged_face_thresholds_fall_back_to_the_defaults(station: Station) -> None:
    from cccd_station.db.settings import FACE_DIFFERENT_FROM_KEY, FACE_SAME_BELOW_KEY, set_value

    with station.db.session() as session:
        set_value(session, FACE_SAME_BELOW_KEY, "0.9")  # above the other: no longer fits
        set_value(session, FACE_DIFFERENT_FROM_KEY, "0.5")
    assert (station.settings().face_same_below, station.settings().face_different_from) == (0.45, 0.60)
    with station.db.session() as session:
        set_value(session, FACE_SAME_BELOW_KEY, "lots")
    assert station.settings().face_same_below == 0.45


def test_a_comparison_is_audited_and_announced_with_the_band_only(station: Station, admin: Operator) -> None:
    seen: list[StationEvent] = []
    station.events.subscribe(seen.append)
    station.record_face_comparison(admin, Band.LOOK_CAREFULLY, "001085014763")
    (event,) = station.db.audit.search(action="face_compare")
    assert (event.kind, event.operator, event.outcome) == ("read", "admin", "look_carefully")
    assert event.document_hash == station.db.document_hash("001085014763")
    assert (event.verdict, event.checks, event.detail, event.reader_name) == (None, (), {}, None)
    assert station.search_audit(id_number="0010 8501 4763")[-1].action == "face_compare"
    assert [(e.kind, e.data, e.result, e.error) for e in seen] == [
        (events.FACE_COMPARED, {"band": "look_carefully"}, None, None)
    ]


def test_a_band_that_is_not_one_is_refused(station: Station, admin: Operator) -> None:
    with pytest.raises(ValueError, match="not a valid Band"):
        station.record_face_comparison(admin, "looks fine to me", None)  # type: ignore[arg-type]
    assert station.db.audit.search(action="face_compare") == []


def test_the_models_load_once_on_first_use(station: Station, face_engine: FaceEngine) -> None:
    first = station.face_engine()
    assert station.face_engine() is first


def test_the_opencv_camera_plays_a_video_and_lets_its_frames_go(tmp_path: Path) -> None:
    """The capture thread against a real OpenCV source: a short video stands in for a webcam. Its
    frames come out as RGB pictures; at the end of the video the camera reports it stopped."""
    import cv2
    import numpy as np

    video = tmp_path / "counter.avi"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter.fourcc(*"MJPG"), 10, (320, 240))
    bgr = np.zeros((240, 320, 3), np.uint8)
    bgr[:, :] = (40, 60, 200)  # blue, green, red: a red picture
    for _ in range(5):
        writer.write(bgr)
    writer.release()

    camera = OpenCvCamera(video)
    camera.start()
    frame = camera.frame()
    assert frame is not None and frame.mode == "RGB" and frame.size == (320, 240)
    red, green, blue = frame.getpixel((160, 120))  # type: ignore[misc]
    assert red > 150 and green < 100 and blue < 90
    deadline = time.monotonic() + 5
    while camera.failure is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert camera.failure == f"camera {video} stopped giving pictures"
    camera.stop()
    assert camera.frame() is None


def test_an_empty_video_is_a_camera_that_gives_no_picture(tmp_path: Path) -> None:
    video = tmp_path / "empty.avi"
    video.write_bytes(b"RIFF\x00\x00\x00\x00AVI ")
    with pytest.raises(CameraError):
        OpenCvCamera(video).start()
