"""Screenshots of the sign-in dialog and the admin window, with fictitious data in a throw-away station.

QT_QPA_PLATFORM=offscreen python -m cccd_station.ui.admin.screenshots docs/screenshots
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from cccd_station.reader.chip.personas import load_persona
from cccd_station.reader.chip.pki import TESTPKI_DIR
from cccd_station.reader.keys import AccessKey, IdNumberKey
from cccd_station.station.core import Operator, Role, Station
from cccd_station.station.demo import demo_key
from cccd_station.station.readers import DEMO_READER, DemoReaders
from cccd_station.ui.admin.admin_window import AdminWindow
from cccd_station.ui.admin.sign_in import SignInDialog
from cccd_station.ui.app import setup_application

DEMO_PASSWORD = "Quan-tri-2026"  # noqa: S105 - a throw-away demo station


def _save(widget: QWidget, path: Path) -> None:
    widget.show()
    QApplication.processEvents()  # lay out once before grabbing (a script, not a test)
    widget.grab().save(str(path))
    print(path)


def _read(
    station: Station, operator: Operator, persona: str, key: AccessKey, faults: tuple[str, ...] = ()
) -> object:
    """A real read of the demo card through the core (which audits it); None when it failed."""
    assert isinstance(station.readers, DemoReaders)
    station.readers.place_card(persona, faults)
    try:
        return station.read(key, reader=DEMO_READER, operator=operator)
    except Exception:  # a refused key: audited by the core all the same
        return None
    finally:
        station.readers.remove_card()


def main(out_dir: Path) -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    setup_application(app, "vi")  # as at a counter: the check names in the audit trail in Vietnamese too
    out_dir.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory() as scratch,
        Station.open(Path(scratch), readers=DemoReaders()) as station,
    ):
        first_run = SignInDialog(station)
        _save(first_run, out_dir / "admin-first-run.png")
        admin = station.db.operators.create_first_admin("admin", "Trần Thị Quản Trị", DEMO_PASSWORD)
        clerk = station.db.operators.create(admin, "lan.nguyen", "Nguyễn Thị Lan", DEMO_PASSWORD, Role.CLERK)
        station.db.operators.create(admin, "binh.le", "Lê Văn Bình", DEMO_PASSWORD, Role.CLERK)
        for _attempt in range(5):
            try:
                station.db.operators.sign_in("binh.le", "wrong-password")
            except Exception:  # noqa: S112 - locking the demo account on purpose
                continue
        sign_in = SignInDialog(station)
        sign_in.username.setText("binh.le")
        sign_in.password.setText("wrong-password")
        sign_in.try_sign_in()
        _save(sign_in, out_dir / "admin-sign-in.png")

        assert station.trust is not None
        station.trust.import_path(TESTPKI_DIR / "csca-test-vnm.pem", admin)
        station.trust.import_path(TESTPKI_DIR / "masterlist-test.ml", admin)
        station.trust.import_path(TESTPKI_DIR / "crl-test-vnm.crl", admin)
        an = _read(station, clerk, "nguyen-van-an", demo_key("nguyen-van-an"))
        _read(station, clerk, "nguyen-van-an", IdNumberKey("001085999999"))  # a mistyped number
        _read(station, clerk, "lindqvist-maja", demo_key("lindqvist-maja"), ("tampered-dg=2",))
        dao = _read(station, clerk, "pham-thi-dao", demo_key("pham-thi-dao"))
        for result in (an, dao):
            if result is not None:
                station.save_record(clerk, result)  # type: ignore[arg-type]

        window = AdminWindow(station, admin)
        window.resize(1366, 640)  # a counter laptop's screen width
        for index, name in enumerate(("operators", "audit", "records", "trust", "settings")):
            window.tabs.setCurrentIndex(index)
            _save(window, out_dir / f"admin-{name}.png")
        window.records_tab.table.selectRow(0)
        dialog = window.records_tab.view(window.records_tab.selected_ids()[0])
        if dialog is not None:
            _save(dialog, out_dir / "admin-record-view.png")
        window.close()
        _main_window_shot(station, clerk, out_dir / "admin-main-window.png")
    del app


def _main_window_shot(station: Station, operator: Operator, path: Path) -> None:
    """The counter's window with the hooks attached, after a read (sync state in the status bar)."""
    from PySide6.QtCore import QEventLoop, QTimer

    from cccd_station.ui.admin.wiring import attach_admin
    from cccd_station.ui.app import build_window

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    translations = setup_application(app, "vi")
    window = build_window(station, translations)
    hooks = attach_admin(window, station, operator)
    window.resize(1366, 768)
    window.show()
    done = QEventLoop()
    window.result_shown.connect(done.quit)
    QTimer.singleShot(60_000, done.quit)
    id_number = load_persona("nguyen-van-an").id_number or ""
    window.keys.set_id_number(id_number)
    if window.demo_panel is not None:
        window.demo_panel.select_persona("nguyen-van-an")
        window.demo_panel.toggle_card()
    done.exec()  # a script waiting for the card thread, not a test
    hooks.sync_indicator.refresh()
    _save(window, path)
    window.close()
    window.deleteLater()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/screenshots"))
