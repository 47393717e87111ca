"""Drawn portraits for the virtual chip's fictitious holders.

A simple cartoon face (background, shoulders, neck, head, hair, eyes, brows, nose, mouth) drawn
with Pillow, the same picture every time for the same style, plus a faint grain so the JPEG is
about as large as a real card's portrait (10-15 KB).
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass

from PIL import Image, ImageChops, ImageDraw, ImageFilter

FORMATS = ("jpeg", "jp2", "j2k")
JPEG_TARGET_BYTES = 15_000
JPEG2000_RATE = 20  # compression ratio: 240x320 RGB -> about 11 KB


@dataclass(frozen=True)
class PortraitStyle:
    """How a persona looks: colours as '#rrggbb', hair_style 'short' | 'long' | 'bun' | 'bald'."""

    seed: int
    skin: str = "#e8c09a"
    hair: str = "#1d1611"
    hair_style: str = "short"
    eyes: str = "#2b1d14"
    shirt: str = "#f2f2f2"
    background: str = "#dfe8f0"
    glasses: bool = False


def _rgb(colour: str) -> tuple[int, int, int]:
    if len(colour) != 7 or not colour.startswith("#"):
        raise ValueError(f"colour must be '#rrggbb', got {colour!r}")
    value = int(colour[1:], 16)
    return value >> 16, (value >> 8) & 0xFF, value & 0xFF


def _shade(colour: tuple[int, int, int], factor: float) -> tuple[int, int, int]:
    r, g, b = (max(0, min(255, round(part * factor))) for part in colour)
    return r, g, b


def draw_portrait(style: PortraitStyle | int, width: int = 240, height: int = 320) -> Image.Image:
    """A cartoon head-and-shoulders portrait; deterministic for a given style (or seed)."""
    if isinstance(style, int):
        style = PortraitStyle(seed=style)
    if width < 60 or height < 80:
        raise ValueError("portrait must be at least 60x80 pixels")
    # Not for security: a fixed seed makes each persona's face reproducible.
    rng = random.Random(style.seed)  # noqa: S311
    skin, hair, shirt = _rgb(style.skin), _rgb(style.hair), _rgb(style.shirt)
    background = _rgb(style.background)
    image = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(image)

    # A soft vertical gradient, as under studio lighting.
    for y in range(height):
        draw.line([(0, y), (width, y)], fill=_shade(background, 1.04 - 0.12 * y / height))

    cx = width / 2 + rng.uniform(-0.02, 0.02) * width
    head_w = width * rng.uniform(0.42, 0.47)
    head_h = height * rng.uniform(0.42, 0.46)
    head_top = height * 0.14
    head_box = (cx - head_w / 2, head_top, cx + head_w / 2, head_top + head_h)

    if style.hair_style == "long":  # hair behind the shoulders
        draw.rounded_rectangle(
            (cx - head_w * 0.62, head_top + head_h * 0.1, cx + head_w * 0.62, height * 0.82),
            radius=int(head_w * 0.3),
            fill=hair,
        )
    # Shoulders and shirt, then the neck.
    draw.ellipse((cx - width * 0.55, height * 0.68, cx + width * 0.55, height * 1.3), fill=shirt)
    collar = _shade(shirt, 0.8)
    draw.polygon(
        [(cx - width * 0.12, height * 0.69), (cx, height * 0.8), (cx + width * 0.12, height * 0.69)],
        fill=collar,
    )
    draw.rectangle(
        (cx - head_w * 0.2, head_top + head_h * 0.8, cx + head_w * 0.2, height * 0.72), fill=_shade(skin, 0.9)
    )
    draw.ellipse((cx - head_w * 0.2, height * 0.66, cx + head_w * 0.2, height * 0.75), fill=_shade(skin, 0.9))

    # Ears, head.
    ear_y = head_top + head_h * 0.45
    for side in (-1, 1):
        ex = cx + side * head_w * 0.5
        draw.ellipse(
            (ex - head_w * 0.07, ear_y - head_h * 0.08, ex + head_w * 0.07, ear_y + head_h * 0.1), fill=skin
        )
    draw.ellipse(head_box, fill=skin)

    # Hair on top.
    if style.hair_style != "bald":
        top = (cx - head_w * 0.54, head_top - head_h * 0.08, cx + head_w * 0.54, head_top + head_h * 0.55)
        draw.chord(top, 180, 360, fill=hair)
        fringe = head_top + head_h * rng.uniform(0.2, 0.27)
        draw.rectangle((cx - head_w * 0.5, head_top + head_h * 0.2, cx + head_w * 0.5, fringe), fill=hair)
        if style.hair_style == "bun":
            bun = head_w * 0.22
            draw.ellipse((cx - bun, head_top - bun * 1.5, cx + bun, head_top + bun * 0.4), fill=hair)

    # Eyes, brows, nose, mouth.
    eye_y = head_top + head_h * rng.uniform(0.45, 0.5)
    eye_dx = head_w * rng.uniform(0.18, 0.22)
    eye_r = head_w * 0.05
    for side in (-1, 1):
        ex = cx + side * eye_dx
        draw.ellipse((ex - eye_r * 1.6, eye_y - eye_r, ex + eye_r * 1.6, eye_y + eye_r), fill="#ffffff")
        draw.ellipse(
            (ex - eye_r * 0.8, eye_y - eye_r * 0.8, ex + eye_r * 0.8, eye_y + eye_r * 0.8),
            fill=_rgb(style.eyes),
        )
        brow_y = eye_y - eye_r * rng.uniform(2.2, 2.8)
        draw.line(
            [(ex - eye_r * 2, brow_y + eye_r * 0.3), (ex + eye_r * 2, brow_y)],
            fill=_shade(hair, 0.9),
            width=3,
        )
        if style.glasses:
            draw.ellipse(
                (ex - eye_r * 2.6, eye_y - eye_r * 2, ex + eye_r * 2.6, eye_y + eye_r * 2),
                outline="#333333",
                width=2,
            )
    if style.glasses:
        draw.line(
            [(cx - eye_dx + eye_r * 2.6, eye_y), (cx + eye_dx - eye_r * 2.6, eye_y)], fill="#333333", width=2
        )
    nose_y = eye_y + head_h * 0.16
    draw.line(
        [(cx, eye_y + eye_r), (cx - head_w * 0.04, nose_y), (cx + head_w * 0.02, nose_y)],
        fill=_shade(skin, 0.75),
        width=2,
    )
    mouth_y = head_top + head_h * 0.78
    mouth_w = head_w * rng.uniform(0.14, 0.2)
    draw.arc(
        (cx - mouth_w, mouth_y - head_h * 0.06, cx + mouth_w, mouth_y + head_h * 0.04),
        20,
        160,
        fill="#9a4a48",
        width=3,
    )

    image = image.filter(ImageFilter.GaussianBlur(0.6))
    return _add_grain(image, rng)


def _add_grain(image: Image.Image, rng: random.Random) -> Image.Image:
    """Faint sensor-like noise; flat cartoons would otherwise compress far below a real photo."""
    noise = Image.frombytes("L", image.size, rng.randbytes(image.width * image.height))
    noise = noise.point(lambda value: 118 + value * 20 // 255).convert("RGB")
    # (image + noise) - 128, clipped once: a small zero-mean perturbation of every pixel.
    return ImageChops.add(image, noise, scale=1.0, offset=-128)


def encode_portrait(image: Image.Image, fmt: str) -> bytes:
    """JPEG (the best quality that fits ~15 KB), JPEG 2000 as a JP2 file ("jp2") or as a raw
    codestream ("j2k")."""
    if fmt not in FORMATS:
        raise ValueError(f"portrait format must be one of {FORMATS}, got {fmt!r}")
    rgb = image.convert("RGB")
    if fmt == "jpeg":
        for quality in range(90, 20, -5):
            data = _save(rgb, "JPEG", quality=quality, optimize=True)
            if len(data) <= JPEG_TARGET_BYTES:
                return data
        return data
    return _save(
        rgb,
        "JPEG2000",
        irreversible=True,
        quality_mode="rates",
        quality_layers=[JPEG2000_RATE],
        no_jp2=fmt == "j2k",
    )


def _save(image: Image.Image, kind: str, **options: object) -> bytes:
    output = io.BytesIO()
    image.save(output, kind, **options)
    return output.getvalue()
