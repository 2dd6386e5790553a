"""Mount namespace: the read-only rootfs as `/` with the /dev devices, then /proc, /tmp and /box.

The root is built once per tree by a forker's helper, into a template namespace that every init is
cloned into a copy of (see `sandbox.roots`): its steps come first here. The init then mounts its own
/proc before its run is known; /tmp (its size) and /box (the run's work directory) come with the run.
"""

from __future__ import annotations

import marshal
import os

from sandbox import _sys
from sandbox._sys import MS_BIND, MS_NODEV, MS_NOEXEC, MS_NOSUID, MS_PRIVATE, MS_RDONLY, MS_REC, MS_REMOUNT

DEVICES = (b"null", b"zero", b"full", b"random", b"urandom")
TMP_INODES = 16384
PROC_FLAGS = MS_NOSUID | MS_NODEV | MS_NOEXEC


class RootPlan:
    """The root filesystem a template is built over (a plain class: `typing` stays out of the forker)."""

    __slots__ = ("rootfs", "rootfs_flags")

    def __init__(self, rootfs: bytes, rootfs_flags: int) -> None:
        self.rootfs = rootfs  # host path of the tree, resolved
        self.rootfs_flags = rootfs_flags  # flags the host mount of the tree carries (they stay locked)

    def encode(self) -> bytes:
        """As the caller sends it to the forker."""
        return marshal.dumps((self.rootfs, self.rootfs_flags))

    @classmethod
    def decode(cls, data: bytes) -> RootPlan:
        return cls(*marshal.loads(data))


def source_flags(path: str) -> int:
    """Restrictions of the host mount holding `path`: a bind inside a user namespace must keep them."""
    flags = os.statvfs(path).f_flag
    return (MS_NOEXEC if flags & os.ST_NOEXEC else 0) | (MS_NOSUID if flags & os.ST_NOSUID else 0) | (
        MS_NODEV if flags & os.ST_NODEV else 0)


def make_mounts_private(plan: RootPlan) -> None:
    _sys.mount(None, b"/", None, MS_REC | MS_PRIVATE)


def bind_rootfs(plan: RootPlan) -> None:
    _sys.mount(plan.rootfs, plan.rootfs, None, MS_BIND)


def mount_placeholder_proc(plan: RootPlan) -> None:
    """A /proc of the helper's own PID namespace, empty once it is gone. A user namespace may mount
    proc only where one is fully visible already; each init mounts its own on top of this one."""
    _sys.mount(b"proc", plan.rootfs + b"/proc", b"proc", PROC_FLAGS)


def bind_devices(plan: RootPlan) -> None:
    for name in DEVICES:
        _sys.mount(b"/dev/" + name, plan.rootfs + b"/dev/" + name, None, MS_BIND)


def make_rootfs_readonly(plan: RootPlan) -> None:
    _sys.mount(None, plan.rootfs, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | plan.rootfs_flags)


def pivot_into_rootfs(plan: RootPlan) -> None:
    """Make the tree `/` and detach the host's root so nothing of it stays reachable."""
    os.chdir(plan.rootfs)
    _sys.pivot_root(b".", b".")
    _sys.umount2(b".", _sys.MNT_DETACH)
    os.chdir(b"/")


def mount_proc() -> None:
    """The init's own /proc, showing only the run's processes."""
    _sys.mount(b"proc", b"/proc", b"proc", PROC_FLAGS)


def mount_tmp(size: int) -> None:
    options = b"size=%d,nr_inodes=%d,mode=1777,uid=65534,gid=65534" % (size, TMP_INODES)
    _sys.mount(b"tmpfs", b"/tmp", b"tmpfs", MS_NOSUID | MS_NODEV, options)


def attach_workdir(tree_fd: int, flags: int) -> None:
    """Attach the run's work directory at /box and enter it. The caller cloned its mount on the host
    (`sandbox._sys.clone_mount`), from a descriptor opened without following links, so /box is
    exactly the directory named."""
    _sys.attach_mount(tree_fd, b"/box")
    _sys.mount(None, b"/box", None, MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NODEV | flags)
    os.chdir(b"/box")
