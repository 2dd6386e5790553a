"""The seccomp filter: system calls a judged program never needs are refused with EPERM.

Compiled once per spawner with libseccomp (pyseccomp) and exported as BPF, so the child only
installs a ready program. Only the native architecture is allowed: i386 (int 0x80) and x32
calls hit libseccomp's bad-architecture action and kill the process.
"""

from __future__ import annotations

import errno

from sandbox import _sys

DENIED = (
    # other processes' memory and tracing
    "ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd",
    # namespaces and mounts
    "unshare", "setns", "mount", "umount2", "pivot_root", "chroot", "move_mount", "open_tree", "fsopen",
    "fsconfig", "fsmount", "fspick", "mount_setattr",
    # kernel attack surface
    "keyctl", "add_key", "request_key", "bpf", "perf_event_open", "userfaultfd", "io_uring_setup",
    "io_uring_enter", "io_uring_register", "kexec_load", "kexec_file_load", "init_module", "finit_module",
    "delete_module", "reboot", "swapon", "swapoff", "acct", "open_by_handle_at", "name_to_handle_at",
    "clock_settime", "clock_adjtime", "settimeofday", "adjtimex", "syslog", "quotactl", "lookup_dcookie",
    "vhangup", "personality", "fanotify_init", "iopl", "ioperm",
    # obsolete
    "uselib", "_sysctl", "ustat", "sysfs", "nfsservctl", "create_module", "get_kernel_syms",
    "query_module",
)
NAMESPACE_FLAGS = (_sys.CLONE_NEWNS, _sys.CLONE_NEWCGROUP, _sys.CLONE_NEWUTS, _sys.CLONE_NEWIPC,
                   _sys.CLONE_NEWUSER, _sys.CLONE_NEWPID, _sys.CLONE_NEWNET, _sys.CLONE_NEWTIME)


def compile_filter() -> bytes:
    """The filter as classic BPF, ready for `_sys.load_seccomp_filter`."""
    import contextlib
    import tempfile

    import pyseccomp as seccomp  # only the caller compiles; the forker must stay small

    deny = seccomp.ERRNO(errno.EPERM)
    rules = seccomp.SyscallFilter(seccomp.ALLOW)
    for name in DENIED:
        with contextlib.suppress(ValueError, RuntimeError):  # not a system call on this architecture
            rules.add_rule(deny, name)
    for flag in NAMESPACE_FLAGS:
        rules.add_rule(deny, "clone", seccomp.Arg(0, seccomp.MASKED_EQ, flag, flag))
    # clone3 passes its flags in memory a filter cannot read: refuse it so libc falls back to clone.
    rules.add_rule(seccomp.ERRNO(errno.ENOSYS), "clone3")
    with tempfile.TemporaryFile() as out:
        rules.export_bpf(out)
        out.seek(0)
        return out.read()


def install(bpf: bytes) -> None:
    _sys.load_seccomp_filter(bpf)


def available() -> bool:
    """The kernel supports seccomp filters."""
    try:
        with open("/proc/self/status") as status:
            return any(line.startswith("Seccomp:") for line in status)
    except OSError:
        return False

