"""`serve --install`'s install step, uv against pip, on an app with about 50 pinned packages.

The app: a Flask app whose requirements.txt pins 50 distributions (a typical web app's set: Flask, Django,
SQLAlchemy, requests, pandas-free pure-Python and wheel-only packages). Each tool runs the same code path
Shipyard's `serve --install` runs (run/appenv.install_app_env: create the app's .venv, install its
dependencies, then the server), pip being what Shipyard falls back to when uv cannot be had:

  cold   empty caches (uv's cache folder; pip with --no-cache-dir semantics through an empty PIP_CACHE_DIR)
  warm   the same install again into a fresh .venv, caches kept (a second app, or a rebuilt .venv)

  .venv/bin/python bench/install.py              # writes bench/results/install.json and install.md
"""

from __future__ import annotations

import sys
# bench/ holds scripts named like stdlib modules (bench/inspect.py): never import from it
sys.path[:] = [p for p in sys.path if p not in ("", __file__.rsplit("/", 1)[0])]

import argparse
import json
import os
import platform
import shutil
import tempfile
import time
from pathlib import Path

from shipyard import environments
from shipyard.planner import make_plan
from shipyard.run.appenv import install_app_env

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"

PINS = """\
Flask==3.1.0
Werkzeug==3.1.3
Jinja2==3.1.4
MarkupSafe==3.0.2
itsdangerous==2.2.0
click==8.1.7
blinker==1.9.0
Django==5.1.4
asgiref==3.8.1
sqlparse==0.5.3
SQLAlchemy==2.0.36
alembic==1.14.0
Mako==1.3.8
greenlet==3.1.1
typing_extensions==4.12.2
requests==2.32.3
urllib3==2.2.3
idna==3.10
certifi==2024.12.14
charset-normalizer==3.4.0
python-dateutil==2.9.0.post0
six==1.17.0
pytz==2024.2
tzdata==2024.2
PyYAML==6.0.2
python-dotenv==1.0.1
marshmallow==3.23.2
packaging==24.2
attrs==24.3.0
pydantic==2.10.4
pydantic_core==2.27.2
annotated-types==0.7.0
redis==5.2.1
celery==5.4.0
kombu==5.4.2
billiard==4.2.1
vine==5.1.0
amqp==5.3.1
click-didyoumean==0.3.1
click-repl==0.3.0
click-plugins==1.1.1
prompt_toolkit==3.0.48
wcwidth==0.2.13
Flask-SQLAlchemy==3.1.1
Flask-Migrate==4.0.7
Flask-Login==0.6.3
Flask-WTF==1.2.2
WTForms==3.2.1
email-validator==2.2.0
dnspython==2.7.0
"""

APP = '''\
from flask import Flask

app = Flask(__name__)


@app.get("/")
def index():
    return "fifty packages"
'''


def one_run(tool: str, work: Path, cache: Path) -> float:
    app = work / f"app-{tool}"
    if app.exists():
        shutil.rmtree(app)
    app.mkdir(parents=True)
    (app / "app.py").write_text(APP)
    (app / "requirements.txt").write_text(PINS)
    env = {"XDG_CACHE_HOME": str(cache), "PIP_CACHE_DIR": str(cache / "pip"), "UV_CACHE_DIR": str(cache / "uv")}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    real_find_uv = environments.find_uv
    if tool == "pip":
        environments.find_uv = lambda environ=None: None
    try:
        plan = make_plan(app, {}, confirm=False)
        started = time.monotonic()
        install_app_env(app, plan, lambda line: None)
        return round(time.monotonic() - started, 2)
    finally:
        environments.find_uv = real_find_uv
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    count = len([line for line in PINS.splitlines() if "==" in line])
    results: dict = {"packages": count, "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
                     "python": platform.python_version(), "load_start": os.getloadavg()[0], "runs": {}}
    with tempfile.TemporaryDirectory(prefix="shipyard-bench-install-") as tmp:
        work = Path(tmp)
        for tool in ("uv", "pip"):
            cache = work / f"cache-{tool}"
            cold = one_run(tool, work, cache)
            warm = one_run(tool, work, cache)
            results["runs"][tool] = {"cold_s": cold, "warm_s": warm}
            print(f"{tool}: cold {cold}s, warm {warm}s", file=sys.stderr, flush=True)
    results["load_end"] = os.getloadavg()[0]
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "install.json").write_text(json.dumps(results, indent=2) + "\n")
    (args.out / "install.md").write_text(markdown(results))
    print(markdown(results), end="")
    return 0


def markdown(r: dict) -> str:
    uv, pip = r["runs"]["uv"], r["runs"]["pip"]
    return (f"# serve --install: uv against pip\n\n"
            f"One run of `bench/install.py`: the install step of `shipyard serve --install` (create the app's "
            f".venv, install its requirements.txt of {r['packages']} pinned packages, then the server) on "
            f"{r['machine']} (Shipyard on Python {r['python']}; the app's .venv gets the plan's default Python) (1-minute load {r['load_start']:.2f} at the start, "
            f"{r['load_end']:.2f} at the end: other work on the machine makes timings noisy). Cold: empty "
            f"download caches; warm: a fresh .venv with the caches of the cold run.\n\n"
            f"| installer | cold | warm |\n|---|---|---|\n"
            f"| uv | {uv['cold_s']} s | {uv['warm_s']} s |\n"
            f"| pip | {pip['cold_s']} s | {pip['warm_s']} s |\n"
            f"| **pip / uv** | **{pip['cold_s'] / uv['cold_s']:.1f}x** | **{pip['warm_s'] / uv['warm_s']:.1f}x** |\n")


if __name__ == "__main__":
    sys.exit(main())
