"""Small pieces shared by the admin tabs: a read-only table and a status line."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QWidget


def make_table(headers: Sequence[str], parent: QWidget | None = None, *, multi: bool = False) -> QTableWidget:
    """A read-only, row-selecting table; arrow keys move, Tab leaves it."""
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(
        QAbstractItemView.SelectionMode.ExtendedSelection
        if multi
        else QAbstractItemView.SelectionMode.SingleSelection
    )
    table.setTabKeyNavigation(False)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def fill_table(
    table: QTableWidget, rows: Sequence[Sequence[str]], keys: Sequence[object] | None = None
) -> None:
    """Replace the rows; ``keys[i]`` is kept on row i's first cell (Qt.UserRole)."""
    table.setRowCount(0)
    table.setRowCount(len(rows))
    for row_index, row in enumerate(rows):
        for column, value in enumerate(row):
            item = QTableWidgetItem(value)
            if column == 0 and keys is not None:
                item.setData(Qt.ItemDataRole.UserRole, keys[row_index])
            table.setItem(row_index, column, item)
    table.resizeColumnsToContents()


def selected_keys(table: QTableWidget) -> list[object]:
    rows = sorted({index.row() for index in table.selectionModel().selectedRows()})
    items = [table.item(row, 0) for row in rows]
    return [item.data(Qt.ItemDataRole.UserRole) for item in items if item is not None]


class StatusLine(QLabel):
    """One line under a tab: what the last action did, or why it was refused."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("status_line")
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def ok(self, text: str) -> None:
        self.setStyleSheet("color: #1e7a34;")
        self.setText(text)

    def error(self, text: str) -> None:
        self.setStyleSheet("color: #b3261e;")
        self.setText(text)
