"""Grading many solutions: our /gradings (compile once, run every test) against the Judge0 way (one
submission per test, each compiled again) through our own Judge0-compatible endpoint, same run.

    .venv/bin/python bench/batch_vs_judge0.py [--solutions 100] [--tests 10]

Starts a private redis-server, `judge worker --concurrency 2` and the API, then times both ways
over the same C solutions and tests, and prints the ratio of wall times.
"""

from __future__ import annotations

import argparse
import base64
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from judge.redis_server import RedisServer, free_port

SOLUTION = """#include <stdio.h>
/* solution {index} */
int main(void) {{ long n, x, s = 0; scanf("%ld", &n); while (n-- > 0 && scanf("%ld", &x) == 1) s += x;
                  printf("%ld\\n", s); return 0; }}
"""


def b64(data: str) -> str:
    return base64.b64encode(data.encode()).decode()


def tests(count: int) -> list[tuple[str, str]]:
    return [(f"{i + 1}\n" + " ".join(str(k) for k in range(i + 1)) + "\n", f"{sum(range(i + 1))}\n")
            for i in range(count)]


def judge0_way(http: httpx.Client, sources: list[str], cases: list[tuple[str, str]]) -> float:
    started = time.perf_counter()
    items = [{"source_code": b64(source), "language_id": 50, "stdin": b64(given), "expected_output": b64(expected)}
             for source in sources for given, expected in cases]
    tokens: list[str] = []
    for start in range(0, len(items), 20):
        answer = http.post("/submissions/batch?base64_encoded=true", json={"submissions": items[start:start + 20]})
        tokens += [entry["token"] for entry in answer.json()]
    pending = set(tokens)
    while pending:
        chunk = list(pending)[:20]
        shown = http.get(f"/submissions/batch?tokens={','.join(chunk)}&fields=token,status_id").json()["submissions"]
        for entry in shown:
            if entry["status_id"] > 2:
                assert entry["status_id"] == 3, entry
                pending.discard(entry["token"])
        time.sleep(0.02)
    return time.perf_counter() - started


def gradings_way(http: httpx.Client, sources: list[str], cases: list[tuple[str, str]]) -> float:
    started = time.perf_counter()
    problem = http.post("/problems", json={"tests": [
        {"name": str(i + 1), "stdin": b64(given), "expected_output": b64(expected)}
        for i, (given, expected) in enumerate(cases)]}).json()["id"]
    tokens = [http.post("/gradings", json={"problem_id": problem, "source_code": source, "language_id": 50,
                                           "priority": "batch"}).json()["token"] for source in sources]
    for token in tokens:
        while (report := http.get(f"/gradings/{token}").json())["status"]["id"] <= 2:
            time.sleep(0.02)
        assert report["verdict"] == "AC", report
    return time.perf_counter() - started


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--solutions", type=int, default=100)
    options.add_argument("--tests", type=int, default=10)
    args = options.parse_args()
    base = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    redis = RedisServer.start(base / "redis")
    port = free_port()
    env = {**os.environ, "JUDGE_REDIS_URL": redis.url, "JUDGE_WORK_DIR": str(base / "work"),
           "JUDGE_MAX_QUEUE_SIZE": "100000"}
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    worker = subprocess.Popen([sys.executable, "-m", "judge.cli", "worker", "--concurrency", "2", "--loglevel",
                               "WARNING"], env=env, **quiet)  # type: ignore[call-overload]
    api = subprocess.Popen([sys.executable, "-m", "judge.cli", "api", "--port", str(port)], env=env, **quiet)  # type: ignore[call-overload]
    try:
        http = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60)
        while True:
            try:
                if http.get("/health").status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        sources = [SOLUTION.format(index=index) for index in range(args.solutions)]
        cases = tests(args.tests)
        ours = gradings_way(http, sources, cases)
        theirs = judge0_way(http, sources, cases)
        print(f"{args.solutions} solutions x {args.tests} tests, 2 worker processes:")
        print(f"  gradings (compile once, run all tests): {ours:7.1f} s")
        print(f"  Judge0 way (a submission per test):     {theirs:7.1f} s")
        print(f"  ratio: {theirs / ours:.1f}x faster")
    finally:
        api.terminate()
        worker.terminate()
        api.wait()
        worker.wait()
        redis.stop()
        shutil.rmtree(base)


if __name__ == "__main__":
    main()
