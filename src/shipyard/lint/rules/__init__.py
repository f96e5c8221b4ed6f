"""Every lint rule, in id order. Ids are stable: a retired rule's id is never reused."""

from __future__ import annotations

from . import app, image, network, process

RULES = tuple(sorted(image.RULES + process.RULES + network.RULES + app.RULES, key=lambda r: r.id))
BY_ID = {rule.id: rule for rule in RULES}
assert len(BY_ID) == len(RULES), "duplicate rule id"
