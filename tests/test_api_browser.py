"""The reference reception form in a real browser: headless Chromium (Selenium) opens /reception from
`station serve`, which reads the virtual card behind pcscd's vpcd reader. The clerk types the ID number,
the form fills from the verified read (name, ID number, birth date, sex, address, photo) and turns
green; a wrong number turns it red. The screenshot goes to $STATION_SCREENSHOT_DIR when set (the
README's, through scripts/screenshots.sh)."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from cccd_station.reader.chip.chip import VirtualChip
from cccd_station.reader.chip.personas import load_persona
from cccd_station.reader.chip.pki import TESTPKI_DIR
from cccd_station.reader.chip.vpcd import VPCD_SECOND_PORT, VPCD_SECOND_READER, VpcdBridge
from cccd_station.reader.pcsc import wait_for_card, wait_for_card_removal
from cccd_station.station.demo import demo_trust_files

PERSONA = "pham-thi-dao"
WAIT = 20.0
STATION = [str(Path(sys.executable).with_name("station"))]
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1100,960",
    "--lang=vi",
)


@pytest.fixture(scope="module")
def reader_port(pcscd: None) -> Iterator[int]:
    with open(f"/tmp/vpcd-{VPCD_SECOND_PORT}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield VPCD_SECOND_PORT
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def station_command(data_dir: Path, *arguments: str) -> str:
    environment = os.environ | {"STATION_DATA_DIR": str(data_dir)}
    done = subprocess.run(
        [*STATION, *arguments], env=environment, capture_output=True, text=True, timeout=60, check=True
    )
    return done.stdout


@pytest.fixture
def served(reader_port: int, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """`station serve` on vpcd's second reader, trusting the TEST CSCAs: (its URL, a client's token)."""
    data_dir = tmp_path / "station"
    trust_files = [str(TESTPKI_DIR / name) for name, _content in demo_trust_files()]
    station_command(data_dir, "trust", "import", *trust_files)
    token = station_command(
        data_dir, "api-client", "add", "reception", "--scope", "identity,address,photo,checks"
    )
    server = subprocess.Popen(
        [*STATION, "serve", "--reader", VPCD_SECOND_READER, "--listen", "127.0.0.1:0"],
        env=os.environ | {"STATION_DATA_DIR": str(data_dir)},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        first_line = server.stdout.readline()
        assert first_line.startswith("station serve: listening on "), first_line
        yield first_line.split()[-1], token.strip()
    finally:
        server.terminate()
        assert server.wait(WAIT) == 0


@pytest.fixture
def browser(chromium: tuple[str, str], tmp_path: Path) -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = chromium[0]
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'chromium'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=chromium[1]))
    try:
        yield driver
    finally:
        driver.quit()


def value(driver: webdriver.Chrome, element_id: str) -> str:
    return str(driver.find_element(By.ID, element_id).get_attribute("value"))


def verdict_shown(driver: webdriver.Chrome) -> str:
    return str(driver.find_element(By.ID, "status").get_attribute("data-verdict"))


def type_id(driver: webdriver.Chrome, text: str) -> None:
    field = driver.find_element(By.ID, "id-input")
    field.clear()
    field.send_keys(text, Keys.ENTER)


def test_the_reception_form_fills_from_a_real_read(
    served: tuple[str, str], browser: webdriver.Chrome, reader_port: int, tmp_path: Path
) -> None:
    url, token = served
    persona = load_persona(PERSONA)
    details = persona.vn_details
    assert details is not None and persona.id_number
    wait = WebDriverWait(browser, WAIT)
    browser.get(f"{url}/reception#token={token}")
    wait.until(lambda driver: driver.find_element(By.ID, "connection").get_attribute("data-state") == "open")
    assert "token" not in browser.current_url  # taken off the address bar

    bridge = VpcdBridge(VirtualChip(PERSONA), port=reader_port, reinsert_delay=None)
    bridge.start()
    try:
        wait_for_card(VPCD_SECOND_READER, WAIT)
        wait.until(lambda driver: "Đã có thẻ" in driver.find_element(By.ID, "status").text)
        type_id(browser, "000000000000")  # a wrong number: the card refuses it
        wait.until(lambda driver: verdict_shown(driver) == "error")
        assert "wrong_key" in browser.find_element(By.ID, "status").text
        assert value(browser, "full_name") == ""

        type_id(browser, f"{persona.id_number}|{details.old_id_number or ''}|{details.full_name}|...")  # QR
        wait.until(lambda driver: verdict_shown(driver) == "verified")
    finally:
        bridge.stop()
        wait_for_card_removal(VPCD_SECOND_READER, WAIT)

    assert value(browser, "full_name") == details.full_name
    assert value(browser, "id_number") == persona.id_number
    born = details.date_of_birth
    assert born is not None and value(browser, "date_of_birth") == born.strftime("%d/%m/%Y")
    assert value(browser, "sex") == details.sex == "Nữ"
    assert value(browser, "place_of_residence") == details.place_of_residence
    assert value(browser, "place_of_origin") == details.place_of_origin
    photo_width = browser.execute_script("return document.getElementById('photo').naturalWidth")
    assert photo_width == persona_photo_width()
    colour = browser.find_element(By.ID, "status").value_of_css_property("color")
    assert colour in ("rgba(27, 127, 59, 1)", "rgb(27, 127, 59)")  # --green

    out = Path(os.environ.get("STATION_SCREENSHOT_DIR") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    assert browser.save_screenshot(str(out / "reception.png"))
    assert (out / "reception.png").stat().st_size > 20_000


def persona_photo_width() -> int:
    from cccd_station.reader.lds.dg2 import parse_dg2

    photo = parse_dg2(load_persona(PERSONA).data_groups()[2])
    assert photo is not None
    return photo.width
