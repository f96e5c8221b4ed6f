#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what the tests need (Debian's nginx, PostgreSQL, wrk,
# chromium; a .venv with Shipyard and the examples' frameworks), starts a real Docker engine with a local
# Python base image (../shared/ci/container-engine.sh), then runs pytest on two workers (pytest-xdist; the
# tests mostly wait on Docker, installs and servers, so two halve the time on two cores; tests/conftest.py
# keeps the engine's image builds together on one, its stacks on the other). Extra arguments go to pytest
# (`-n 0` runs them one at a time).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-dev.sh
engine=../shared/ci/container-engine.sh
if [ -x "$engine" ] || [ -f "$engine" ]; then
  bash "$engine" up
  eval "export $(bash "$engine" env)"
  bash scripts/setup-engines.sh
else
  echo "note: $engine not found; tests that need a container engine will fail in CI and skip elsewhere" >&2
fi
# Shipyard's own modules as bytecode, written once here: every `python -m shipyard` the tests start (and serve's
# watchdog) otherwise compiles its ~300 modules again, 0.45-0.6 s of CPU each, wherever PYTHONDONTWRITEBYTECODE is
# set (CI's machine sets it: nothing is ever written) or src/ is a fresh clone. Python checks each .pyc against its
# source's size and time, so an edited module is still compiled from the edit.
.venv/bin/python -m compileall -q src >/dev/null || true
exec .venv/bin/python -m pytest -p no:cacheprovider -n "${SHIPYARD_TEST_WORKERS:-2}" --dist loadgroup "$@"
