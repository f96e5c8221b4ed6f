"""Creates the missing tables of a Tortoise ORM app's models, run as `python -c <this file's text> ENTRY` with the
APP's interpreter, from the app's folder (serve and dev only, on a database they created: plan.first_run of a
Tortoise app that has no migrations, detect/first_run.py). Stand-alone on purpose, like create_all.py.

Tortoise learns its configuration (database URL, model modules) where the app initialises it, most often in
its start-up (`register_tortoise(app, ...)` hooks the ASGI lifespan). So the app's lifespan is started as a server
starts it, `Tortoise.generate_schemas(safe=True)` creates only the tables that are missing (a second run changes
nothing), and the lifespan is shut down again. It writes nothing but the tables.
"""

import asyncio
import importlib
import os
import sys


async def _next(sent, task, timeout=60):
    """The app's next lifespan message; None when the app returned (or failed) without sending one."""
    getter = asyncio.ensure_future(sent.get())
    done, _ = await asyncio.wait({getter, task}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    if getter in done:
        return getter.result()
    getter.cancel()
    return None


async def _run(app):
    from tortoise import Tortoise

    if asyncio.iscoroutine(app):          # an async factory
        app = await app
    inbox, sent = asyncio.Queue(), asyncio.Queue()
    scope = {"type": "lifespan", "asgi": {"version": "3.0", "spec_version": "2.0"}, "state": {}}
    task = asyncio.ensure_future(app(scope, inbox.get, sent.put))
    await inbox.put({"type": "lifespan.startup"})
    started = await _next(sent, task)
    if started is None or started["type"] != "lifespan.startup.complete":
        why = (started or {}).get("message") or (task.exception() if task.done() and not task.cancelled() else "")
        raise SystemExit(f"shipyard: the app's start-up did not complete{': ' + str(why) if why else ''}")
    try:
        await Tortoise.generate_schemas(safe=True)
    except Exception as exc:      # most often: the start-up did not initialise Tortoise (it does so later)
        raise SystemExit(f"shipyard: Tortoise.generate_schemas() after the app's start-up failed: {exc}")
    finally:
        await inbox.put({"type": "lifespan.shutdown"})
        await _next(sent, task)


def main(target):
    module, _, attr = target.partition(":")
    app = eval(attr or "app", vars(importlib.import_module(module)))
    asyncio.run(_run(app))
    print("shipyard: created the models' tables that were missing (Tortoise.generate_schemas(safe=True))")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 2:
        # the entry's import folder (`python backend/app.py` run from the root): first on sys.path, as the
        # server has it
        sys.path.insert(0, os.path.abspath(sys.argv[2]))
    sys.exit(main(sys.argv[1]))
