"""`python -m sandbox doctor`: what the host offers the sandbox, and how to fix what is missing."""

from __future__ import annotations

import os
import platform
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sandbox import cgroups, host, netns
from sandbox.spec import SandboxError

NAMESPACES = ("user", "pid", "net", "mnt", "ipc", "uts", "cgroup")


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def run_checks(rootfs: Path) -> list[Check]:
    checks = [_check("root", host.check_root), _check("user namespaces", host.check_user_namespaces),
              _check("seccomp", host.check_seccomp), _kernel(), _namespaces(), *_cgroups(),
              _loopback(), _check(f"root filesystem {rootfs}", lambda: host.check_rootfs(rootfs))]
    if all(check.ok for check in checks):
        checks.append(_live_run(rootfs))
    return checks


def _check(name: str, probe: Callable[[], str]) -> Check:
    problem = probe()
    return Check(name, not problem, problem or "ok")


def _kernel() -> Check:
    problem = host.check_kernel()
    return Check("kernel", not problem, problem or platform.release())


def _namespaces() -> Check:
    missing = [kind for kind in NAMESPACES if not Path(f"/proc/self/ns/{kind}").exists()]
    return Check("namespaces", not missing, "all of " + ", ".join(NAMESPACES) if not missing else
                 f"the kernel lacks {', '.join(missing)} namespaces: enable CONFIG_{missing[0].upper()}_NS")


def _cgroups() -> list[Check]:
    try:
        layout = cgroups.detect_layout()
    except SandboxError as error:
        return [Check("cgroups", False, str(error))]
    controllers = ", ".join(layout.parents) if layout.version == 1 else "memory, pids"
    where = ", ".join(str(p) for p in layout.parents.values())
    return [Check("cgroups", True, f"v{layout.version} ({controllers}) under {where}")]


def _loopback() -> Check:
    """Bring lo up in a throw-away network namespace and read it back with pyroute2."""
    from pyroute2 import IPRoute

    from sandbox import _sys

    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            _sys.unshare(_sys.CLONE_NEWNET)
            netns.bring_up_loopback()
            with IPRoute() as ipr:
                links = [(link.get_attr("IFLA_IFNAME"), bool(link["flags"] & 1)) for link in ipr.get_links()]
            os.write(write, repr(links).encode())
        except Exception as error:
            os.write(write, f"error: {error}".encode())
        os._exit(0)
    os.close(write)
    answer = os.read(read, 4096).decode()
    os.close(read)
    os.waitpid(pid, 0)
    ok = answer == "[('lo', True)]"
    return Check("network namespace", ok, "a fresh namespace holds only lo, up" if ok else answer)


def _live_run(rootfs: Path) -> Check:
    from sandbox import Spec, run
    from sandbox.workdir import WorkDir

    with WorkDir(Path(tempfile.gettempdir())) as workdir:
        result = run(Spec(["/bin/sh", "-c", "echo ok"], rootfs, workdir.path))
    ok = result.status == "OK" and result.stdout == b"ok\n"
    return Check("sandboxed run", ok, f"{result.wall_time * 1000:.1f} ms" if ok else result.message)


def report(checks: list[Check]) -> str:
    return "\n".join(f"{'✓' if check.ok else '✗'} {check.name}: {check.detail}" for check in checks)
