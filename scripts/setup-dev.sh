#!/usr/bin/env bash
# Prepare a machine for Shipyard's tests: Debian's nginx and PostgreSQL, and a virtualenv in .venv
# with Shipyard (editable) and everything in requirements-dev.txt. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
need=()
command -v nginx >/dev/null || need+=(nginx-light)
[ -x /usr/lib/postgresql/15/bin/postgres ] || command -v postgres >/dev/null || need+=(postgresql)
command -v wrk >/dev/null || need+=(wrk)
command -v chromium >/dev/null || need+=(chromium)
# Debian's registry (distribution 2.8): the Swarm tests push images to one on loopback, as nodes need
command -v docker-registry >/dev/null || need+=(docker-registry)
if ((${#need[@]})); then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/tmp/shipyard-apt.log 2>&1 \
    || { tail -30 /tmp/shipyard-apt.log; exit 1; }
fi
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -r requirements-dev.txt
echo "dev environment ready: .venv ($(.venv/bin/python --version))"
