"""Real services for the tests: a redis-server on a random port in a temp dir, `judge worker`
processes, and the API served over real HTTP on a random port."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import uvicorn

from judge.api.app import create_app
from judge.api.config import ApiSettings, Judge0Config
from judge.config import Settings
from judge.redis_server import RedisServer, free_port
from judge.store import Store
from worker.app import make_app

START_SECONDS = 60


@pytest.fixture
def redis_server(tmp_path: Path, rootfs_tree: Path) -> Iterator[RedisServer]:
    server = RedisServer.start(tmp_path / "redis")
    yield server
    server.stop()


@dataclass
class Workers:
    """Starts `judge worker` processes against one Redis; stops them all at the end."""

    redis_url: str
    work_dir: Path
    extra_env: dict[str, str] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def start(self, hostname: str | None = None, concurrency: int = 2, queues: str = "interactive,batch",
              wait: bool = True, work_dir: Path | None = None) -> str:
        hostname = hostname or f"w{len(self.processes) + 1}-{uuid.uuid4().hex[:6]}@test"
        env = {**os.environ, "JUDGE_REDIS_URL": self.redis_url, "JUDGE_WORK_DIR": str(work_dir or self.work_dir),
               **self.extra_env}
        log = open(self.work_dir.parent / f"{hostname}.log", "wb")  # noqa: SIM115 - lives as long as the worker
        self.processes[hostname] = subprocess.Popen(
            [sys.executable, "-m", "judge.cli", "worker", "--concurrency", str(concurrency), "--hostname", hostname,
             "--queues", queues, "--loglevel", "INFO"], env=env, stdout=log, stderr=subprocess.STDOUT)
        if wait:
            self.wait_ready(hostname)
        return hostname

    def wait_ready(self, hostname: str) -> None:
        store = Settings(redis_url=self.redis_url, **self.settings_env()).store()
        deadline = time.monotonic() + START_SECONDS
        while not any(worker["hostname"] == hostname for worker in store.workers()):
            assert self.processes[hostname].poll() is None, f"worker {hostname} exited: see its log"
            assert time.monotonic() < deadline, f"worker {hostname} did not start in {START_SECONDS} s"
            time.sleep(0.1)

    def settings_env(self) -> dict[str, str]:
        master = self.extra_env.get("JUDGE_REDIS_SENTINEL_MASTER")
        return {"redis_sentinel_master": master} if master else {}

    def pool_pids(self, hostname: str) -> list[int]:
        """The worker's pool processes (children of its main process, not the forkers)."""
        out = subprocess.run(["pgrep", "-P", str(self.processes[hostname].pid)], capture_output=True, text=True)
        pids = [int(pid) for pid in out.stdout.split()]
        return [pid for pid in pids if b"sandbox._forker" not in Path(f"/proc/{pid}/cmdline").read_bytes()]

    def stop(self, hostname: str, sig: int = signal.SIGTERM, timeout: float = 60) -> None:
        process = self.processes.pop(hostname)
        if process.poll() is None:
            process.send_signal(sig)
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def stop_all(self) -> None:
        for hostname in list(self.processes):
            self.stop(hostname)


@pytest.fixture
def workers(redis_server: RedisServer, tmp_path: Path) -> Iterator[Workers]:
    (tmp_path / "work").mkdir()
    started = Workers(redis_server.url, tmp_path / "work")
    yield started
    started.stop_all()


@dataclass
class Api:
    url: str
    store: Store
    settings: Settings

    def client(self, **headers: str) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers=headers, timeout=60)


def serve(settings: Settings, judge0: Judge0Config, api: ApiSettings) -> tuple[str, Callable[[], None]]:
    """The API on a random loopback port, in a thread of this process; returns its URL and a stopper."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings, judge0, api, make_app(settings)), host="127.0.0.1",
                                           port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the API did not start"
        time.sleep(0.02)

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=10)

    return f"http://127.0.0.1:{port}", stop


@pytest.fixture
def make_api(redis_server: RedisServer, tmp_path: Path) -> Iterator[Callable[..., Api]]:
    stoppers: list[Callable[[], None]] = []

    def start(judge0: Judge0Config | None = None, api: ApiSettings | None = None, **settings: object) -> Api:
        config = Settings(redis_url=redis_server.url, work_dir=tmp_path / "work", **settings)  # type: ignore[arg-type]
        url, stop = serve(config, judge0 or Judge0Config(), api or ApiSettings())
        stoppers.append(stop)
        return Api(url, Store(config.redis_url, config.retention_seconds), config)

    yield start
    for stop in stoppers:
        stop()


@pytest.fixture
def service(make_api: Callable[..., Api], workers: Workers) -> Api:
    """The whole service: Redis, one worker (2 processes), the API."""
    workers.start()
    return make_api()


@pytest.fixture(scope="module")
def shared_service(rootfs_tree: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """One whole service for a module's read-mostly tests (starting one takes a few seconds)."""
    base = tmp_path_factory.mktemp("service")
    server = RedisServer.start(base / "redis")
    (base / "work").mkdir()
    started = Workers(server.url, base / "work")
    started.start()
    config = Settings(redis_url=server.url, work_dir=base / "work")
    url, stop = serve(config, Judge0Config(), ApiSettings())
    yield Api(url, Store(config.redis_url, config.retention_seconds), config)
    stop()
    started.stop_all()
    server.stop()
