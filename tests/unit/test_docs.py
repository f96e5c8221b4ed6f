"""The settings reference is generated from settings.py; the committed copy must match it."""

from __future__ import annotations

from conftest import ROOT
from shipyard.settings import reference_markdown


def test_settings_reference_is_up_to_date():
    committed = (ROOT / "docs" / "settings.md").read_text()
    assert committed == reference_markdown(), "regenerate it: shipyard settings > docs/settings.md"


# --- every performance figure in the docs comes from a recorded results file ---------------------------------

import re  # noqa: E402
from bisect import bisect_left, bisect_right  # noqa: E402

_FIGURE = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)(?:\s*k)?\s*(?:req/s|ms|MiB|%|×|x\b)")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.]*\.\d)")


def _recorded_numbers() -> list[float]:
    """Every number in bench/results' .md and .json files, sorted (150,000 of them: _recorded bisects)."""
    text = "".join(p.read_text() for p in sorted((ROOT / "bench" / "results").glob("*")) if p.suffix in (".md", ".json"))
    return sorted(float(n) for n in re.findall(r"\d+(?:\.\d+)?", text))


def _figures(doc: str) -> list[str]:
    """Numbers given with a unit in prose, and every number in a table of measurements (header has req/s)."""
    found: list[str] = []
    table_of_results = False
    for line in doc.splitlines():
        if line.startswith("|"):
            table_of_results = table_of_results or "req/s" in line
            if table_of_results and not line.startswith("|---"):
                cells = line.split("|")[2:]   # the first cell names the setup
                found += [n for cell in cells for n in _NUMBER.findall(cell.replace("*", ""))]
            continue
        table_of_results = False
        found += _FIGURE.findall(line)
    return found


def _recorded(figure: str, recorded: list[float]) -> bool:
    """Whether a number of the sorted `recorded` rounds to `figure` (at its decimals): only the numbers near it are
    looked at (a scan of them all, for each of the docs' 150 figures, took seconds)."""
    decimals = len(figure.split(".")[1]) if "." in figure else 0
    value = float(figure)
    tolerance = 0.5 * 10 ** -decimals + 1e-9
    first, last = bisect_left(recorded, value - 2 * tolerance), bisect_right(recorded, value + 2 * tolerance)
    return any(abs(r - value) <= tolerance for r in recorded[first:last])


def test_performance_figures_come_from_bench_results():
    recorded = _recorded_numbers()
    for doc in ("docs/performance.md", "README.md"):
        text = (ROOT / doc).read_text()
        text = text[text.find("## Performance"):] if doc == "README.md" else text
        missing = sorted({f for f in _figures(text) if not _recorded(f, recorded)}, key=float)
        assert not missing, f"{doc} quotes figures no file in bench/results/ holds: {missing}"
