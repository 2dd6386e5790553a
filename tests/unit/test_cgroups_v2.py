"""The cgroup v2 code path, against a temporary directory laid out like cgroupfs (this host mounts
v1 controllers, so v2 cannot run for real here)."""

from __future__ import annotations

import os
from pathlib import Path

from sandbox.cgroups import CgroupLayout, Cgroups, V2Run, _delegate_v2, detect_layout, hard_memory_wall
from sandbox.spec import Limits


def fake_cgroupfs(root: Path, procs: str = "") -> Path:
    own = root / "system.slice" / "judge.service"
    own.mkdir(parents=True)
    (own / "cgroup.controllers").write_text("cpu memory pids io\n")
    (own / "cgroup.subtree_control").write_text("")
    (own / "cgroup.procs").write_text(procs)
    return own


def test_v2_detected_when_our_cgroup_offers_memory_and_pids(tmp_path: Path) -> None:
    fake_cgroupfs(tmp_path / "fs")
    (tmp_path / "mountinfo").write_text(f"35 24 0:30 / {tmp_path / 'fs'} rw - cgroup2 cgroup2 rw\n")
    (tmp_path / "cgroup").write_text("0::/system.slice/judge.service\n")
    layout = detect_layout(tmp_path)
    assert layout == CgroupLayout(2, {"unified": tmp_path / "fs/system.slice/judge.service/judge"})


def test_delegation_moves_processes_into_a_leaf(tmp_path: Path) -> None:
    own = fake_cgroupfs(tmp_path, procs="101\n102\n")
    (own / "supervisor").mkdir()
    (own / "supervisor" / "cgroup.procs").write_text("")
    parent = own / "judge"
    parent.mkdir()
    (parent / "cgroup.subtree_control").write_text("")
    _delegate_v2(parent)
    assert (own / "supervisor" / "cgroup.procs").read_text() == "102"  # a regular file keeps the last write
    assert (own / "cgroup.subtree_control").read_text() == "+memory +pids"
    assert (parent / "cgroup.subtree_control").read_text() == "+memory +pids"


def test_run_cgroup_limits_and_readings(tmp_path: Path) -> None:
    parent = tmp_path / "judge"
    parent.mkdir()
    cgroups = Cgroups(CgroupLayout(2, {"unified": parent}), "1234.5678-1")
    limits = Limits(memory=64 << 20, processes=10)
    original_mkdir = Path.mkdir

    def mkdir_with_files(self: Path, *args: object, **kwargs: object) -> None:
        original_mkdir(self, *args, **kwargs)  # type: ignore[arg-type]
        for name in ("memory.max", "memory.swap.max", "memory.oom.group", "pids.max", "cgroup.kill"):
            (self / name).write_text("")
        (self / "cpu.stat").write_text("usage_usec 250000\n")  # the init's set-up, before the run

    Path.mkdir = mkdir_with_files  # type: ignore[method-assign]
    try:
        run = cgroups.new_run()
    finally:
        Path.mkdir = original_mkdir  # type: ignore[method-assign]
    assert isinstance(run, V2Run)
    assert run.path == parent / "run-1234.5678-1-1"
    assert run.clone_fd is not None
    assert (run.path / "memory.max").read_text() == ""  # no limit while the init sets up
    run.start(limits)
    assert (run.path / "memory.max").read_text() == str(hard_memory_wall(limits))
    assert (run.path / "memory.swap.max").read_text() == "0"
    assert (run.path / "memory.oom.group").read_text() == "1"
    assert (run.path / "pids.max").read_text() == "11"
    (run.path / "cpu.stat").write_text("usage_usec 1750000\nuser_usec 1000000\nsystem_usec 750000\n")
    (run.path / "memory.peak").write_text("104857600\n")
    (run.path / "memory.events").write_text("low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\noom_group_kill 0\n")
    assert run.cpu_seconds() == 1.5
    assert run.memory_peak() == 100 << 20
    assert run.oom_kills() == 1
    run.kill_all()
    assert (run.path / "cgroup.kill").read_text() == "1"
    for name in os.listdir(run.path):
        os.unlink(run.path / name)
    run.finish()
    assert not run.path.exists()


def test_a_container_sees_its_cgroup_as_the_mount_root(tmp_path: Path) -> None:
    """Docker on cgroup v1 mounts each hierarchy from the container's own cgroup: /proc/self/cgroup says
    /docker/<id>, and that directory is the mount point itself."""
    for controller in ("memory", "pids", "cpuacct"):
        (tmp_path / "fs" / controller).mkdir(parents=True)
    (tmp_path / "mountinfo").write_text("".join(
        f"{30 + i} 25 0:{26 + i} /docker/abc /sys/fs/{c} rw - cgroup cgroup rw,{c}\n".replace("/sys/fs/", str(tmp_path / "fs") + "/")
        for i, c in enumerate(("memory", "pids", "cpuacct"))))
    (tmp_path / "cgroup").write_text("4:memory:/docker/abc\n3:pids:/docker/abc\n2:cpuacct:/docker/abc\n")
    layout = detect_layout(tmp_path)
    assert layout.parents == {c: tmp_path / "fs" / c / "judge" for c in ("memory", "pids", "cpuacct")}
