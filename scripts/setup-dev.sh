#!/usr/bin/env bash
# Prepare a machine for Shipyard's tests: Debian's nginx, PostgreSQL, Redis and MariaDB, and a virtualenv in .venv
# with Shipyard (editable) and everything in requirements-dev.txt. Idempotent; works on a fresh Debian 12 or 13.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
need=()
command -v nginx >/dev/null || need+=(nginx-light)
# any PostgreSQL major version: Debian 12 ships 15, Debian 13 ships 17 (/usr/lib/postgresql/<major>/bin)
pg_found=""
for bin in /usr/lib/postgresql/*/bin/postgres; do [ -x "$bin" ] && pg_found="$bin"; done
[ -n "$pg_found" ] || command -v postgres >/dev/null || need+=(postgresql)
command -v wrk >/dev/null || need+=(wrk)
# serve/dev run an app's own Redis from this machine's redis-server (run/redis.py)
command -v redis-server >/dev/null || need+=(redis-server)
# ...and a MySQL app's own MariaDB from mariadbd and mariadb-install-db (run/mariadb.py); Debian installs them in
# /usr/sbin and /usr/bin, and its policy-rc.d in containers keeps the system's own server from starting
{ command -v mariadbd || [ -x /usr/sbin/mariadbd ]; } >/dev/null && command -v mariadb-install-db >/dev/null \
  || need+=(mariadb-server)
# an app on mysqlclient (MySQLdb) builds it from source against the MariaDB client library, which pkg-config finds
dpkg -s default-libmysqlclient-dev pkg-config >/dev/null 2>&1 || need+=(default-libmysqlclient-dev pkg-config)
# verify's secrets test plants a real private key, made with openssl
command -v openssl >/dev/null || need+=(openssl)
command -v chromium >/dev/null || need+=(chromium)
# Debian's registry (distribution 2.8): the Swarm tests push images to one on loopback, as nodes need
command -v docker-registry >/dev/null || need+=(docker-registry)
# `python3 -m venv` needs ensurepip (python3-venv on Debian)
python3 -c "import ensurepip, venv" 2>/dev/null || need+=(python3-venv)
# uWSGI is published as source only: pip compiles it, which needs a C compiler and Python's headers
command -v cc >/dev/null || need+=(gcc libc6-dev)
python3 - <<'PY' 2>/dev/null || need+=(python3-dev)
import os, sysconfig, sys
sys.exit(0 if os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")) else 1)
PY
# setpriv (util-linux) lets the permission-error tests run as root bound by file permissions
command -v setpriv >/dev/null || need+=(util-linux)
if ((${#need[@]})); then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  echo "installing Debian packages: ${need[*]}"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/tmp/shipyard-apt.log 2>&1 \
    || { tail -30 /tmp/shipyard-apt.log; exit 1; }
fi
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -r requirements-dev.txt
echo "dev environment ready: .venv ($(.venv/bin/python --version))"
