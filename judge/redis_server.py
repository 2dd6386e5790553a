"""A private redis-server (Debian's package) on 127.0.0.1: for `judge up` and for the tests.

Append-only persistence in its data directory, a password, loopback only."""

from __future__ import annotations

import secrets
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import redis


class RedisServerError(RuntimeError):
    """redis-server is missing or would not start; the message says which."""


@dataclass
class RedisServer:
    port: int
    password: str
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"redis://:{self.password}@127.0.0.1:{self.port}/0"

    @classmethod
    def start(cls, data_dir: Path, port: int = 0) -> RedisServer:
        """Start redis-server with its data and a generated password under `data_dir`.

        Raises:
            RedisServerError: not installed, or not answering.
        """
        binary = shutil.which("redis-server")
        if binary is None:
            raise RedisServerError("redis-server is not installed: apt-get install redis-server")
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        password = _password(data_dir / "password")
        port = port or free_port()
        config = data_dir / "redis.conf"
        config.write_text(f"bind 127.0.0.1\nport {port}\nprotected-mode yes\ndir {data_dir}\nappendonly yes\n"
                          f"appendfsync everysec\nrequirepass {password}\nsave \"\"\ndaemonize no\n"
                          f"logfile {data_dir / 'redis.log'}\n")
        config.chmod(0o600)
        server = cls(port, password, subprocess.Popen([binary, str(config)], stdin=subprocess.DEVNULL))
        server.wait_until_ready()
        return server

    def wait_until_ready(self, seconds: float = 10.0) -> None:
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RedisServerError(f"redis-server exited with status {self.process.returncode}; see its log")
            try:
                if client.ping():
                    return
            except redis.RedisError:
                time.sleep(0.05)
        raise RedisServerError(f"redis-server did not answer on 127.0.0.1:{self.port} within {seconds:.0f} s")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _password(path: Path) -> str:
    if not path.exists():
        path.write_text(secrets.token_urlsafe(24))
        path.chmod(0o600)
    return path.read_text().strip()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
