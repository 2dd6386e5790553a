"""Many runs at once, from threads and from processes, do not see or disturb each other."""

from __future__ import annotations

import multiprocessing
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import sandbox
from sandbox import Limits, Spec
from tests.conftest import make_workdir

SCRIPT = ("echo $1 > /tmp/mine; echo $1 > /box/mine; sleep 0.2; "
          "cat /tmp/mine /box/mine; ls /tmp | wc -l; ls /box | wc -l")


def one_run(tree: Path, tag: str) -> tuple[str, bytes, str]:
    workdir = make_workdir()
    try:
        result = sandbox.run(Spec(["/bin/sh", "-c", SCRIPT, "sh", tag], tree, workdir, limits=Limits(wall_time=5)))
        return tag, result.stdout, result.status
    finally:
        shutil.rmtree(workdir)


def expected(tag: str) -> bytes:
    return f"{tag}\n{tag}\n1\n1\n".encode()


def test_threads_do_not_interfere(rootfs_tree: Path) -> None:
    with ThreadPoolExecutor(max_workers=6) as threads:
        results = list(threads.map(lambda i: one_run(rootfs_tree, f"thread{i}"), range(12)))
    for tag, stdout, status in results:
        assert (status, stdout) == ("OK", expected(tag))


def _process_main(tree: str, tag: str, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    queue.put(one_run(Path(tree), tag))


def test_processes_do_not_interfere(rootfs_tree: Path) -> None:
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    processes = [context.Process(target=_process_main, args=(str(rootfs_tree), f"proc{i}", queue))
                 for i in range(4)]
    for process in processes:
        process.start()
    results = [queue.get(timeout=30) for _ in processes]
    for process in processes:
        process.join(timeout=10)
        assert process.exitcode == 0
    for tag, stdout, status in results:
        assert (status, stdout) == ("OK", expected(tag))
