"""Screenshots of the sign-in dialog and the admin window, with fictitious data in a throw-away station.

QT_QPA_PLATFORM=offscreen python -m cccd_station.ui.admin.screenshots docs/screenshots
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from cccd_station.crypto.verdict import (
    CHIP_ACTIVE_AUTHENTICATION,
    CHIP_AUTHENTICATION,
    DG_HASHES,
    DSC_CHAIN,
    DSC_REVOCATION,
    MRZ_CONSISTENCY,
    SOD_SIGNATURE,
    Check,
    verdict_of,
)
from cccd_station.db import Operator, Role, TrustKind
from cccd_station.reader.chip.pki import TESTPKI_DIR
from cccd_station.reader.errors import AccessDeniedError, CardRemovedError
from cccd_station.station.records_service import StationServices
from cccd_station.ui.admin.admin_window import AdminWindow
from cccd_station.ui.admin.sign_in import SignInDialog
from cccd_station.ui.app import setup_application

DEMO_PASSWORD = "Quan-tri-2026"  # noqa: S105 - a throw-away demo station


def _save(widget: QWidget, path: Path) -> None:
    widget.show()
    QApplication.processEvents()  # lay out once before grabbing (a script, not a test)
    widget.grab().save(str(path))
    print(path)


def _demo_result(persona: str, forged: bool = False) -> object:
    from cccd_station.reader.channel import LinkStats
    from cccd_station.reader.chip.personas import load_persona
    from cccd_station.reader.lds.dg2 import parse_dg2
    from cccd_station.reader.lds.dg13 import parse_dg13
    from cccd_station.reader.lds.holder import HolderRecord
    from cccd_station.reader.lds.mrz import parse_dg1
    from cccd_station.station.pipeline import AccessInfo, InspectionResult

    groups = load_persona(persona).data_groups()
    mrz = parse_dg1(groups[1])
    holder = parse_dg13(groups[13]) if 13 in groups else None
    checks = [
        Check.passed(SOD_SIGNATURE, "ok"),
        Check.passed(DSC_CHAIN, "ok"),
        Check.passed(DSC_REVOCATION, "ok"),
        Check.failed(DG_HASHES, "DG2") if forged else Check.passed(DG_HASHES, "ok"),
        Check.passed(CHIP_ACTIVE_AUTHENTICATION, "ok"),
        Check.passed(CHIP_AUTHENTICATION, "ok"),
        Check.passed(MRZ_CONSISTENCY, "ok"),
    ]
    return InspectionResult(
        verdict_of(checks), checks, AccessInfo("PACE-ECDH-GM-AES-128", "can"), mrz, holder,
        HolderRecord.merge(mrz, holder), parse_dg2(groups[2]), None, None, LinkStats(), 1.0,
    )  # fmt: skip


def main(out_dir: Path) -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    setup_application(app, "vi")  # as at a counter: the check names in the audit trail in Vietnamese too
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch, StationServices.open(Path(scratch)) as services:
        first_run = SignInDialog(services)
        _save(first_run, out_dir / "admin-first-run.png")
        admin = services.db.operators.create_first_admin("admin", "Trần Thị Quản Trị", DEMO_PASSWORD)
        clerk = services.db.operators.create(admin, "lan.nguyen", "Nguyễn Thị Lan", DEMO_PASSWORD, Role.CLERK)
        services.db.operators.create(admin, "binh.le", "Lê Văn Bình", DEMO_PASSWORD, Role.CLERK)
        for _attempt in range(5):
            try:
                services.db.operators.sign_in("binh.le", "wrong-password")
            except Exception:  # noqa: S112 - locking the demo account on purpose
                continue
        sign_in = SignInDialog(services)
        sign_in.username.setText("binh.le")
        sign_in.password.setText("wrong-password")
        sign_in.try_sign_in()
        _save(sign_in, out_dir / "admin-sign-in.png")

        services.import_trust_file(admin, TESTPKI_DIR / "masterlist-test.ml", TrustKind.MASTER_LIST)
        services.import_trust_file(admin, TESTPKI_DIR / "crl-test-vnm.crl", TrustKind.CRL)
        services.record_attempt(clerk, "Virtual PCD 00 00", _demo_result("nguyen-van-an"))  # type: ignore[arg-type]
        services.record_attempt(clerk, "Virtual PCD 00 00", AccessDeniedError("wrong key"))
        services.record_attempt(clerk, "Virtual PCD 00 01", _demo_result("lindqvist-maja", True))  # type: ignore[arg-type]
        services.record_attempt(clerk, "Virtual PCD 00 00", CardRemovedError("removed"))
        services.save_record(clerk, _demo_result("nguyen-van-an"))  # type: ignore[arg-type]
        services.save_record(clerk, _demo_result("pham-thi-dao"))  # type: ignore[arg-type]

        window = AdminWindow(services, admin)
        window.resize(1366, 640)  # a counter laptop's screen width
        for index, name in enumerate(("operators", "audit", "records", "trust", "settings")):
            window.tabs.setCurrentIndex(index)
            _save(window, out_dir / f"admin-{name}.png")
        window.records_tab.table.selectRow(0)
        dialog = window.records_tab.view(window.records_tab.selected_ids()[0])
        if dialog is not None:
            _save(dialog, out_dir / "admin-record-view.png")
        window.close()
        _main_window_shot(services, clerk, out_dir / "admin-main-window.png")
    del app


def _main_window_shot(services: StationServices, operator: Operator, path: Path) -> None:
    """The counter's window with the hooks attached, after a demo read (sync state in the status bar)."""
    from PySide6.QtCore import QEventLoop, QTimer

    from cccd_station.station.settings import StationSettings
    from cccd_station.ui.admin.wiring import attach_admin
    from cccd_station.ui.app import build_window

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    translations = setup_application(app, "vi")
    window, keep_alive = build_window(StationSettings(auto_clear_seconds=600), translations, demo=True)
    hooks = attach_admin(window, services, operator)
    window.resize(1366, 768)
    window.show()
    done = QEventLoop()
    window.result_shown.connect(lambda _result: done.quit())
    QTimer.singleShot(60_000, done.quit)
    window.keys.setCurrentIndex(window.keys.ID_TAB)
    window.keys.id_field.setText("001085014763")  # the fictitious persona nguyen-van-an
    window.keys.id_field.textEdited.emit("001085014763")
    if window.demo_panel is not None:
        window.demo_panel.select_persona("nguyen-van-an")
        window.demo_panel.toggle_card()
    done.exec()  # a script waiting for the card thread, not a test
    hooks.sync_indicator.refresh()
    _save(window, path)
    window.close()
    del keep_alive


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/screenshots"))
