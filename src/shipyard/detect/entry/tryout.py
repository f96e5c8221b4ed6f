"""Of several apps, the ones not made in a file named test.py: a 2022 weather tutorial keeps main.py (its app:
a database, a template, three routes) beside test.py, where its author first tried the weather API call in a
one-route Flask app of its own. test_x.py, x_test.py and tests.py are test files, skipped altogether
(graph.is_test_file); a lone test.py can be the app itself, so it only gives way to another app."""

from __future__ import annotations

from pathlib import PurePosixPath

from .model import AppDef, Candidate

TRYOUT_STEMS = frozenset({"test"})


def drop_tryouts(pool: list[AppDef], best: dict[AppDef, Candidate]) -> list[AppDef]:
    """`pool` without the apps a test.py makes and serves; `pool` as it is when that would leave none."""
    kept = [app for app in pool if not _tryout(app, best[app])]
    return kept if kept and len(kept) < len(pool) else pool


def _tryout(app: AppDef, c: Candidate) -> bool:
    return PurePosixPath(app.path).stem in TRYOUT_STEMS and PurePosixPath(c.module.path).stem in TRYOUT_STEMS
