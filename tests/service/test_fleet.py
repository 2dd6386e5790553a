"""Many machines: workers with their own node names and state sharing one Redis, drained by a warm
shutdown; and Redis Sentinel in front of the master, through Celery's own Sentinel transport."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

from judge.config import Settings
from judge.redis_server import RedisServer, free_port
from tests.service.conftest import Workers
from tests.service.test_queue import submit, wait_all


def test_two_hosts_share_the_queue_and_one_drains_without_loss(redis_server: RedisServer, workers: Workers,
                                                              tmp_path: Path) -> None:
    hosts = []
    for name in ("alpha", "beta"):
        (tmp_path / name).mkdir()
        hosts.append(workers.start(f"{name}@hosts", concurrency=1, work_dir=tmp_path / name))
    tokens = submit(redis_server.url, 30, b"import time; time.sleep(0.3); print(input())")
    store = Settings(redis_url=redis_server.url).store()
    deadline = time.monotonic() + 30
    while not any(r and r.status == 2 and r.worker == hosts[0] for r in store.get_many(tokens)):
        assert time.monotonic() < deadline
        time.sleep(0.02)
    draining = [r.token for r in store.get_many(tokens) if r and r.status == 2 and r.worker == hosts[0]]
    workers.processes[hosts[0]].send_signal(signal.SIGTERM)  # warm shutdown: finish, take nothing new
    assert workers.processes[hosts[0]].wait(timeout=60) == 0
    drained = {r.token: r for r in store.get_many(draining) if r}
    assert all(r.final and r.status == 3 and r.worker == hosts[0] for r in drained.values()), drained
    records = wait_all(redis_server.url, tokens, 120)
    assert [r.status for r in records] == [3] * 30
    assert {r.worker for r in records} == set(hosts)
    assert not any((tmp_path / "alpha").iterdir()) and not any((tmp_path / "beta").iterdir())


def test_through_redis_sentinel(redis_server: RedisServer, tmp_path: Path) -> None:
    port = free_port()
    (tmp_path / "sentinel").mkdir()
    config = tmp_path / "sentinel" / "sentinel.conf"
    config.write_text(f"port {port}\nbind 127.0.0.1\ndir {tmp_path / 'sentinel'}\n"
                      f"sentinel monitor judge 127.0.0.1 {redis_server.port} 1\n"
                      f"sentinel auth-pass judge {redis_server.password}\n")
    sentinel = subprocess.Popen(["redis-server", str(config), "--sentinel"], stdout=subprocess.DEVNULL)
    url = f"sentinel://:{redis_server.password}@127.0.0.1:{port}/0"
    try:
        time.sleep(1)
        fleet = Workers(url, tmp_path, {"JUDGE_REDIS_SENTINEL_MASTER": "judge"})
        try:
            fleet.start("sentinel@hosts")
            tokens = submit(redis_server.url, 3)
            assert [r.status for r in wait_all(redis_server.url, tokens, 60)] == [3, 3, 3]
            store = Settings(redis_url=url, redis_sentinel_master="judge").store()
            assert store.get(tokens[0]) is not None
        finally:
            fleet.stop_all()
    finally:
        sentinel.terminate()
        sentinel.wait()
