"""The "Save record" action of the counter's main window (the core audits every read by itself)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from cccd_station.station.core import Operator, Station
from cccd_station.ui.admin.messages import error_message

if TYPE_CHECKING:
    from cccd_station.station.pipeline import InspectionResult


class SaveRecordAction(QAction):
    """ "Lưu hồ sơ": saves the shown result, encrypted, only when the clerk triggers it.

    Call :meth:`set_result` when a result is shown or cleared. Emits :attr:`saved` with the record's
    info, or :attr:`failed` with the sentence to show.
    """

    saved = Signal(object)  # db.SavedRecordInfo
    failed = Signal(str)

    def __init__(
        self,
        station: Station,
        current_operator: Callable[[], Operator | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._station = station
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
            info = self._station.save_record(operator, result)
        except Exception as error:
            self.failed.emit(error_message(error))
            return
        self.setEnabled(False)  # one save per read: a second click must not store a duplicate
        self.saved.emit(info)
