"""Face comparison figures on this machine: model start-up, memory, time per comparison, distances.

    .venv/bin/python bench/face.py [--runs N]

- start-up: loading the models (what the camera's first start costs, once per process);
- memory: the process's resident size before and after loading (Linux /proc; the models' share);
- the portrait: detection and embedding of a 240x320 chip portrait (done when the camera starts);
- a comparison: what a key press costs, the frame's detection and embedding and the band, on a
  640x480 camera-sized frame (median of the runs);
- distances between the test photographs (tests/data/faces) and their chip-quality copies.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from PIL import Image

from cccd_station.reader.chip.portrait import encode_portrait
from cccd_station.reader.lds.dg2 import FaceImage
from cccd_station.station.face import FaceMatcher, FaceThresholds, load_engine

FACES = Path(__file__).resolve().parent.parent / "tests" / "data" / "faces"
CHIP_FRAMING = {
    "collins": (97, 21, 262, 242),
    "obama-portrait": (118, 3, 314, 265),
    "biden-portrait": (82, 7, 422, 460),
}
SHORT = {"very_likely_same": "same", "look_carefully": "look", "likely_different": "diff"}
FRAMES = ("collins", "obama-portrait", "obama-podium", "biden-portrait", "biden-whitehouse")


def resident_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def photo(name: str) -> Image.Image:
    with Image.open(FACES / f"{name}.jpg") as image:
        return image.convert("RGB")


def chip_portrait(name: str) -> Image.Image:
    framed = photo(name).crop(CHIP_FRAMING[name]).resize((240, 320), Image.Resampling.LANCZOS)
    return FaceImage.from_image_bytes(encode_portrait(framed, "jp2")).to_image()


def camera_frame(name: str) -> Image.Image:
    """The photograph centred on a 640x480 frame, as a webcam at the counter would give it."""
    picture = photo(name)
    picture.thumbnail((640, 480))
    frame = Image.new("RGB", (640, 480), "#9aa4ad")
    frame.paste(picture, ((640 - picture.width) // 2, (480 - picture.height) // 2))
    return frame


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    before = resident_mb()
    started = time.perf_counter()
    engine = load_engine()
    loaded = time.perf_counter() - started
    after = resident_mb()
    print(f"models loaded in {loaded * 1000:.0f} ms; resident memory {before:.0f} -> {after:.0f} MB")

    matcher = FaceMatcher(engine)
    portrait = chip_portrait("obama-portrait")
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        matcher.set_portrait(portrait)
        times.append(time.perf_counter() - started)
    print(f"chip portrait 240x320: {statistics.median(times) * 1000:.0f} ms (median of {args.runs})")

    frame = camera_frame("obama-podium")
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        comparison = matcher.compare(frame, FaceThresholds())
        times.append(time.perf_counter() - started)
    print(
        f"comparison, 640x480 frame: median {statistics.median(times) * 1000:.0f} ms, "
        f"max {max(times) * 1000:.0f} ms; band {comparison.band.value}, distance {comparison.distance:.3f}"
    )
    print(f"resident memory after the runs: {resident_mb():.0f} MB")

    print("\ndistance, chip portrait (JPEG 2000, 240x320) against a camera frame of each photograph:")
    print(" " * 16 + "".join(f"{name:>18}" for name in FRAMES))
    for name in CHIP_FRAMING:
        matcher.set_portrait(chip_portrait(name))
        row = [matcher.compare(camera_frame(frame_name), FaceThresholds()) for frame_name in FRAMES]
        print(f"{name:16}" + "".join(f"{c.distance:13.3f} {SHORT[c.band.value]:>4}" for c in row))
    return 0


if __name__ == "__main__":
    sys.exit(main())
