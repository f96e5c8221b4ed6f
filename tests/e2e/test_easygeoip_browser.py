"""EasyGeoIP in a real browser: headless Chromium (Debian's) against the stack `shipyard serve` runs on
127.0.0.1 (nginx + the app server) with a throwaway PostgreSQL. Submits an address, reads the result, saves screenshots to tests/output/."""

from __future__ import annotations

import os
import signal
import sys
import tempfile
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT, free_port, require_tool
from serveutil import Running
from throwaway_pg import start_postgres

APP_DIR = EXAMPLES / "easygeoip"
OUTPUT = ROOT / "tests" / "output"
VENV_BIN = Path(sys.executable).parent

# Chromium flags: no first-run UI, no background traffic (updates, sync, QUIC probes) leaving the machine.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def app_url():
    """The running stack: `shipyard migrate` (the time zone loader), then `shipyard serve` (nginx in front of
    the app server), against a throwaway PostgreSQL."""
    require_tool("nginx")
    pg = start_postgres()
    run = None
    try:
        migrate = Running("migrate", str(APP_DIR), env={"DATABASE_URL": pg.url()})
        assert migrate.proc.wait(timeout=180) == 0, migrate.output
        port = free_port()
        run = Running("serve", str(APP_DIR), "--port", str(port), env={"DATABASE_URL": pg.url()})
        assert run.wait_for(r"serving .* at http://127\.0\.0\.1:%d/" % port, 120), run.output
        yield f"http://127.0.0.1:{port}"
    finally:
        if run is not None:
            assert run.stop(signal.SIGTERM, timeout=90) == 0, run.output
        pg.close()


@pytest.fixture(scope="module")
def page(app_url):
    chromium = require_tool("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("playwright is required in CI (requirements-dev.txt)")
        pytest.skip("playwright not installed")
    profile = tempfile.mkdtemp(prefix="easygeoip-chromium-")
    with sync_playwright() as p:
        browser = p.chromium.launch_persistent_context(profile, executable_path=chromium, headless=True,
                                                       args=CHROMIUM_ARGS, viewport={"width": 1100, "height": 860})
        try:
            tab = browser.new_page()
            requested: list[str] = []
            tab.on("request", lambda request: requested.append(request.url))
            tab.requested = requested
            yield tab
        finally:
            browser.close()
            import shutil
            shutil.rmtree(profile, ignore_errors=True)


def test_submit_an_address_and_see_where_it_is(page, app_url):
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.goto(app_url + "/", timeout=15000)
    page.screenshot(path=str(OUTPUT / "easygeoip-empty.png"), full_page=True)
    page.fill("#q", "81.2.69.160")
    page.click("button[type=submit]")
    page.wait_for_selector("article.card", timeout=10000)
    card = page.inner_text("article.card")
    assert "Willesden" in card and "United Kingdom" in card and "Europe/London" in card
    assert "from the city record" in card
    # The clock ticks in the zone's local time: app.js replaces the server's HH:MM with HH:MM:SS.
    page.wait_for_function(r"/^\d\d:\d\d:\d\d$/.test(document.querySelector('time.clock').textContent)", timeout=5000)
    osm = page.get_attribute("a.map", "href")
    assert osm.startswith("https://www.openstreetmap.org/?mlat=51.5333&mlon=-0.2333")
    page.screenshot(path=str(OUTPUT / "easygeoip-willesden.png"), full_page=True)
    # Nothing was fetched from anywhere but the app (the map is a link, never loaded).
    assert page.requested and all(url.startswith(app_url) for url in page.requested), page.requested


def test_time_zone_filled_in_from_the_database(page, app_url):
    page.goto(app_url + "/", timeout=15000)
    page.fill("#q", "8.8.8.8")
    page.press("#q", "Enter")
    page.wait_for_selector("article.card", timeout=10000)
    card = page.inner_text("article.card")
    assert "United States" in card and "filled in from the database" in card
    page.screenshot(path=str(OUTPUT / "easygeoip-8.8.8.8.png"), full_page=True)


def test_a_private_address_is_explained(page, app_url):
    page.goto(app_url + "/", timeout=15000)
    page.fill("#q", "192.168.1.10")
    page.click("button[type=submit]")
    page.wait_for_selector(".error", timeout=10000)
    assert "private address" in page.inner_text(".error")
    page.screenshot(path=str(OUTPUT / "easygeoip-private.png"), full_page=True)
