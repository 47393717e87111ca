"""The demo reader's controls: whose card, in what condition, place/remove it, unplug the reader.

Drives the station's :class:`~cccd_station.station.readers.DemoReaders`; what the reader then reports
comes back through the station's events (the bridge), like a real reader's.
"""

from __future__ import annotations

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from cccd_station.station.readers import DemoReaders
from cccd_station.ui.station_bridge import StationBridge

# Conditions the demo card can be in (virtual chip faults, reader.chip.faults spellings).
GENUINE: tuple[str, ...] = ()
TAMPERED = ("tampered-dg=13",)  # DG13 changed after EF.SOD was signed: the hash check fails
UNKNOWN_ISSUER = ("unknown-csca",)  # signed under a CSCA that is not Vietnam's trusted one: failed
CLONED = ("cloned-aa",)  # a copy of the data on another chip: active authentication fails
NO_CHIP_AUTH = ("no-chip-auth",)  # an older chip without CA or AA: genuine data, copy not ruled out: partial
BAC_ONLY = ("bac-only",)  # an older chip without PACE: opens only with the MRZ data


class DemoPanel(QGroupBox):
    """Place and remove the virtual card (F8), unplug and plug the demo reader (F9)."""

    def __init__(
        self,
        readers: DemoReaders,
        personas: list[tuple[str, str, str]],
        bridge: StationBridge,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.readers = readers
        self.personas = personas
        self.persona = QComboBox(self)
        for key, name, number in personas:
            self.persona.addItem(f"{name} — {number}", key)
        self.condition = QComboBox(self)
        self.condition_label = QLabel(self)
        self.condition_label.setBuddy(self.condition)
        self.card_button = QPushButton(self)
        self.card_button.clicked.connect(self.toggle_card)
        self.plug_button = QPushButton(self)
        self.plug_button.clicked.connect(self.toggle_reader)
        # Separate shortcuts: a button's setText() replaces its shortcut with the text's mnemonic.
        QShortcut(QKeySequence("F8"), self, self.toggle_card)
        QShortcut(QKeySequence("F9"), self, self.toggle_reader)
        self.persona_label = QLabel(self)
        self.persona_label.setBuddy(self.persona)
        layout = QVBoxLayout(self)
        layout.addWidget(self.persona_label)
        layout.addWidget(self.persona)
        layout.addWidget(self.condition_label)
        layout.addWidget(self.condition)
        buttons = QHBoxLayout()
        buttons.addWidget(self.card_button)
        buttons.addWidget(self.plug_button)
        layout.addLayout(buttons)
        for signal in (bridge.card_inserted, bridge.card_removed, bridge.reader_added, bridge.reader_removed):
            signal.connect(self._reader_changed)
        self.retranslate()

    @property
    def card_present(self) -> bool:
        return self.readers.card is not None

    def retranslate(self) -> None:
        self.setTitle(self.tr("Demo reader (virtual card)"))
        self.persona_label.setText(self.tr("&Card of:"))
        self.condition_label.setText(self.tr("C&ondition of the card:"))
        chosen = max(0, self.condition.currentIndex())
        self.condition.clear()
        for text, faults in (
            (self.tr("Genuine"), GENUINE),
            (self.tr("Tampered (data changed)"), TAMPERED),
            (self.tr("Signed by an unknown authority"), UNKNOWN_ISSUER),
            (self.tr("Cloned chip"), CLONED),
            (self.tr("Older chip (no copy protection)"), NO_CHIP_AUTH),
            (self.tr("Older chip (MRZ data only)"), BAC_ONLY),
        ):
            self.condition.addItem(text, faults)
        self.condition.setCurrentIndex(chosen)
        self._show_buttons()

    def _show_buttons(self) -> None:
        self.card_button.setText(
            self.tr("Remove card (F8)") if self.card_present else self.tr("Place card (F8)")
        )
        self.plug_button.setText(
            self.tr("Unplug reader (F9)") if self.readers.plugged else self.tr("Plug in reader (F9)")
        )

    def _reader_changed(self, _reader: str) -> None:
        self._show_buttons()

    def select_condition(self, faults: tuple[str, ...]) -> None:
        for index in range(self.condition.count()):
            if tuple(self.condition.itemData(index)) == faults:
                self.condition.setCurrentIndex(index)

    def select_persona(self, key: str) -> None:
        index = self.persona.findData(key)
        if index >= 0:
            self.persona.setCurrentIndex(index)

    def toggle_card(self) -> None:
        if self.card_present:
            self.readers.remove_card()
        elif self.readers.plugged:
            self.readers.place_card(str(self.persona.currentData()), tuple(self.condition.currentData()))

    def toggle_reader(self) -> None:
        if self.readers.plugged:
            self.readers.unplug()
        else:
            self.readers.plug()
