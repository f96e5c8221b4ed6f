"""`shipyard swarm down` when `docker stack rm` refuses a network a stopping task still uses.

Swarm removes the services at once but stops their tasks afterwards; the client then fails to remove the
stack's network ("is in use by task", FailedPrecondition) and exits 1, though the rest is on its way out.
CI's engine did this once on the GeoIP stack. The client here is a script that answers as that one did."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from shipyard.engine.base import EngineInfo
from shipyard.engine.swarm import Swarm
from shipyard.errors import EngineError

# State in files beside the script: the network lives until the second `stack rm`; the first one fails
# the way Docker 20-27 print it (no newline between the two messages).
_CLIENT = r'''#!/bin/sh
state="$(dirname "$0")"
echo "$*" >> "$state/calls"
case "$1 $2" in
  "stack rm")
    n=$(cat "$state/rm" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "$state/rm"
    if [ -n "$BUSY_FOREVER" ] || [ $n -eq 1 ]; then
      printf 'Removing service s_app\nFailed to remove network abc123: Error response from daemon: rpc error: code = FailedPrecondition desc = network abc123 is in use by task xyz789Failed to remove some resources from stack: s\n' >&2
      exit 1
    fi
    rm -f "$state/network"; exit 0 ;;
  "network ls")
    [ -f "$state/network" ] && echo '{"Name":"s_default"}'; exit 0 ;;
  "stack "*|"service ls"|"config ls"|"secret ls"|"volume ls"|"ps -a") exit 0 ;;
esac
echo "unexpected: $*" >&2; exit 2
'''


def _swarm(tmp_path: Path, client_script: str = _CLIENT) -> Swarm:
    client = tmp_path / "docker"
    client.write_text(client_script)
    client.chmod(client.stat().st_mode | stat.S_IEXEC)
    (tmp_path / "network").write_text("")
    info = EngineInfo(name="docker", binary=str(client), client_version="27.5.1", server_version="27.5.1",
                      builder="buildkit")
    return Swarm(type("Docker", (), {"info": info})())


def test_a_network_still_in_use_by_a_stopping_task_is_removed_on_the_next_round(tmp_path):
    removed = _swarm(tmp_path).remove("s", volumes=False, timeout=20)
    assert removed == ["stack s"]
    assert not (tmp_path / "network").exists()
    assert (tmp_path / "rm").read_text().strip() == "2"


def test_a_network_that_stays_busy_is_named_when_the_time_is_up(tmp_path, monkeypatch):
    monkeypatch.setenv("BUSY_FOREVER", "1")
    with pytest.raises(EngineError, match=r"stack s still has network s_default after 2 s"):
        _swarm(tmp_path).remove("s", volumes=False, timeout=2)


def test_any_other_stack_rm_failure_is_an_error_at_once(tmp_path):
    swarm = _swarm(tmp_path, _CLIENT.replace(
        "Failed to remove network abc123: Error response from daemon: rpc error: code = FailedPrecondition "
        "desc = network abc123 is in use by task xyz789", "permission denied while trying to connect"))
    with pytest.raises(EngineError, match="docker stack rm failed: .*permission denied"):
        swarm.remove("s", volumes=False, timeout=20)
    assert (tmp_path / "rm").read_text().strip() == "1"
