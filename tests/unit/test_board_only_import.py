"""An app that reads a single-board computer's pins at import (a 2018 Raspberry Pi weather station: app/__init__.py
opens busio.I2C(board.SCL, board.SDA)) cannot start on a server: Adafruit Blinka's `board` raises
"NotImplementedError: Board not supported" there. The import proof says so, with the board, instead of asking to fix
the app's code. Real Adafruit Blinka of 2018 installed with uv."""

from __future__ import annotations

import os
import subprocess

import pytest

from shipyard.detect import entry
from shipyard.errors import AppCodeError
from shipyard.project import Project

from conftest import make_tree, require_tool

STATION = """
    import board

    PINS = (board.SCL, board.SDA)


    def application(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [repr(PINS).encode()]
    """


def test_an_app_that_opens_a_boards_pins_at_import_is_said_to_need_that_board(tmp_path):
    uv = require_tool("uv")
    venv = tmp_path / "venv"
    subprocess.run([uv, "venv", "-q", "-p", "python3", str(venv)], check=True, timeout=120)
    subprocess.run([uv, "pip", "install", "-q", "Adafruit-Blinka==1.2.1", "Adafruit-PlatformDetect<1"], check=True,
                   timeout=300, env={**os.environ, "VIRTUAL_ENV": str(venv)})
    root = make_tree(tmp_path / "station", {"wsgi.py": STATION, "requirements.txt": "Adafruit-Blinka\n"})
    found = entry.find(Project(root), None)
    assert found.entry.target == "wsgi:application"
    with pytest.raises(AppCodeError) as raised:
        entry.confirm(Project(root), found, str(venv / "bin" / "python"), 60.0)
    assert "Board not supported" in str(raised.value) and "drives the pins of a board Adafruit Blinka supports" \
        in str(raised.value), raised.value
    assert "run the app on that board" in raised.value.hint
