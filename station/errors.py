"""One error taxonomy: every error a front end may show carries its ``kind`` on its class.

The card errors (``reader/errors.py``), the key format error (``reader/keys.py``), the storage errors
(``db/errors.py``), the trust errors and the station's own below all name their kind; front ends turn a
kind into the clerk's sentence with one table each (the window in its language, the local API and the
command line in English) and never sort errors by their class or message.
"""

from __future__ import annotations

from typing import ClassVar

UNEXPECTED = "unexpected"  # a bug: logged with its traceback, shown as "unexpected error"


def error_kind(error: BaseException) -> str:
    """The error's kind ("wrong_key", "card_removed", "storage_full", ...), or "unexpected" for a bug."""
    kind = getattr(type(error), "kind", None)
    return kind if isinstance(kind, str) else UNEXPECTED


class StationError(Exception):
    """Something the station itself refuses."""

    kind: ClassVar[str] = "station_error"


class ReaderBusyError(StationError):
    """Another read is using the reader; try again when it ends."""

    kind: ClassVar[str] = "busy"


class NotAvailableError(StationError):
    """This station runs without a database (an ad-hoc read with --no-audit): no records, no settings."""

    kind: ClassVar[str] = "not_available"
