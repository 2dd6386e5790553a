"""The queue and its workers against a real redis-server: nothing accepted is ever lost."""

from __future__ import annotations

import base64
import os
import signal
import time
import uuid
from pathlib import Path

from judge.config import Settings
from judge.jobs import Judge0Request
from judge.queueing import enqueue
from judge.redis_server import RedisServer
from judge.store import Record, Store
from tests.sandbox.test_cleanup import mounts_of, run_cgroups
from tests.sandbox.test_pidns import sandboxed_host_processes
from tests.service.conftest import Workers
from worker.app import make_app

ECHO = b"print(input())"


def submit(redis_url: str, count: int, source: bytes = ECHO, queue: str = "interactive",
           **fields: object) -> list[str]:
    store, sender = Store(redis_url, 3600), make_app(Settings(redis_url=redis_url))
    records = [Record(str(uuid.uuid4()), "submission",
                      Judge0Request(source, 71, stdin=f"{i}\n".encode(), **fields).to_json(),  # type: ignore[arg-type]
                      queue=queue) for i in range(count)]
    for start in range(0, count, 100):
        enqueue(store, sender, *records[start:start + 100])
    return [record.token for record in records]


def wait_all(redis_url: str, tokens: list[str], seconds: float) -> list[Record]:
    store = Store(redis_url, 3600)
    deadline = time.monotonic() + seconds
    while True:
        records = [r for r in store.get_many(tokens) if r is not None]
        if len(records) == len(tokens) and all(r.final for r in records):
            return records
        assert time.monotonic() < deadline, f"{sum(r.final for r in records)} of {len(tokens)} finished in time"
        time.sleep(0.1)


def test_jobs_complete_with_their_results(redis_server: RedisServer, workers: Workers) -> None:
    workers.start()
    tokens = submit(redis_server.url, 5)
    for index, record in enumerate(wait_all(redis_server.url, tokens, 60)):
        assert record.status == 3 and record.result is not None
        assert base64.b64decode(record.result["stdout"]) == f"{index}\n".encode()
        assert record.finished_at is not None


def test_killed_worker_process_is_replaced_and_its_job_finished_once(
        redis_server: RedisServer, workers: Workers) -> None:
    """SIGKILL the worker process running a job: the job goes back on the queue, another worker
    finishes it, one result is stored, and nothing of the killed run survives."""
    first = workers.start(concurrency=1)
    (token,) = submit(redis_server.url, 1, b"import time; time.sleep(3); print('done')")
    store = Store(redis_server.url, 3600)
    deadline = time.monotonic() + 20
    while (record := store.get(token)) and record.status != 2:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    while not sandboxed_host_processes():
        time.sleep(0.05)
    second = workers.start(concurrency=1)
    killed = workers.pool_pids(first)
    assert any(f"slot-{pid}." in path for pid in killed for path in run_cgroups())
    for pid in killed:
        os.kill(pid, signal.SIGKILL)
    (record,) = wait_all(redis_server.url, [token], 60)
    assert record.status == 3 and base64.b64decode(record.result["stdout"]) == b"done\n"  # type: ignore[index]
    assert record.worker == second  # started again, and finished, by the other worker
    deadline = time.monotonic() + 10
    while sandboxed_host_processes() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert sandboxed_host_processes() == []
    assert not [path for pid in killed for path in run_cgroups() if f"slot-{pid}." in path]
    assert mounts_of(Path("/var/lib/judge/rootfs")) == []


def test_redelivered_job_keeps_its_first_result(redis_server: RedisServer, workers: Workers) -> None:
    """The same token queued twice (as a redelivery would): judged, but one result stays."""
    workers.start()
    (token,) = submit(redis_server.url, 1, b"import time; print(time.time())")
    (first,) = wait_all(redis_server.url, [token], 60)
    make_app(Settings(redis_url=redis_server.url)).send_task("judge.job", args=[token], queue="interactive")
    time.sleep(2)
    again = Store(redis_server.url, 3600).get(token)
    assert again is not None and (again.result, again.finished_at) == (first.result, first.finished_at)


def test_restarted_redis_loses_no_queued_job(redis_server: RedisServer, workers: Workers, tmp_path: Path) -> None:
    tokens = submit(redis_server.url, 30)
    time.sleep(1.5)  # the append-only file is synced every second
    redis_server.stop()
    restarted = RedisServer.start(tmp_path / "redis", port=redis_server.port)
    try:
        workers.start()
        records = wait_all(restarted.url, tokens, 90)
        assert [r.status for r in records] == [3] * 30
    finally:
        workers.stop_all()
        restarted.stop()


def test_thousand_jobs_two_workers_one_result_each(redis_server: RedisServer, workers: Workers) -> None:
    workers.start(concurrency=1)
    workers.start(concurrency=1)
    tokens = submit(redis_server.url, 1000, b"print(1)")
    records = wait_all(redis_server.url, tokens, 600)
    assert all(record.status == 3 for record in records)
    assert len({record.token for record in records}) == 1000


def test_interactive_jobs_overtake_a_batch(redis_server: RedisServer, workers: Workers) -> None:
    batch = submit(redis_server.url, 40, b"import time; time.sleep(0.1)", queue="batch")
    interactive = submit(redis_server.url, 3, queue="interactive")
    workers.start(concurrency=1)
    wait_all(redis_server.url, interactive, 60)
    done = [record for record in Store(redis_server.url, 3600).get_many(batch) if record and record.final]
    assert len(done) <= 5, f"{len(done)} batch jobs ran before the interactive ones"
    wait_all(redis_server.url, batch, 120)


def test_queue_depth_and_status_counts(redis_server: RedisServer) -> None:
    store = Store(redis_server.url, 3600)
    submit(redis_server.url, 3, queue="batch")
    submit(redis_server.url, 2)
    assert store.queue_depths() == {"interactive": 2, "batch": 3}
    assert store.status_counts() == {1: 5}


def test_taking_a_job_moves_it_to_processing_once_and_leaves_a_final_one(redis_server: RedisServer) -> None:
    """A worker takes a job and reads it in one step; a final record is read unchanged; a gone one is None."""
    store = Store(redis_server.url, 3600)
    (token,) = submit(redis_server.url, 1)
    taken = store.take(token, "first@host")
    assert taken is not None and (taken.status, taken.worker) == (2, "first@host")
    again = store.take(token, "second@host")  # a redelivery: taken again, by whoever has it now
    assert again is not None and (again.status, again.worker) == (2, "second@host")
    assert store.finish(token, 3, {"stdout": "x"}, callback=False)
    final = store.take(token, "third@host")
    assert final is not None and (final.status, final.worker, final.result) == (3, "second@host", {"stdout": "x"})
    assert store.take("no-such-token", "first@host") is None


def test_celery_settings_say_why() -> None:
    conf = make_app(Settings()).conf
    assert conf.task_acks_late and conf.task_reject_on_worker_lost and conf.worker_prefetch_multiplier == 1
    assert conf.broker_transport_options["visibility_timeout"] > conf.task_time_limit > conf.task_soft_time_limit
    assert conf.task_soft_time_limit > Settings().max_job_seconds
    assert conf.worker_send_task_events and conf.task_send_sent_event
