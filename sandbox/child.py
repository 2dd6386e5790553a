"""The sandbox's init: the child of clone3(), PID 1 of the new namespaces.

It is cloned before its run is known, so that the dear part (the clone, the namespaces, the
read-only root) is off the run's path. It is born in a copy of its forker's template mount
namespace (`sandbox.roots`), mounts its /proc, reports ready, and waits for the run:
the program, its limits, its descriptors and its work directory. Then it finishes the setup, starts
the program, reaps every process that ends up as its child, and reports the program's exit.

Every step is named; a step that fails is reported as (step, errno, message) and the init exits.
Nothing here logs, locks or starts threads.

The forker imports this module, and each init runs it in a copy of the forker's memory: it keeps
to modules that are built in or small (no `typing`, `pickle`, `socket` or `signal`), and whatever
does not depend on the run is computed here, at import, once per forker.
"""

from __future__ import annotations

import _signal  # the C core of `signal`, without its enums
import _socket
import gc
import marshal
import os
import resource
import select
import time

from sandbox import _sys, fdpass, mountns, privs, rlimits, seccomp, userns
from sandbox.channel import send
from sandbox.rlimits import Rlimit

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import NoReturn

DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin"
MAX_RUN_MESSAGE = 4 << 20
RUN_FDS = 4  # stdin, stdout, stderr, the work directory's detached mount
# Every signal the program may meet starts with its default action, whatever the init ignores.
PROGRAM_DEFAULT_SIGNALS = tuple(sorted(set(_signal.valid_signals()) - {_signal.SIGKILL, _signal.SIGSTOP}))


class ChildPlan:
    """What the init needs before its run is known, put together by the forker."""

    __slots__ = ("control_fd", "foreign_fds", "from_parent_fd", "last_capability", "seccomp_bpf", "to_parent_fd")

    def __init__(self, seccomp_bpf: bytes, last_capability: int, control_fd: int, from_parent_fd: int,
                 to_parent_fd: int, foreign_fds: tuple[int, ...]) -> None:
        self.seccomp_bpf = seccomp_bpf
        self.last_capability = last_capability
        self.control_fd = control_fd  # a socket: the run arrives here
        self.from_parent_fd = from_parent_fd  # the forker writes one byte once the id maps are in place
        self.to_parent_fd = to_parent_fd  # framed messages to the caller: ("ready",), ("error", ...), ("exit", ...)
        self.foreign_fds = foreign_fds  # the forker's own descriptors, closed first


class RunPlan:
    """The run, sent to a waiting init with its descriptors (RUN_FDS, in that order)."""

    __slots__ = ("argv", "env", "rlimits", "stderr_to_stdout", "tmp_size", "workdir_flags")

    def __init__(self, argv: tuple[str, ...], env: dict[str, str], rlimits: tuple[Rlimit, ...], tmp_size: int,
                 workdir_flags: int, stderr_to_stdout: bool) -> None:
        self.argv = argv
        self.env = env
        self.rlimits = rlimits
        self.tmp_size = tmp_size
        self.workdir_flags = workdir_flags
        self.stderr_to_stdout = stderr_to_stdout

    def encode(self) -> bytes:
        return marshal.dumps((self.argv, self.env, self.rlimits, self.tmp_size, self.workdir_flags,
                              self.stderr_to_stdout))

    @classmethod
    def decode(cls, data: bytes) -> RunPlan:
        return cls(*marshal.loads(data))


class ChildState:
    """What the steps learn as they go."""

    def __init__(self, plan: ChildPlan) -> None:
        self.plan = plan
        self.run: RunPlan | None = None
        self.fds: list[int] = []  # the run's: stdin, stdout, stderr, work directory
        self.program = 0
        self.started = 0.0
        self.cpu_at_run = 0.0

    @property
    def run_plan(self) -> RunPlan:
        assert self.run is not None, "the run arrives before its steps"
        return self.run


def leave_the_forker(state: ChildState) -> None:
    for fd in state.plan.foreign_fds:
        os.close(fd)


def wait_for_id_maps(state: ChildState) -> None:
    if os.read(state.plan.from_parent_fd, 1) != b"g":
        raise RuntimeError("the forker went away before writing the id maps")


def mount_proc(state: ChildState) -> None:
    mountns.mount_proc()


def enter_cgroup_namespace(state: ChildState) -> None:
    _sys.unshare(_sys.CLONE_NEWCGROUP)


def forbid_nested_namespaces(state: ChildState) -> None:
    userns.forbid_nested_user_namespaces()


def mount_tmp(state: ChildState) -> None:
    mountns.mount_tmp(state.run_plan.tmp_size)


def attach_workdir(state: ChildState) -> None:
    tree = state.fds.pop()
    try:
        mountns.attach_workdir(tree, state.run_plan.workdir_flags)
    finally:
        os.close(tree)


def set_rlimits(state: ChildState) -> None:
    rlimits.apply(state.run_plan.rlimits)


def lock_down(state: ChildState) -> None:
    privs.lock_down(state.plan.last_capability)


def drop_privileges(state: ChildState) -> None:
    privs.drop_privileges()


def forbid_new_privileges(state: ChildState) -> None:
    privs.forbid_new_privileges()


def install_seccomp(state: ChildState) -> None:
    seccomp.install(state.plan.seccomp_bpf)


def start_program(state: ChildState) -> None:
    run = state.run_plan
    stdin, stdout, stderr = state.fds
    env = {"PATH": DEFAULT_PATH, "HOME": "/box", "LANG": "C.UTF-8", **run.env}
    _sys.mark_cloexec_from(3)
    state.started = time.monotonic()
    state.program = os.posix_spawn(
        find_program(run.argv[0], env["PATH"]), run.argv, env,
        file_actions=[(os.POSIX_SPAWN_DUP2, stdin, 0), (os.POSIX_SPAWN_DUP2, stdout, 1),
                      (os.POSIX_SPAWN_DUP2, stdout if run.stderr_to_stdout else stderr, 2)],
        setsid=True, setsigmask=(), setsigdef=PROGRAM_DEFAULT_SIGNALS)
    for fd in state.fds:
        os.close(fd)


SETUP_STEPS: tuple[tuple[str, Callable[[ChildState], None]], ...] = (
    ("leave the forker", leave_the_forker),
    ("wait for the id maps", wait_for_id_maps),
    ("mount /proc", mount_proc),
    ("enter a cgroup namespace", enter_cgroup_namespace),
    ("forbid nested namespaces", forbid_nested_namespaces),
    ("lock the securebits and empty the bounding set", lock_down),
)
RUN_STEPS: tuple[tuple[str, Callable[[ChildState], None]], ...] = (
    ("mount the /tmp tmpfs", mount_tmp),
    ("attach /box", attach_workdir),
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
        for step, action in SETUP_STEPS:  # noqa: B007 - `step` names the failing step in the handler below
            action(state)
        send(plan.to_parent_fd, ("ready",))
        step = "receive the run"
        if not receive_run(state):
            os._exit(0)  # the caller closed: this init is no longer wanted
        for step, action in RUN_STEPS:  # noqa: B007 - as above
            action(state)
        status = reap_until(state.program, plan.to_parent_fd)
        ended = time.monotonic()
        step = "end the run"
        kill_the_rest()
        send(plan.to_parent_fd, ("exit", status, _own_cpu() - state.cpu_at_run, ended - state.started))
        os._exit(0)
    except BaseException as error:
        try:
            send(plan.to_parent_fd, ("error", step, getattr(error, "errno", None) or 0, str(error)))
        finally:
            os._exit(1)


def receive_run(state: ChildState) -> bool:
    """Wait for the run; False when the caller closed the socket instead."""
    control = _socket.socket(fileno=state.plan.control_fd)
    data, fds = fdpass.receive(control, MAX_RUN_MESSAGE, RUN_FDS)
    state.cpu_at_run = _own_cpu()
    control.detach()
    if not data:
        return False
    if len(fds) != RUN_FDS:
        raise RuntimeError(f"the run came with {len(fds)} descriptors, not {RUN_FDS}")
    state.run, state.fds = RunPlan.decode(data), fds
    return True


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


def kill_the_rest() -> None:
    """Kill whatever the program left running (daemons too) and reap it all. The init reports only
    then, so that a reported run has nothing left but the init itself, which exits next: the caller
    need not wait for that."""
    try:
        os.kill(-1, _signal.SIGKILL)  # from PID 1: every other process of the namespace
    except ProcessLookupError:
        return  # there was none
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return


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
