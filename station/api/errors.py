"""How the local API answers an error: an HTTP status and ``{"error": kind, "message": sentence}``.

The kind is the station's one error taxonomy (:func:`cccd_station.station.errors.error_kind`); the
message is the English sentence the command line prints for the same error.
"""

from __future__ import annotations

from typing import ClassVar

from cccd_station.db import DbError
from cccd_station.station.errors import UNEXPECTED, error_kind

STATUS_BY_KIND = {
    "bad_key": 422,  # the key cannot be a key: same sentence as the command line
    "wrong_key": 423,  # the card refused the key
    "mrz_required": 423,  # the card opens only with its MRZ data
    "busy": 409,  # another read is using the reader
    "no_card": 408,  # no card came within wait_s
    "card_removed": 410,  # the card left the reader during the read
    "reader_unavailable": 503,
    "cancelled": 503,  # the server is stopping
    "card_refused": 502,  # the card answered, but not as a document should
    "secure_messaging": 502,
    "bad_chip_data": 502,
    "unsupported_card": 502,
    "card_error": 502,
}


class ApiError(Exception):
    """An answer other than success, raised inside an endpoint."""

    kind: ClassVar[str] = "api_error"

    def __init__(self, status: int, error: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message
        self.headers = headers or {}

    def body(self) -> dict[str, str]:
        return {"error": self.error, "message": self.message}


def api_error(error: BaseException) -> ApiError:
    """The answer for an error a read (or its release) ended with."""
    kind = error_kind(error)
    if kind == UNEXPECTED:
        return ApiError(500, kind, "Unexpected error: the station's log says more.")
    if isinstance(error, DbError):  # the station's database failed: the read is not released
        return ApiError(503, kind, str(error))
    return ApiError(STATUS_BY_KIND.get(kind, 502), kind, str(error) or kind.replace("_", " "))
