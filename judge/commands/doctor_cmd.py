"""`judge doctor`: what this machine offers judge, each missing piece with its fix; and
`judge status`: queue depth, workers, throughput over the last minute."""

from __future__ import annotations

import argparse
import time
from datetime import datetime

import redis
from rich.console import Console
from rich.table import Table

from judge.config import Settings, settings
from judge.local import current_rootfs
from rootfs import RootfsError
from sandbox.doctor import Check, report, run_checks


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    subparsers.add_parser("doctor", help="check this machine: kernel, cgroups, rootfs, Redis, workers").set_defaults(
        handler=doctor)
    subparsers.add_parser("status", help="queue depth, workers, throughput over the last minute").set_defaults(
        handler=status)


def doctor(args: argparse.Namespace) -> int:
    config = settings()
    checks: list[Check] = []
    try:
        tree = current_rootfs(config)
        checks.append(Check("root filesystem", True, str(tree)))
    except RootfsError as error:
        tree = config.rootfs / "current"
        checks.append(Check("root filesystem", False, str(error)))
    checks += [check for check in run_checks(tree) if not check.name.startswith("root filesystem")]
    checks += service_checks(config)
    print(report(checks))
    return 0 if all(check.ok for check in checks) else 1


def service_checks(config: Settings) -> list[Check]:
    store, url = config.store(), config.redis_url
    try:
        store.ping()
    except redis.RedisError as error:
        return [Check("redis", False, f"cannot reach {_hide_password(url)}: {error}; start one (judge up does) or set "
                                      "JUDGE_REDIS_URL")]
    workers = store.workers()
    return [Check("redis", True, _hide_password(url)),
            Check("workers", bool(workers), f"{len(workers)} alive: " + ", ".join(w["hostname"] for w in workers)
                  if workers else "none alive: start one with `judge worker` (or `judge up`)")]


def _hide_password(url: str) -> str:
    if "@" not in url:
        return url
    scheme, rest = url.split("://", 1)
    return f"{scheme}://***@{rest.split('@', 1)[1]}"


def status(args: argparse.Namespace) -> int:
    config = settings()
    store = config.store()
    console = Console(soft_wrap=True)
    depths = store.queue_depths()
    workers = store.workers()
    recent = store.records_since(60)
    finished = [r for r in recent if r.final and r.finished_at]
    console.print("queues: " + ", ".join(f"{name} {depth}" for name, depth in depths.items()))
    table = Table(title=f"{len(workers)} workers")
    for column in ("worker", "host", "processes", "languages", "up since"):
        table.add_column(column)
    for worker in sorted(workers, key=lambda w: str(w["hostname"])):
        table.add_row(str(worker["hostname"]), str(worker["host"]), str(worker["concurrency"]),
                      ", ".join(map(str, worker["languages"])),
                      datetime.fromtimestamp(float(worker["started"])).strftime("%Y-%m-%d %H:%M:%S"))
    console.print(table)
    console.print(f"last minute: {len(recent)} submitted, {len(finished)} finished "
                  f"({len(finished) / 60:.2f}/s); now processing {sum(r.status == 2 for r in recent)}; "
                  f"at {time.strftime('%H:%M:%S')}")
    return 0
