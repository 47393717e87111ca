"""Verdict icons drawn in code, so colour is never the only signal: a tick, an exclamation mark, a cross."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen, QPixmap, QPolygonF

from cccd_station.crypto.verdict import Verdict

GREEN = "#1b7f3b"
AMBER = "#b36b00"
RED = "#b3261e"
VERDICT_COLOURS = {Verdict.VERIFIED: GREEN, Verdict.PARTIAL: AMBER, Verdict.FAILED: RED}


def verdict_icon(verdict: Verdict, size: int = 48) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    white = QPen(
        QColor("white"), size / 9, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin
    )
    painter.setPen(QPen(QColor("white"), size / 24))
    painter.setBrush(QColor(VERDICT_COLOURS[verdict]))
    s = float(size)
    if verdict is Verdict.PARTIAL:
        painter.drawPolygon(
            QPolygonF([QPointF(s / 2, s * 0.05), QPointF(s * 0.97, s * 0.92), QPointF(s * 0.03, s * 0.92)])
        )
        painter.setPen(white)
        painter.drawLine(QPointF(s / 2, s * 0.35), QPointF(s / 2, s * 0.62))
        painter.drawPoint(QPointF(s / 2, s * 0.78))
    else:
        painter.drawEllipse(QRectF(s * 0.04, s * 0.04, s * 0.92, s * 0.92))
        painter.setPen(white)
        if verdict is Verdict.VERIFIED:
            path = QPainterPath(QPointF(s * 0.28, s * 0.52))
            path.lineTo(QPointF(s * 0.44, s * 0.68))
            path.lineTo(QPointF(s * 0.73, s * 0.34))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(path)
        else:
            painter.drawLine(QPointF(s * 0.32, s * 0.32), QPointF(s * 0.68, s * 0.68))
            painter.drawLine(QPointF(s * 0.68, s * 0.32), QPointF(s * 0.32, s * 0.68))
    painter.end()
    return pixmap
