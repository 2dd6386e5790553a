"""The sandbox's init: the child of clone3(), PID 1 of the new namespaces.

It runs the setup as one ordered list of named steps, starts the program, reaps every process
that ends up as its child, and reports the program's exit to the parent. A step that fails is
reported as (step, errno, message) and the init exits. Nothing here logs, locks or starts threads.
"""

from __future__ import annotations

import gc
import os
import resource
import select
import signal
import time
from collections.abc import Callable
from typing import NamedTuple, NoReturn

from sandbox import _sys, mountns, privs, rlimits, seccomp, userns
from sandbox.channel import send
from sandbox.mountns import MountPlan
from sandbox.rlimits import Rlimit

DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin"


class ChildPlan(NamedTuple):
    """Everything the init needs, prepared by the spawner; the forker fills in the descriptors."""

    mounts: MountPlan
    rlimits: tuple[Rlimit, ...]
    argv: tuple[str, ...]
    env: dict[str, str]
    seccomp_bpf: bytes = b""
    stdin_fd: int = -1
    stdout_fd: int = -1
    stderr_fd: int = -1
    from_parent_fd: int = -1  # the forker writes one byte once the id maps are in place
    to_parent_fd: int = -1  # framed messages to the spawner: ("error", ...) or ("exit", ...)
    foreign_fds: tuple[int, ...] = ()  # the forker's own descriptors, closed first
    stderr_to_stdout: bool = False
    last_capability: int = 40


class ChildState:
    """What the steps learn as they go."""

    def __init__(self, plan: ChildPlan) -> None:
        self.plan = plan
        self.program = 0
        self.started = 0.0


def leave_the_forker(state: ChildState) -> None:
    for fd in state.plan.foreign_fds:
        os.close(fd)


def wait_for_id_maps(state: ChildState) -> None:
    if os.read(state.plan.from_parent_fd, 1) != b"g":
        raise RuntimeError("the forker went away before writing the id maps")


def reset_signal_handlers(state: ChildState) -> None:
    """As PID 1 the init only receives signals it handles: handle none."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def mount_step(action: Callable[[MountPlan], None]) -> Callable[[ChildState], None]:
    return lambda state: action(state.plan.mounts)


def forbid_nested_namespaces(state: ChildState) -> None:
    userns.forbid_nested_user_namespaces()


def enter_cgroup_namespace(state: ChildState) -> None:
    _sys.unshare(_sys.CLONE_NEWCGROUP)


def set_rlimits(state: ChildState) -> None:
    rlimits.apply(state.plan.rlimits)


def drop_privileges(state: ChildState) -> None:
    privs.drop_privileges(state.plan.last_capability)


def forbid_new_privileges(state: ChildState) -> None:
    privs.forbid_new_privileges()


def install_seccomp(state: ChildState) -> None:
    seccomp.install(state.plan.seccomp_bpf)


def start_program(state: ChildState) -> None:
    plan = state.plan
    env = {"PATH": DEFAULT_PATH, "HOME": "/box", "LANG": "C.UTF-8", **plan.env}
    _sys.mark_cloexec_from(3)
    state.started = time.monotonic()
    state.program = os.posix_spawn(
        find_program(plan.argv[0], env["PATH"]), plan.argv, env,
        file_actions=[(os.POSIX_SPAWN_DUP2, plan.stdin_fd, 0), (os.POSIX_SPAWN_DUP2, plan.stdout_fd, 1),
                      (os.POSIX_SPAWN_DUP2, plan.stdout_fd if plan.stderr_to_stdout else plan.stderr_fd, 2)],
        setsid=True, setsigmask=(), setsigdef=signal.valid_signals() - {signal.SIGKILL, signal.SIGSTOP})
    for fd in (plan.stdin_fd, plan.stdout_fd, plan.stderr_fd):
        os.close(fd)


STEPS: tuple[tuple[str, Callable[[ChildState], None]], ...] = (
    ("leave the forker", leave_the_forker),
    ("wait for the id maps", wait_for_id_maps),
    ("reset signal handlers", reset_signal_handlers),
    ("make mounts private", mount_step(mountns.make_mounts_private)),
    ("bind the root filesystem", mount_step(mountns.bind_rootfs)),
    ("mount /proc", mount_step(mountns.mount_proc)),
    ("mount the /tmp tmpfs", mount_step(mountns.mount_tmp)),
    ("bind the /dev devices", mount_step(mountns.bind_devices)),
    ("bind /box", mount_step(mountns.bind_workdir)),
    ("make the root filesystem read-only", mount_step(mountns.make_rootfs_readonly)),
    ("pivot_root into the root filesystem", mount_step(mountns.pivot_into_rootfs)),
    ("enter a cgroup namespace", enter_cgroup_namespace),
    ("forbid nested namespaces", forbid_nested_namespaces),
    ("set rlimits", set_rlimits),
    ("drop privileges", drop_privileges),
    ("forbid new privileges", forbid_new_privileges),
    ("install the seccomp filter", install_seccomp),
    ("start the program", start_program),
)


def main(plan: ChildPlan) -> NoReturn:
    """Entry point in the clone() child; never returns."""
    gc.disable()  # a collection would touch (and so copy) every page of objects inherited from the forker
    state = ChildState(plan)
    step = "start"
    try:
        for step, action in STEPS:  # noqa: B007 - `step` names the failing step in the handler below
            action(state)
        status = reap_until(state.program, plan.to_parent_fd)
        ended = time.monotonic()
        send(plan.to_parent_fd, ("exit", status, _own_cpu(), ended - state.started))
        os._exit(0)
    except BaseException as error:
        try:
            send(plan.to_parent_fd, ("error", step, getattr(error, "errno", None) or 0, str(error)))
        finally:
            os._exit(1)


REAP_INTERVAL_MS = 100


def reap_until(program: int, report_fd: int) -> int:
    """Reap every child (orphans are re-parented to us) until the program itself exits.

    If the supervisor dies (its end of the report pipe closes), the init exits, and the kernel
    kills everything in the namespace: a run never outlives whoever watches its limits.
    """
    watch = select.poll()
    watch.register(os.pidfd_open(program), select.POLLIN)
    watch.register(report_fd, 0)  # POLLERR arrives when the reader is gone
    while True:
        events = watch.poll(REAP_INTERVAL_MS)
        while (reaped := os.waitpid(-1, os.WNOHANG))[0]:
            if reaped[0] == program:
                return reaped[1]
        if any(fd == report_fd for fd, _ in events):
            raise RuntimeError("the supervisor is gone")


def find_program(name: str, search_path: str) -> str:
    """Resolve argv[0] as execvp would, inside the sandbox's root."""
    if "/" in name:
        return name
    for directory in search_path.split(":"):
        candidate = os.path.join(directory or ".", name)
        if os.access(candidate, os.X_OK) and not os.path.isdir(candidate):
            return candidate
    raise FileNotFoundError(2, f"{name}: not found in PATH {search_path}")


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
