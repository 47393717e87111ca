"""Data files shipped with the station: translations, the TEST PKI of the virtual card and the reference
web client. Found through importlib.resources, so an installed wheel finds them as a checkout does."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def resource_path(*parts: str) -> Path:
    """A shipped file or folder on disk (a wheel installs unzipped, so every resource is a real file)."""
    return Path(str(resources.files(__name__).joinpath(*parts)))
