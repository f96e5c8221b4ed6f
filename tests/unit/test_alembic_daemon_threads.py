"""A migration whose env.py imports the app's models, whose package starts a thread at import (a scheduler loop,
`threading.Thread(target=run).start()` in the task package): not a daemon, that thread kept `alembic upgrade head`
alive after Alembic was done, and serve's release waited out its time limit. Alembic's command lines serve runs
(run/alembic_cli.py) make such threads daemons, so the process ends when Alembic does."""

from __future__ import annotations

import subprocess
import sys
import time

from shipyard.run import alembic_cli

# the app's side: a module-level loop thread, as the app's package starts it when imported
LOOP_AT_IMPORT = """\
import threading, time
def run():
    while True:
        time.sleep(0.1)
threading.Thread(target=run).start()
print("migrated", flush=True)
"""


def _ends_within(program: str, seconds: float) -> tuple[bool, str]:
    process = subprocess.Popen([sys.executable, "-c", program], stdout=subprocess.PIPE, text=True)
    try:
        out, _ = process.communicate(timeout=seconds)
        return True, out
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return False, ""


def test_a_loop_thread_started_at_import_does_not_keep_the_migration_alive():
    # the mechanism's premise: as the app wrote it, the process never ends
    ended, _ = _ends_within(LOOP_AT_IMPORT, 3)
    assert not ended
    started = time.monotonic()
    ended, out = _ends_within(alembic_cli.DAEMON_THREADS + LOOP_AT_IMPORT, 30)
    assert ended and out.strip() == "migrated", out
    assert time.monotonic() - started < 30


def test_a_thread_that_asks_not_to_be_a_daemon_keeps_its_choice():
    program = alembic_cli.DAEMON_THREADS + (
        "import threading\n"
        "asked = threading.Thread(target=print, daemon=False)\n"
        "default = threading.Thread(target=print)\n"
        "print(asked.daemon, default.daemon)\n")
    ended, out = _ends_within(program, 30)
    assert ended and out.split() == ["False", "True"], out


def test_every_alembic_command_line_serve_and_the_image_run_starts_with_it():
    for program in (alembic_cli.INSTALLED, alembic_cli.AIMED, alembic_cli.MAIN, alembic_cli.MODELS_THEN_STAMP,
                    alembic_cli.UPGRADE_ELSE_MODELS):
        assert program.startswith(alembic_cli.DAEMON_THREADS)
        compile(program, "alembic_cli", "exec")
