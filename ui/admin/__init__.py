"""Sign-in, the administrator's screens and the status-bar sync indicator (issue 6, "In the program").

Entry points for the main window:

- :func:`sign_in` / :class:`SignInDialog` when the station starts (first run creates the first admin);
- :func:`open_admin_window` / :class:`AdminWindow` for administrators;
- :class:`SyncIndicator` for the status bar;
- :class:`SaveRecordAction` for "Save record" (the core audits every read attempt by itself);
- :func:`attach_admin` does all of the above for a :class:`ui.main_window.MainWindow` in one call.

All of them take the one :class:`cccd_station.station.core.Station`.
"""

from __future__ import annotations

from cccd_station.ui.admin.admin_window import AdminWindow, open_admin_window
from cccd_station.ui.admin.messages import error_message
from cccd_station.ui.admin.record_actions import SaveRecordAction
from cccd_station.ui.admin.sign_in import SignInDialog, sign_in
from cccd_station.ui.admin.sync_indicator import SyncIndicator
from cccd_station.ui.admin.wiring import AdminHooks, attach_admin

__all__ = [
    "AdminHooks",
    "AdminWindow",
    "SaveRecordAction",
    "SignInDialog",
    "SyncIndicator",
    "attach_admin",
    "error_message",
    "open_admin_window",
    "sign_in",
]
