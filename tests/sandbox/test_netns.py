"""Network namespace: loopback only, up and usable; the host's services are unreachable."""

from __future__ import annotations

import socket
import subprocess
import threading
import time
from collections.abc import Iterator

import pytest
from pyroute2 import IPRoute

from tests.conftest import Box


@pytest.fixture
def host_listener() -> Iterator[socket.socket]:
    """A service on the host's 127.0.0.1, like a Redis with no password."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.5)
    yield server
    server.close()


def test_host_loopback_service_is_unreachable(box: Box, host_listener: socket.socket) -> None:
    port = host_listener.getsockname()[1]
    code = ("import socket\ns = socket.socket(); s.settimeout(2)\n"
            f"try:\n s.connect(('127.0.0.1', {port})); print('connected')\n"
            "except OSError as e: print('refused', e.errno)")
    result = box.python(code)
    assert result.stdout.startswith(b"refused"), result
    with pytest.raises(TimeoutError):
        host_listener.accept()


def test_no_route_outside(box: Box) -> None:
    code = ("import socket\ns = socket.socket(); s.settimeout(2)\n"
            "try:\n s.connect(('10.0.0.1', 80)); print('connected')\n"
            "except OSError as e: print('failed', e.errno)")
    assert box.python(code).stdout == b"failed 101\n"  # ENETUNREACH


def test_loopback_works_inside(box: Box) -> None:
    code = ("import socket, threading\n"
            "server = socket.socket(); server.bind(('127.0.0.1', 5000)); server.listen()\n"
            "def serve():\n c, _ = server.accept(); c.sendall(c.recv(10).upper()); c.close()\n"
            "threading.Thread(target=serve).start()\n"
            "client = socket.create_connection(('127.0.0.1', 5000)); client.sendall(b'ping')\n"
            "print(client.recv(10).decode())")
    assert box.python(code).stdout == b"PING\n"


def test_only_loopback_interface(box: Box) -> None:
    result = box.sh("tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '")
    assert result.stdout.split() == [b"lo"]


def test_namespace_seen_from_the_host_holds_only_lo_up(box: Box) -> None:
    """Inspect a live run's namespace from outside with pyroute2."""
    done = threading.Event()
    runner = threading.Thread(target=lambda: (box.sh("sleep 3", wall_time=5), done.set()))
    runner.start()
    try:
        pid = ""
        deadline = time.monotonic() + 3
        while not pid and time.monotonic() < deadline:
            pid = subprocess.run(["pgrep", "-u", "65534", "-x", "sleep"], capture_output=True, text=True).stdout
        assert pid, "the sandboxed sleep never appeared"
        with IPRoute(netns=f"/proc/{pid.split()[0]}/ns/net", flags=0) as ipr:
            links = [(link.get_attr("IFLA_IFNAME"), link["flags"] & 1) for link in ipr.get_links()]
        assert links == [("lo", 1)]
    finally:
        runner.join()
