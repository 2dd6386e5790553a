"""`judge up`: everything on one machine. A private redis-server (unless JUDGE_REDIS_URL is set), a
worker and the API on 127.0.0.1; Ctrl-C or SIGTERM stops them all."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from types import FrameType

from judge.commands.api_cmd import warn_if_exposed
from judge.config import settings
from judge.local import current_rootfs
from judge.redis_server import RedisServer

STOP_SECONDS = 30


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("up", help="run Redis, a worker and the API here, until Ctrl-C")
    parser.add_argument("--host", default="127.0.0.1", help="the API's address")
    parser.add_argument("--port", type=int, default=2358, help="the API's port")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="parallel jobs")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    config = settings()
    current_rootfs(config)  # fail now, naming `judge rootfs build`
    warn_if_exposed(args.host)
    redis_server = None
    env = dict(os.environ)
    if "JUDGE_REDIS_URL" not in os.environ:
        redis_server = RedisServer.start(config.state_dir / "redis")
        env["JUDGE_REDIS_URL"] = redis_server.url
    judge = [sys.executable, "-m", "judge.cli"]
    children = {
        "worker": subprocess.Popen([*judge, "worker", "--concurrency", str(args.workers)], env=env),
        "api": subprocess.Popen([*judge, "api", "--host", args.host, "--port", str(args.port)], env=env),
    }
    print(f"judge is up: http://{args.host}:{args.port} (docs at /docs); Ctrl-C stops it", flush=True)
    stopping = False

    def stop(number: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        while not stopping and all(child.poll() is None for child in children.values()):
            time.sleep(0.2)
    finally:
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)  # the worker finishes its jobs first (warm shutdown)
        for child in children.values():
            try:
                child.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        if redis_server is not None:
            redis_server.stop()
    failed = [name for name, child in children.items() if child.returncode not in (0, -signal.SIGTERM)]
    if failed and not stopping:
        print(f"error: the {' and the '.join(failed)} stopped unexpectedly", file=sys.stderr)
        return 2
    return 0
