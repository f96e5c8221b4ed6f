"""run/ports: a port is in use when something listens on it, not when a closed connection lingers there."""

import socket

import pytest

from shipyard.errors import PortInUse
from shipyard.run.ports import ensure_free, free_port, port_free


def _time_wait_port() -> int:
    """A loopback port whose listener (reusing addresses, as PostgreSQL's does) is gone and whose server side
    closed first: it sits in TIME_WAIT."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]
    client = socket.create_connection(("127.0.0.1", port))
    accepted, _ = listener.accept()
    listener.close()
    accepted.close()          # the side that closes first keeps the port in TIME_WAIT
    client.recv(1)
    client.close()
    return port


def test_a_port_in_time_wait_is_free_to_a_server_that_reuses_addresses_as_ours_do():
    port = _time_wait_port()
    plain = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    with pytest.raises(OSError):      # the lingering connection is really there: a plain bind is refused
        plain.bind(("127.0.0.1", port))
    plain.close()
    assert port_free("127.0.0.1", port)
    ensure_free(port, "127.0.0.1")


def test_a_port_something_listens_on_is_in_use():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port = listener.getsockname()[1]
        assert not port_free("127.0.0.1", port)
        with pytest.raises(PortInUse, match=f"port {port} is already in use"):
            ensure_free(port, "127.0.0.1")
    assert port_free("127.0.0.1", free_port())
