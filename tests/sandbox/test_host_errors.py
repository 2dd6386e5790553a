"""A host lacking a privilege or feature gets SandboxError naming it and the fix; nothing runs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import sandbox
from sandbox import SandboxError, Spec, host
from sandbox.cgroups import detect_layout
from sandbox.host import prepare_host
from sandbox.mountns import RootPlan
from sandbox.roots import build


def test_not_root_is_refused_with_the_fix() -> None:
    """The spawner's host check, in a child that gave up root (as a worker started as a user would)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.setresgid(65534, 65534, 65534)
        os.setresuid(65534, 65534, 65534)
        try:
            prepare_host()
            os.write(write, b"no error")
        except SandboxError as error:
            os.write(write, str(error).encode())
        os._exit(0)
    os.close(write)
    message = os.read(read, 4096).decode()
    os.waitpid(pid, 0)
    assert message.startswith("the sandbox must run as root"), message


def test_missing_rootfs_is_refused(workdir: Path, tmp_path: Path) -> None:
    with pytest.raises(SandboxError, match="does not exist"):
        sandbox.run(Spec(["/bin/true"], tmp_path / "nowhere", workdir))


def test_half_built_rootfs_is_refused(workdir: Path, tmp_path: Path) -> None:
    (tmp_path / "proc").mkdir()
    with pytest.raises(SandboxError, match="lacks the mount points"):
        sandbox.run(Spec(["/bin/true"], tmp_path, workdir))


def fake_proc_self(tmp_path: Path, mountinfo: str, cgroup: str) -> Path:
    (tmp_path / "mountinfo").write_text(mountinfo)
    (tmp_path / "cgroup").write_text(cgroup)
    return tmp_path


def test_missing_cgroup_controller_is_named(tmp_path: Path) -> None:
    proc_self = fake_proc_self(
        tmp_path,
        "30 25 0:26 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids\n"
        "31 25 0:27 / /sys/fs/cgroup/cpuacct rw - cgroup cgroup rw,cpuacct\n",
        "2:pids:/\n1:cpuacct:/\n")
    with pytest.raises(SandboxError, match=r"'memory' is not available.*subtree_control.*mount -t cgroup"):
        detect_layout(proc_self)


def test_old_kernel_is_refused_with_the_version_needed() -> None:
    assert "Linux 5.7 or newer" in host.check_kernel("4.19.0-27-amd64")
    assert "Linux 5.7 or newer" in host.check_kernel("5.4.0")
    assert host.check_kernel("5.10.0-35-cloud-amd64") == ""
    assert host.check_kernel("6.18.0") == ""


def test_a_template_that_cannot_be_built_names_the_tree_and_the_step(tmp_path: Path) -> None:
    """The forker builds each tree's template in a helper; a failure there comes back as OSError."""
    missing = tmp_path / "no-such-tree"
    with pytest.raises(OSError, match=f"preparing the root filesystem {missing}: bind the root filesystem"):
        build(RootPlan(bytes(missing), 0))
