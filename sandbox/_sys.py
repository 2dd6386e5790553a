"""ctypes wrappers for the few system calls Python 3.11 lacks: clone, unshare, setns, mount, umount2,
pivot_root, open_tree, move_mount, sethostname, close_range, and the prctl calls python-prctl does
not cover.

Each wrapper raises OSError naming the call and its arguments. The functions and types are bound
here, at import, in the forker: the inits it clones then use them without creating them anew
(every object an init creates or touches costs it a copied page).
"""

from __future__ import annotations

import ctypes
import os

_libc = ctypes.CDLL(None, use_errno=True)
_syscall = _libc.syscall
_syscall.restype = ctypes.c_long
_unshare, _setns, _mount, _umount2 = _libc.unshare, _libc.setns, _libc.mount, _libc.umount2
_sethostname, _prctl = _libc.sethostname, _libc.prctl
_before_fork = ctypes.pythonapi.PyOS_BeforeFork
_after_fork_child = ctypes.pythonapi.PyOS_AfterFork_Child
_after_fork_parent = ctypes.pythonapi.PyOS_AfterFork_Parent

SYS_PIVOT_ROOT = 155
SYS_CLOSE_RANGE = 436
SYS_CLONE3 = 435
SYS_OPEN_TREE = 428
SYS_MOVE_MOUNT = 429

CLONE_NEWNS = 0x00020000
CLONE_NEWCGROUP = 0x02000000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
CLONE_NEWTIME = 0x00000080
CLONE_PARENT = 0x00008000
CLONE_INTO_CGROUP = 0x200000000
SIGCHLD = 17

MS_RDONLY = 0x1
MS_NOSUID = 0x2
MS_NODEV = 0x4
MS_NOEXEC = 0x8
MS_REMOUNT = 0x20
MS_BIND = 0x1000
MS_REC = 0x4000
MS_PRIVATE = 0x40000
MNT_DETACH = 0x2
OPEN_TREE_CLONE = 0x1
OPEN_TREE_CLOEXEC = os.O_CLOEXEC
AT_EMPTY_PATH = 0x1000
AT_FDCWD = -100
MOVE_MOUNT_F_EMPTY_PATH = 0x4

CLOSE_RANGE_CLOEXEC = 0x4
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
PR_CAP_AMBIENT = 47
PR_CAP_AMBIENT_CLEAR_ALL = 4


def _check(result: int, call: str) -> int:
    if result < 0:
        number = ctypes.get_errno()
        raise OSError(number, f"{call}: {os.strerror(number)}")
    return result


class _CloneArgs(ctypes.Structure):
    _fields_ = tuple((name, ctypes.c_uint64) for name in (
        "flags", "pidfd", "child_tid", "parent_tid", "exit_signal", "stack", "stack_size", "tls", "set_tid",
        "set_tid_size", "cgroup"))


def clone3(flags: int, cgroup_fd: int | None = None) -> int:
    """fork(2) into new namespaces (and straight into a cgroup when `cgroup_fd` is given):
    returns the child's pid in the parent, 0 in the child.

    Python's own fork hooks run around the raw system call, exactly as os.fork() runs them.
    """
    if cgroup_fd is not None:
        flags |= CLONE_INTO_CGROUP
    # with CLONE_PARENT the child inherits our own exit signal, and clone3 insists on 0 here
    args = _CloneArgs(flags=flags, exit_signal=0 if flags & CLONE_PARENT else SIGCHLD, cgroup=cgroup_fd or 0)
    _before_fork()
    pid = _syscall(SYS_CLONE3, ctypes.byref(args), ctypes.c_size_t(ctypes.sizeof(args)))
    if pid == 0:
        _after_fork_child()
    else:
        number = ctypes.get_errno()
        _after_fork_parent()
        if pid < 0:
            raise OSError(number, f"clone3(flags={flags:#x}, cgroup={cgroup_fd}): {os.strerror(number)}")
    return int(pid)


def unshare(flags: int) -> None:
    _check(_unshare(ctypes.c_int(flags)), f"unshare({flags:#x})")


def setns(fd: int, nstype: int) -> None:
    _check(_setns(ctypes.c_int(fd), ctypes.c_int(nstype)), f"setns({fd}, {nstype:#x})")


def mount(source: bytes | None, target: bytes, fstype: bytes | None, flags: int, data: bytes | None = None) -> None:
    _check(_mount(source, target, fstype, ctypes.c_ulong(flags), data),
           f"mount({source!r}, {target!r}, {fstype!r}, {flags:#x}, {data!r})")


def umount2(target: bytes, flags: int) -> None:
    _check(_umount2(target, ctypes.c_int(flags)), f"umount2({target!r}, {flags:#x})")


def pivot_root(new_root: bytes, put_old: bytes) -> None:
    _check(_syscall(SYS_PIVOT_ROOT, new_root, put_old), f"pivot_root({new_root!r}, {put_old!r})")


def clone_mount(fd: int) -> int:
    """A detached copy of the mount of the directory open as `fd`, as a descriptor that another
    mount namespace can attach with `attach_mount`."""
    return _check(_syscall(SYS_OPEN_TREE, ctypes.c_int(fd), b"", ctypes.c_uint(
        OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH)), f"open_tree({fd}, CLONE)")


def attach_mount(tree_fd: int, target: bytes) -> None:
    _check(_syscall(SYS_MOVE_MOUNT, ctypes.c_int(tree_fd), b"", ctypes.c_int(AT_FDCWD), target,
                         ctypes.c_uint(MOVE_MOUNT_F_EMPTY_PATH)), f"move_mount({tree_fd}, {target!r})")


def sethostname(name: bytes) -> None:
    _check(_sethostname(name, ctypes.c_size_t(len(name))), f"sethostname({name!r})")


def mark_cloexec_from(first_fd: int) -> None:
    """Set close-on-exec on every descriptor from `first_fd` up."""
    _check(_syscall(SYS_CLOSE_RANGE, ctypes.c_uint(first_fd), ctypes.c_uint(0xFFFFFFFF),
                         ctypes.c_uint(CLOSE_RANGE_CLOEXEC)), f"close_range({first_fd}, ~0, CLOEXEC)")


def clear_ambient_capabilities() -> None:
    _check(_prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0), "prctl(PR_CAP_AMBIENT_CLEAR_ALL)")


class _CapHeader(ctypes.Structure):
    _fields_ = (("version", ctypes.c_uint32), ("pid", ctypes.c_int))


_CapData = ctypes.c_uint32 * 6  # effective, permitted, inheritable; two 32-bit words each
_CAPABILITY_VERSION_3 = 0x20080522
SYS_CAPSET = 126


def clear_capabilities() -> None:
    """Empty the effective, permitted and inheritable sets in one capset(2)."""
    header = _CapHeader(_CAPABILITY_VERSION_3, 0)
    data = _CapData()
    _check(_syscall(SYS_CAPSET, ctypes.byref(header), ctypes.byref(data)), "capset(0, 0, 0)")


class _SockFprog(ctypes.Structure):
    _fields_ = (("len", ctypes.c_ushort), ("filter", ctypes.c_char_p))


def load_seccomp_filter(bpf: bytes) -> None:
    """Install a compiled classic-BPF seccomp program (8 bytes per instruction)."""
    program = _SockFprog(len(bpf) // 8, bpf)
    _check(_prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(program), 0, 0),
           "prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER)")
