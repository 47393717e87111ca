"""pcscd stopping and starting again under a running ReaderMonitor, a connection and a VpcdBridge.

The shared pcscd must not be restarted (other tests use it), so the scenario runs in a private
pcscd: a child process in its own mount namespace, with a tmpfs over /run/pcscd and vpcd on
ports of its own. Needs root (for unshare and mount); skipped otherwise.

Run directly (``python tests/test_pcsc_restart.py``) inside such a namespace, this file plays
the scenario and prints what it saw as JSON.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import cast

import pytest

VPCD_CONF = Path("/etc/reader.conf.d/vpcd")
PRIVATE_PORT = 0x9C7B  # vpcd listens here and one above; the shared pcscd uses 35963/35964
PRIVATE_READER = "Virtual PCD 00 01"
ATR = bytes.fromhex("3B88800150435343524553541c")


def scenario() -> dict[str, object]:
    """Inside the namespace: start pcscd, insert a card, restart pcscd; report what happened."""
    from cccd_station.reader.apdu import SW
    from cccd_station.reader.chip.vpcd import VpcdBridge
    from cccd_station.reader.errors import ReaderUnavailableError
    from cccd_station.reader.pcsc import PcscTransport, ReaderEvent, ReaderMonitor, wait_for_card

    class Chip:
        def power_on(self) -> bytes:
            return ATR

        def power_off(self) -> None:
            pass

        def process_apdu(self, apdu: bytes) -> bytes:
            return SW.OK.to_bytes(2, "big")

    config = Path(tempfile.mkdtemp(prefix="pcscd-conf-"))
    driver = VPCD_CONF.read_text()
    driver = re.sub(r"(?m)^DEVICENAME.*$", f"DEVICENAME /dev/null:0x{PRIVATE_PORT:04X}", driver)
    driver = re.sub(r"(?m)^CHANNELID.*$", f"CHANNELID 0x{PRIVATE_PORT:04X}", driver)
    (config / "vpcd").write_text(driver)
    subprocess.run(["mount", "-t", "tmpfs", "tmpfs", "/run/pcscd"], check=True)

    def start_pcscd() -> subprocess.Popen[bytes]:
        daemon = subprocess.Popen(
            ["pcscd", "--foreground", "--config", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            if os.path.exists("/run/pcscd/pcscd.comm"):
                break
            time.sleep(0.05)
        return daemon

    def stop_pcscd(daemon: subprocess.Popen[bytes]) -> None:
        daemon.terminate()
        daemon.wait(10)
        # pcscd leaves its socket behind when killed; a stale one would look like a live service.
        Path("/run/pcscd/pcscd.comm").unlink(missing_ok=True)

    events: list[list[str]] = []
    seen = threading.Condition()

    def record(event: ReaderEvent) -> None:
        with seen:
            events.append([event.kind.name, event.reader, event.atr.hex().upper()])
            seen.notify_all()

    def wait_for(kind: str, count: int) -> None:
        with seen:
            seen.wait_for(lambda: sum(e[0] == kind for e in events) >= count, timeout=10)

    result: dict[str, object] = {"events": events}
    daemon = start_pcscd()
    bridge = VpcdBridge(Chip(), port=PRIVATE_PORT + 1, reconnect_delay=0.2)
    monitor = ReaderMonitor(poll_interval=0.2, retry_interval=0.2)
    monitor.subscribe(record)
    try:
        monitor.start()
        bridge.start()
        wait_for_card(PRIVATE_READER, 10)
        wait_for("CARD_INSERTED", 1)
        transport = PcscTransport(PRIVATE_READER)
        result["before"] = transport.transmit(b"\x00\xa4\x00\x00")[1]

        stop_pcscd(daemon)
        wait_for("SERVICE_UNAVAILABLE", 1)
        try:
            transport.transmit(b"\x00\xa4\x00\x00")
            result["during"] = "answered"
        except ReaderUnavailableError:
            result["during"] = "ReaderUnavailableError"
        except Exception as error:
            result["during"] = type(error).__name__
        transport.close()

        daemon = start_pcscd()
        wait_for("CARD_INSERTED", 2)  # the bridge reconnects to the new vpcd by itself
        wait_for_card(PRIVATE_READER, 10)
        with PcscTransport(PRIVATE_READER) as again:
            result["after"] = again.transmit(b"\x00\xa4\x00\x00")[1]
    finally:
        bridge.stop()
        monitor.stop()
        stop_pcscd(daemon)
        shutil.rmtree(config, ignore_errors=True)
    return result


def _can_run_private_pcscd() -> str | None:
    if os.geteuid() != 0:
        return "needs root to run a private pcscd in a mount namespace"
    for tool in ("unshare", "mount", "pcscd"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed"
    if not VPCD_CONF.exists() or not os.path.isdir("/run/pcscd"):
        return "the vsmartcard vpcd driver is not installed"
    return None


@pytest.fixture(scope="module")
def restart_scenario() -> dict[str, object]:
    reason = _can_run_private_pcscd()
    if reason:
        pytest.skip(reason)
    child = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", sys.executable, __file__],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).parent.parent,
    )
    if child.returncode != 0:
        pytest.fail(f"restart scenario failed:\n{child.stdout}\n{child.stderr}")
    result: dict[str, object] = json.loads(child.stdout.splitlines()[-1])
    return result


def test_monitor_reports_service_loss_and_recovery_in_order(restart_scenario: dict[str, object]) -> None:
    events = cast(list[list[str]], restart_scenario["events"])
    ours = [(kind, reader) for kind, reader, _atr in events if reader in ("", PRIVATE_READER)]
    assert ours == [
        ("READER_ADDED", PRIVATE_READER),
        ("CARD_INSERTED", PRIVATE_READER),
        ("CARD_REMOVED", PRIVATE_READER),
        ("READER_REMOVED", PRIVATE_READER),
        ("SERVICE_UNAVAILABLE", ""),
        ("SERVICE_AVAILABLE", ""),
        ("READER_ADDED", PRIVATE_READER),
        ("CARD_INSERTED", PRIVATE_READER),
    ]
    inserted = [atr for kind, _reader, atr in events if kind == "CARD_INSERTED"]
    assert inserted == [ATR.hex().upper()] * 2


def test_open_connection_reports_reader_unavailable_when_pcscd_stops(
    restart_scenario: dict[str, object],
) -> None:
    assert restart_scenario["before"] == 0x9000
    assert restart_scenario["during"] == "ReaderUnavailableError"


def test_bridge_and_connections_work_after_pcscd_restarts(restart_scenario: dict[str, object]) -> None:
    assert restart_scenario["after"] == 0x9000


if __name__ == "__main__":
    print(json.dumps(scenario()))
