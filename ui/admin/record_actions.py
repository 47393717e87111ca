"""Hooks for the counter's main window: audit every read, and the "Save record" action."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from cccd_station.db import DbError, Operator
from cccd_station.station.pipeline import InspectionResult
from cccd_station.station.records_service import StationServices
from cccd_station.ui.admin.messages import error_message


def audit_read(
    services: StationServices,
    operator: Operator | None,
    reader_name: str | None,
    outcome: InspectionResult | BaseException,
) -> str | None:
    """Record one read attempt; None when stored, else the sentence to show (the read itself stands)."""
    try:
        services.record_attempt(operator, reader_name, outcome)
    except DbError as error:
        return error_message(error)
    return None


class SaveRecordAction(QAction):
    """ "Lưu hồ sơ": saves the shown result, encrypted, only when the clerk triggers it.

    Call :meth:`set_result` when a result is shown or cleared. Emits :attr:`saved` with the record's
    info, or :attr:`failed` with the sentence to show.
    """

    saved = Signal(object)  # db.SavedRecordInfo
    failed = Signal(str)

    def __init__(
        self,
        services: StationServices,
        current_operator: Callable[[], Operator | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._current_operator = current_operator
        self._result: InspectionResult | None = None
        self.setObjectName("save_record_action")
        self.retranslate()
        self.setEnabled(False)
        self.triggered.connect(self.save)

    def retranslate(self) -> None:
        self.setText(self.tr("&Lưu hồ sơ"))
        self.setToolTip(self.tr("Lưu thông tin và ảnh của người này (được mã hóa)"))

    def set_result(self, result: InspectionResult | None) -> None:
        self._result = result
        self.setEnabled(result is not None)

    def save(self) -> None:
        result, operator = self._result, self._current_operator()
        if result is None:
            return
        if operator is None:
            self.failed.emit(self.tr("Hãy đăng nhập trước khi lưu hồ sơ."))
            return
        try:
            info = self._services.save_record(operator, result)
        except (DbError, ValueError) as error:
            self.failed.emit(error_message(error))
            return
        self.setEnabled(False)  # one save per read: a second click must not store a duplicate
        self.saved.emit(info)
