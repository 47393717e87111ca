"""Run-time language switch (Vietnamese default, English) with Qt's translators.

Source strings are English; ``resources/i18n/station_vi.ts`` holds the Vietnamese, compiled to
``station_vi.qm`` with pyside6-lrelease (``scripts``: see resources/i18n/README).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

from cccd_station.resources import resource_path

log = logging.getLogger(__name__)

I18N_DIR = resource_path("i18n")
LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}


# Translators this module installed, whichever Translations object did it: one language at a time.
_installed: list[QTranslator] = []


def remove_translations() -> None:
    """Uninstall the translators installed here: every window falls back to its source strings."""
    app = QCoreApplication.instance()
    if app is not None:
        for translator in _installed:
            app.removeTranslator(translator)
    _installed.clear()


class Translations:
    """Holds the installed translators; after :meth:`set_language` the windows retranslate themselves."""

    def __init__(self) -> None:
        self.language = "en"

    def set_language(self, language: str) -> None:
        app = QCoreApplication.instance()
        if app is None:
            raise RuntimeError("create the QApplication first")
        remove_translations()
        self.language = language if language in LANGUAGES else "vi"
        if self.language == "en":
            # Only the admin screens need a translator in English: their sources are Vietnamese.
            admin = QTranslator(app)
            if admin.load(str(I18N_DIR / "admin_en.qm")):
                _installed.append(admin)
                app.installTranslator(admin)
            return
        ours = QTranslator(app)
        if ours.load(str(I18N_DIR / f"station_{self.language}.qm")):
            _installed.append(ours)
        else:
            log.warning("no %s translation in %s; showing English", self.language, I18N_DIR)
        qt_base = QTranslator(app)
        if qt_base.load(
            f"qtbase_{self.language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        ):
            _installed.append(qt_base)  # standard dialogs (print, file) in the same language
        for translator in _installed:
            app.installTranslator(translator)
