"""Heroku's app.json: the variables a deploy button asks the deployer for.

`"env": {"STRIPE_SECRET_KEY": {"required": true}}` with no `value` (nor a `generator`, which Heroku fills with a
random secret) is the author's list of values only the deployer has, as an example env file's empty lines are
(appconfig.py gives serve and dev a marked placeholder for the ones the code requires at import). Values the file
gives are not read: they are the production deployment's (its settings module, its add-ons' URLs).
"""

from __future__ import annotations

import json

from ..project import Project

NAME = "app.json"


def left_to_fill(project: Project) -> tuple[str, ...]:
    """The variables app.json at the project root asks the deployer for with no value of its own, in its order."""
    if not project.is_file(NAME):
        return ()
    try:
        data = json.loads(project.read_text(NAME))
    except (ValueError, OSError):
        return ()
    env = data.get("env") if isinstance(data, dict) else None
    if not isinstance(env, dict):
        return ()
    return tuple(name for name, entry in env.items()
                 if isinstance(name, str) and (entry == "" or isinstance(entry, dict) and entry.get("required", True)
                                               and not entry.get("value") and not entry.get("generator")))
