"""EasyGeoIP in a real browser: headless Chromium (Debian's), the app under gunicorn on 127.0.0.1 with a
throwaway PostgreSQL. Submits an address, reads the result, saves screenshots to tests/output/."""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT, free_port, require_tool

APP_DIR = EXAMPLES / "easygeoip"
OUTPUT = ROOT / "tests" / "output"
VENV_BIN = Path(sys.executable).parent

# Chromium flags: no first-run UI, no background traffic (updates, sync, QUIC probes) leaving the machine.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _throwaway_postgres_module():
    path = ROOT / "tests" / "examples" / "test_easygeoip_postgres.py"
    spec = importlib.util.spec_from_file_location("easygeoip_pg_support", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def app_url():
    support = _throwaway_postgres_module()
    pg = support.start_postgres()
    server = None
    try:
        done = support.load_timezones(pg.url())
        assert done.returncode == 0, done.stderr
        port = free_port()
        server = subprocess.Popen([str(VENV_BIN / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}",
                                   "easygeoip:create_app()"], cwd=APP_DIR, start_new_session=True,
                                  env={**os.environ, "DATABASE_URL": pg.url()},
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(url + "/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except (OSError, urllib.error.HTTPError):
                pass
            assert time.monotonic() < deadline and server.poll() is None, "the app did not become healthy"
            time.sleep(0.2)
        yield url
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait(timeout=10)
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
