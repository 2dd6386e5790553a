"""`judge up`: Redis, a worker and the API on 127.0.0.1, stopped cleanly by SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import redis

from judge.redis_server import RedisServer, free_port


def start_up(state: Path, port: int, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "judge.cli", "up", "--port", str(port), "--workers", "1"],
                            env={**os.environ, "JUDGE_STATE_DIR": str(state), "JUDGE_WORK_DIR": str(state / "work"),
                                 **env}, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            start_new_session=True)


def wait_healthy(url: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} never became healthy")


def descendants(pid: int) -> set[int]:
    found: set[int] = set()
    for child in subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split():
        found |= {int(child)} | descendants(int(child))
    return found


def test_two_side_by_side_then_stopped(tmp_path: Path, rootfs_tree: Path) -> None:
    ports = free_port(), free_port()
    ups = [start_up(tmp_path / f"state{i}", port) for i, port in enumerate(ports)]
    try:
        for up, port in zip(ups, ports, strict=True):
            assert up.stdout is not None and f"http://127.0.0.1:{port}" in up.stdout.readline()
            wait_healthy(f"http://127.0.0.1:{port}")
            answer = httpx.post(f"http://127.0.0.1:{port}/submissions?wait=true", timeout=60,
                                json={"language_id": 46, "source_code": f"echo {port}"}).json()
            assert answer["stdout"] == f"{port}\n"
        assert all((tmp_path / f"state{i}" / "redis" / "appendonlydir").is_dir() for i in range(2))
        children = [descendants(up.pid) for up in ups]
        assert all(len(group) >= 3 for group in children)  # redis-server, the worker, the API (and theirs)
    finally:
        for up in ups:
            up.send_signal(signal.SIGTERM)
    for up, group in zip(ups, children, strict=True):
        assert up.wait(timeout=60) == 0
        assert not [pid for pid in group if Path(f"/proc/{pid}").exists()]


def test_uses_the_given_redis(tmp_path: Path, rootfs_tree: Path) -> None:
    server = RedisServer.start(tmp_path / "redis")
    port = free_port()
    up = start_up(tmp_path / "state", port, JUDGE_REDIS_URL=server.url)
    try:
        wait_healthy(f"http://127.0.0.1:{port}")
        assert not (tmp_path / "state" / "redis").exists()
        assert redis.Redis.from_url(server.url).keys("judge:worker:*")
    finally:
        up.send_signal(signal.SIGTERM)
        assert up.wait(timeout=60) == 0
        server.stop()
