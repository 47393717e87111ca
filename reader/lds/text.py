"""Text folding shared by the MRZ builders and the holder comparison."""

from __future__ import annotations

import unicodedata

# Letters that Unicode does not decompose into a base letter plus a combining mark.
_NO_DECOMPOSITION = str.maketrans({"Đ": "D", "đ": "d", "Ð": "D", "ð": "d", "Ø": "O", "ø": "o", "ß": "ss"})


def strip_diacritics(text: str) -> str:
    """'Nguyễn Thị Đào' -> 'Nguyen Thi Dao' (how Vietnamese names are written in the MRZ)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_NO_DECOMPOSITION))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def name_words(text: str) -> list[str]:
    """Upper-case ASCII words of a name, ignoring diacritics, punctuation and MRZ fillers."""
    folded = strip_diacritics(text).upper()
    cleaned = "".join(char if "A" <= char <= "Z" or char.isdigit() else " " for char in folded)
    return cleaned.split()


def redacted_repr(value: object, shown: tuple[str, ...] = ()) -> str:
    """A repr that names the class and only the non-personal ``shown`` fields, so that a value
    that ends up in a log or traceback never carries a citizen's data."""
    parts = ", ".join(f"{name}={getattr(value, name)!r}" for name in shown)
    return (
        f"{type(value).__name__}({parts}, <personal data redacted>)"
        if parts
        else (f"{type(value).__name__}(<personal data redacted>)")
    )
