"""What the host must offer, checked once per spawner; `doctor` reports the same checks."""

from __future__ import annotations

import os
import platform
import re
from dataclasses import dataclass
from pathlib import Path

from sandbox import cgroups, seccomp
from sandbox.cgroups import CgroupLayout
from sandbox.spec import SandboxError

MIN_KERNEL = (5, 7)  # clone3 with CLONE_INTO_CGROUP; open_tree and move_mount came with 5.2


@dataclass(frozen=True)
class Host:
    layout: CgroupLayout
    cpus: int
    seccomp_bpf: bytes


def prepare_host() -> Host:
    """Check the host, create the cgroup parents, remove what dead processes left, compile the filter.

    Raises:
        SandboxError: something is missing; the message names it and the fix.
    """
    for problem in (check_root(), check_kernel(), check_user_namespaces(), check_seccomp()):
        if problem:
            raise SandboxError(problem)
    layout = cgroups.detect_layout()
    cgroups.prepare(layout)
    return Host(layout, len(os.sched_getaffinity(0)), seccomp.compile_filter())


def check_root() -> str:
    if os.geteuid() != 0:
        return "the sandbox must run as root (it creates namespaces and cgroups): run the worker as root"
    return ""


def check_kernel(release: str | None = None) -> str:
    release = release or platform.release()
    version = tuple(int(part) for part in re.findall(r"\d+", release)[:2])
    if version < MIN_KERNEL:
        return f"Linux {release} is too old: the sandbox needs Linux 5.7 or newer (clone3 into a cgroup)"
    return ""


def check_user_namespaces() -> str:
    limit = Path("/proc/sys/user/max_user_namespaces")
    if limit.exists() and int(limit.read_text()) == 0:
        return "user namespaces are disabled: sysctl -w user.max_user_namespaces=15000"
    if not Path("/proc/self/ns/user").exists():
        return "the kernel lacks user namespaces: build it with CONFIG_USER_NS=y"
    return ""


def check_seccomp() -> str:
    if not seccomp.available():
        return "the kernel lacks seccomp: build it with CONFIG_SECCOMP=y and CONFIG_SECCOMP_FILTER=y"
    return ""


def check_rootfs(rootfs: Path) -> str:
    missing = [name for name in ("proc", "tmp", "box", "dev/null") if not (rootfs / name).exists()]
    if not rootfs.is_dir():
        return f"the root filesystem {rootfs} does not exist"
    if missing:
        return f"the root filesystem {rootfs} lacks the mount points {', '.join('/' + m for m in missing)}"
    return ""
