"""Mount namespace: the read-only rootfs as `/`, with /proc, /tmp, /dev and /box on top.

Child-side steps, run in order by `sandbox.child`; the plan's paths are prepared by the parent.
"""

from __future__ import annotations

import os
from typing import NamedTuple

from sandbox import _sys
from sandbox._sys import MS_BIND, MS_NODEV, MS_NOEXEC, MS_NOSUID, MS_PRIVATE, MS_RDONLY, MS_REC, MS_REMOUNT

DEVICES = (b"null", b"zero", b"full", b"random", b"urandom")
TMP_INODES = 16384


class MountPlan(NamedTuple):
    rootfs: bytes  # host path of the tree, resolved
    rootfs_flags: int  # flags the host mount of the tree carries (they stay locked)
    workdir: bytes  # host path of the work directory, resolved
    workdir_flags: int
    tmp_size: int


def source_flags(path: str) -> int:
    """Restrictions of the host mount holding `path`: a bind inside a user namespace must keep them."""
    flags = os.statvfs(path).f_flag
    return (MS_NOEXEC if flags & os.ST_NOEXEC else 0) | (MS_NOSUID if flags & os.ST_NOSUID else 0) | (
        MS_NODEV if flags & os.ST_NODEV else 0)


def make_mounts_private(plan: MountPlan) -> None:
    _sys.mount(None, b"/", None, MS_REC | MS_PRIVATE)


def bind_rootfs(plan: MountPlan) -> None:
    _sys.mount(plan.rootfs, plan.rootfs, None, MS_BIND)


def mount_proc(plan: MountPlan) -> None:
    _sys.mount(b"proc", plan.rootfs + b"/proc", b"proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)


def mount_tmp(plan: MountPlan) -> None:
    options = b"size=%d,nr_inodes=%d,mode=1777,uid=65534,gid=65534" % (plan.tmp_size, TMP_INODES)
    _sys.mount(b"tmpfs", plan.rootfs + b"/tmp", b"tmpfs", MS_NOSUID | MS_NODEV, options)


def bind_devices(plan: MountPlan) -> None:
    for name in DEVICES:
        _sys.mount(b"/dev/" + name, plan.rootfs + b"/dev/" + name, None, MS_BIND)


def bind_workdir(plan: MountPlan) -> None:
    """Bind through a descriptor opened without following links, in this mount namespace (a bind
    source must live in the caller's namespace), so /box is exactly the directory named."""
    target = plan.rootfs + b"/box"
    fd = os.open(plan.workdir, os.O_PATH | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        _sys.mount(b"/proc/self/fd/%d" % fd, target, None, MS_BIND)
    finally:
        os.close(fd)
    _sys.mount(None, target, None, MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NODEV | plan.workdir_flags)


def make_rootfs_readonly(plan: MountPlan) -> None:
    _sys.mount(None, plan.rootfs, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | plan.rootfs_flags)


def pivot_into_rootfs(plan: MountPlan) -> None:
    """Make the tree `/` and detach the host's root so nothing of it stays reachable."""
    os.chdir(plan.rootfs)
    _sys.pivot_root(b".", b".")
    _sys.umount2(b".", _sys.MNT_DETACH)
    os.chdir(b"/box")
