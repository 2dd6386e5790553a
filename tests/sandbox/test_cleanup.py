"""Nothing of a run survives it: processes, cgroups, mounts; also when the caller is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import sandbox
from sandbox import Spec
from sandbox.cgroups import detect_layout
from tests.conftest import Box
from tests.sandbox.test_pidns import sandboxed_host_processes


def run_cgroups() -> list[str]:
    """Run and slot cgroups under every parent, whoever created them."""
    found = []
    for parent in detect_layout().parents.values():
        if parent.is_dir():
            found += [str(p) for p in parent.iterdir() if p.is_dir()]
    return found


def mounts_of(tree: Path) -> list[str]:
    with open("/proc/self/mountinfo") as mountinfo:
        return [line for line in mountinfo if str(tree) in line]


def test_runs_leave_no_mount_on_the_host(box: Box, rootfs_tree: Path) -> None:
    box.sh("echo x > /tmp/y; sleep 0.1")
    assert mounts_of(rootfs_tree) == []


def test_closed_pool_leaves_no_cgroup(rootfs_tree: Path, workdir: Path) -> None:
    pool = sandbox.SandboxPool()
    before = set(run_cgroups())
    assert pool.run(Spec(["/bin/true"], rootfs_tree, workdir)).status == "OK"
    assert set(run_cgroups()) - before, "a spawner should hold a cgroup while alive"
    pool.close()
    assert set(run_cgroups()) - before == set()


def test_process_exiting_after_sandbox_run_leaves_no_cgroup(rootfs_tree: Path, workdir: Path) -> None:
    """`sandbox.run` uses a process-wide pool nobody closes: it is closed at exit."""
    before = set(run_cgroups())
    code = ("import sys, sandbox\nfrom sandbox import Spec\n"
            "print(sandbox.run(Spec(['/bin/true'], sys.argv[1], sys.argv[2])).status)")
    done = subprocess.run([sys.executable, "-c", code, str(rootfs_tree), str(workdir)], capture_output=True,
                          text=True, timeout=60)
    assert done.stdout == "OK\n", done.stderr
    assert set(run_cgroups()) - before == set()


def test_runs_while_the_interpreter_exits_still_give_results(rootfs_tree: Path, workdir: Path) -> None:
    """At exit no thread can start to reap an init in the background: it is reaped in place."""
    before = set(run_cgroups())
    code = ("import atexit, sys, sandbox.pool\nfrom sandbox import Spec\n"
            "atexit.register(lambda: print([sandbox.run(Spec(['/bin/true'], sys.argv[1], sys.argv[2])).status\n"
            "                               for _ in range(3)]))")
    done = subprocess.run([sys.executable, "-c", code, str(rootfs_tree), str(workdir)], capture_output=True,
                          text=True, timeout=60)
    assert done.stdout == "['OK', 'OK', 'OK']\n", done.stderr
    assert set(run_cgroups()) - before == set()


CALLER = textwrap.dedent("""
    import sys
    import sandbox
    from sandbox import Limits, Spec
    print("started", flush=True)
    sandbox.run(Spec(["/bin/sh", "-c", "sleep 60 & setsid sleep 60 & sleep 60"], sys.argv[1], sys.argv[2],
                     limits=Limits(wall_time=60)))
""")


def test_killed_caller_leaves_nothing(rootfs_tree: Path, workdir: Path) -> None:
    """SIGKILL the process calling run() mid-run: the init notices its supervisor is gone and ends
    the run, the forker exits, and the next pool to start removes the cgroups the dead one left."""
    before = set(run_cgroups())
    caller = subprocess.Popen([sys.executable, "-c", CALLER, str(rootfs_tree), str(workdir)],
                              stdout=subprocess.PIPE, text=True)
    assert caller.stdout is not None and caller.stdout.readline() == "started\n"
    deadline = time.monotonic() + 10
    while len(sandboxed_host_processes()) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(sandboxed_host_processes()) >= 3
    os.kill(caller.pid, signal.SIGKILL)
    caller.wait()
    deadline = time.monotonic() + 5
    while sandboxed_host_processes() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sandboxed_host_processes() == []
    assert mounts_of(rootfs_tree) == []
    pool = sandbox.SandboxPool()
    try:
        assert pool.run(Spec(["/bin/true"], rootfs_tree, workdir)).status == "OK"
    finally:
        pool.close()
    assert set(run_cgroups()) - before == set()


def test_killed_forker_is_replaced_and_cleaned(rootfs_tree: Path, workdir: Path) -> None:
    """A dead forker costs no run: the init it cloned ahead still serves, then a fresh slot takes over."""
    before = set(run_cgroups())
    pool = sandbox.SandboxPool()
    try:
        assert pool.run(Spec(["/bin/true"], rootfs_tree, workdir)).status == "OK"
        forker = pool._idle[0].lanes[0].forker.process
        os.kill(forker.pid, signal.SIGKILL)
        forker.wait()
        for _ in range(3):
            assert pool.run(Spec(["/bin/true"], rootfs_tree, workdir)).status == "OK"
        assert pool._idle[0].lanes[0].forker.process.pid != forker.pid
    finally:
        pool.close()
    assert set(run_cgroups()) - before == set()


def test_ctrl_c_is_left_to_the_caller(rootfs_tree: Path, workdir: Path) -> None:
    """A terminal's Ctrl-C reaches the forkers too: they ignore it (and so do their inits), and stop
    when the caller closes them."""
    pool = sandbox.SandboxPool()
    try:
        assert pool.run(Spec(["/bin/true"], rootfs_tree, workdir)).status == "OK"
        forkers = [lane.forker.process for lane in pool._idle[0].lanes]
        for forker in forkers:
            os.kill(forker.pid, signal.SIGINT)
        time.sleep(0.1)
        assert [forker.poll() for forker in forkers] == [None] * len(forkers)
        assert pool.run(Spec(["/bin/true"], rootfs_tree, workdir)).status == "OK"
        assert [lane.forker.process for lane in pool._idle[0].lanes] == forkers
    finally:
        pool.close()
