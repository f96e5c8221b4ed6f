"""The settings reference is generated from settings.py; the committed copy must match it."""

from __future__ import annotations

from conftest import ROOT
from shipyard.settings import reference_markdown


def test_settings_reference_is_up_to_date():
    committed = (ROOT / "docs" / "settings.md").read_text()
    assert committed == reference_markdown(), "regenerate it: shipyard settings > docs/settings.md"
