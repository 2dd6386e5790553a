"""Throughput and latency through the queue against the same programs run natively, same run.

    .venv/bin/python bench/queue_throughput.py [--jobs 200]

Starts a private redis-server and one `judge worker --concurrency 2` (this machine has 2 cores),
then for each program: N submissions at once through the queue (throughput), the same program N
times natively with 2 in parallel (throughput), the ratio, and the latency of single submissions
one after another (submit to result, p50 and p99), split into the queue's own part (submit to
worker start) and the judging.
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

from judge.config import Settings
from judge.jobs import Judge0Request
from judge.queueing import enqueue
from judge.redis_server import RedisServer
from judge.store import IN_QUEUE, PROCESSING, Record, Store
from worker.app import make_app

BURN = "import time\nstart = time.process_time()\nwhile time.process_time() - start < 0.05: pass\n"
HELLO_C = '#include <stdio.h>\nint main(void) { puts("hi"); return 0; }\n'
PYTHON = "/usr/bin/python3"  # Debian's, the same 3.11.2 as in the rootfs
PROGRAMS = {  # name: (language id, source, native commands for run number i in directory d)
    "python print('hi')": (71, "print('hi')\n", lambda d, i: [[PYTHON, "-c", "print('hi')"]]),
    "python burning 50 ms": (71, BURN, lambda d, i: [[PYTHON, "-c", BURN]]),
    "C hello (compile+run)": (50, HELLO_C, lambda d, i: [["gcc", "-o", f"{d}/a{i}", f"{d}/main.c", "-lm"],
                                                        [f"{d}/a{i}"]]),
}


def parse_time(stamp: str) -> float:
    return datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").timestamp()


class Service:
    def __init__(self, base: Path) -> None:
        self.redis = RedisServer.start(base / "redis")
        self.store = Store(self.redis.url, 3600)
        self.sender = make_app(Settings(redis_url=self.redis.url))
        env = {**os.environ, "JUDGE_REDIS_URL": self.redis.url, "JUDGE_WORK_DIR": str(base / "work")}
        self.worker = subprocess.Popen([sys.executable, "-m", "judge.cli", "worker", "--concurrency", "2",
                                        "--hostname", "bench@local", "--loglevel", "WARNING"], env=env,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while not self.store.workers():
            time.sleep(0.1)

    def submit(self, language: int, source: str, count: int) -> list[str]:
        records = [Record(str(uuid.uuid4()), "submission", Judge0Request(source.encode(), language).to_json())
                   for _ in range(count)]
        for start in range(0, count, 100):
            enqueue(self.store, self.sender, *records[start:start + 100])
        return [record.token for record in records]

    def wait(self, tokens: list[str]) -> list[Record]:
        """Watch one unfinished token, the last submitted, with a single small read per poll, and read
        the whole batch only once that one is done: this script shares the workers' CPUs."""
        done: dict[str, Record] = {}
        pending = list(tokens)
        pause = 0.001 if len(tokens) == 1 else 0.005
        while pending:
            status = self.store.redis.hget(Store.key(pending[-1]), "status")
            if status is None or int(status) in (IN_QUEUE, PROCESSING):
                time.sleep(pause)
                continue
            for token, record in zip(pending, self.store.get_many(pending), strict=True):
                if record is not None and record.final:
                    assert record.status == 3, record
                    done[token] = record
            pending = [token for token in pending if token not in done]
        return [done[token] for token in tokens]

    def stop(self) -> None:
        self.worker.terminate()
        self.worker.wait()
        self.redis.stop()


def native(commands: Callable[[int], list[list[str]]], count: int) -> float:
    def once(number: int) -> None:
        for command in commands(number):
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(once, range(count)))
    return count / (time.perf_counter() - started)


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--jobs", type=int, default=200)
    options.add_argument("--latency-samples", type=int, default=50)
    args = options.parse_args()
    base = Path(tempfile.mkdtemp(prefix="bench-queue-"))
    service = Service(base)
    try:
        service.wait(service.submit(71, "print(1)", 4))  # warm up both worker processes
        print(f"{'program':24} {'queue /s':>9} {'native /s':>10} {'ratio':>6}   {'p50 ms':>7} {'p99 ms':>7} "
              f"{'queue p50 ms':>12}")
        for name, (language, source, command) in PROGRAMS.items():
            jobs = args.jobs if language == 71 else args.jobs // 2
            started = time.perf_counter()
            service.wait(service.submit(language, source, jobs))
            queued_rate = jobs / (time.perf_counter() - started)
            (base / "main.c").write_text(HELLO_C)
            native_rate = native(functools.partial(command, base), jobs)
            latencies, queue_parts = [], []
            for _ in range(args.latency_samples):
                sent = time.time()
                (record,) = service.wait(service.submit(language, source, 1))
                latencies.append(time.time() - sent)
                started_at = service.store.redis.hget(Store.key(record.token), "started_at")
                queue_parts.append(parse_time(str(started_at)) - parse_time(record.created_at))
            latencies.sort()
            print(f"{name:24} {queued_rate:9.1f} {native_rate:10.1f} {queued_rate / native_rate:6.0%}   "
                  f"{statistics.median(latencies) * 1000:7.1f} {latencies[int(len(latencies) * 0.99) - 1] * 1000:7.1f} "
                  f"{statistics.median(queue_parts) * 1000:12.1f}")
    finally:
        service.stop()
        shutil.rmtree(base)


if __name__ == "__main__":
    main()
