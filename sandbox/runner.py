"""Parent side of one run, in the caller's thread: prepare the run's cgroup and pipes, have the
forker clone the init, then watch output, wall clock and CPU until every process of the run is gone."""

from __future__ import annotations

import os
import select
import time
from dataclasses import dataclass, field
from typing import Any

from sandbox import child, mountns
from sandbox.cgroups import Cgroups, RunCgroup
from sandbox.channel import FrameBuffer
from sandbox.forker import Forker, ForkerDied
from sandbox.outcome import Observation, SetupError, classify
from sandbox.rlimits import rlimits_for
from sandbox.spec import Limits, Result, Spec

READ_SIZE = 1 << 16


class Runner:
    """Runs specs one at a time through one forker and its cgroups.

    Raises (from `run`):
        ForkerDied: the forker is gone; the run did not start.
    """

    def __init__(self, cgroups: Cgroups, forker: Forker, cpus: int) -> None:
        self.cgroups = cgroups
        self.forker = forker
        self.cpus = cpus
        self.trees: dict[str, tuple[bytes, int]] = {}  # rootfs as given -> (resolved, mount flags)

    def plan_for(self, spec: Spec) -> child.ChildPlan:
        given = str(spec.rootfs)
        if given not in self.trees:
            self.trees[given] = (os.fsencode(os.path.realpath(given)), mountns.source_flags(given))
        rootfs, rootfs_flags = self.trees[given]
        workdir = str(spec.workdir)
        mounts = mountns.MountPlan(rootfs, rootfs_flags, os.fsencode(os.path.realpath(workdir)),
                                   mountns.source_flags(workdir), spec.limits.tmp_size)
        return child.ChildPlan(mounts, rlimits_for(spec.limits), spec.argv, spec.env,
                               stderr_to_stdout=spec.stderr_to_stdout)

    def run(self, spec: Spec) -> Result:
        if self.forker.process.poll() is not None:
            raise ForkerDied(0, f"exit status {self.forker.process.returncode}")
        try:
            cgroup = self.cgroups.start_run(spec.limits)
        except OSError as error:
            return failed(f"cannot prepare the run's cgroup: {error}")
        try:
            with RunPipes.open(spec) as pipes:
                try:
                    pid = self.forker.spawn(self.plan_for(spec), pipes.child_ends(), cgroup.clone_fd)
                except ForkerDied:
                    raise
                except OSError as error:
                    return failed(f"cannot start the sandbox: {error}")
                pipes.close_child_ends()
                watch = Watch(pid, pipes, cgroup, spec.limits, self.cpus)
                return watch.run()
        finally:
            cgroup.finish()




@dataclass
class RunPipes:
    """Every descriptor of one run. The child ends go to the forker, then are closed here."""

    stdin: int
    stdout: tuple[int, int]
    stderr: tuple[int, int]
    handshake: tuple[int, int]
    report: tuple[int, int]
    closed: set[int] = field(default_factory=set)

    @classmethod
    def open(cls, spec: Spec) -> RunPipes:
        stdout, stderr, handshake, report = (os.pipe2(os.O_CLOEXEC) for _ in range(4))
        return cls(_stdin_fd(spec.stdin), stdout, stderr, handshake, report)

    def child_ends(self) -> list[int]:
        return [self.stdin, self.stdout[1], self.stderr[1], *self.handshake, self.report[1]]

    def close_child_ends(self) -> None:
        for fd in self.child_ends():
            os.close(fd)
            self.closed.add(fd)

    def __enter__(self) -> RunPipes:
        return self

    def __exit__(self, *exc: object) -> None:
        for fd in {self.stdin, *self.stdout, *self.stderr, *self.handshake, *self.report} - self.closed:
            os.close(fd)


def _stdin_fd(stdin: bytes | os.PathLike[str] | None) -> int:
    if stdin is None:
        return os.open("/dev/null", os.O_RDONLY | os.O_CLOEXEC)
    if isinstance(stdin, bytes):
        fd = os.memfd_create("stdin", os.MFD_CLOEXEC)
        view = memoryview(stdin)
        while view:
            view = view[os.write(fd, view):]
        os.lseek(fd, 0, os.SEEK_SET)
        return fd
    return os.open(stdin, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)


@dataclass
class Watch:
    """Supervises one init, our child, until every process of the run is gone."""

    pid: int
    pipes: RunPipes
    cgroup: RunCgroup
    limits: Limits
    cpus: int
    output: dict[int, bytearray] = field(default_factory=dict)
    frames: FrameBuffer = field(default_factory=FrameBuffer)
    killed_for: str | None = None
    report: tuple[int, float, float] | None = None  # wait status, the init's own CPU, wall time
    setup_error: SetupError | None = None
    cpu_at_report: float = 0.0
    started: float = field(default_factory=time.monotonic)
    stopped: float = 0.0

    def run(self) -> Result:
        self._supervise()
        _, status = os.waitpid(self.pid, 0)
        return self._result(status)

    def _supervise(self) -> None:
        """Read stdout, stderr and the init's report until all three close, killing the run on a
        limit. CPU is sampled only as often as the tree could have used up what is left."""
        poller = select.poll()
        fds = {self.pipes.stdout[0], self.pipes.stderr[0], self.pipes.report[0]}
        for fd in fds:
            poller.register(fd, select.POLLIN)
            self.output[fd] = bytearray()
        deadline = self.started + self.limits.wall_time
        next_cpu_check = self.started
        while fds:
            now = time.monotonic()
            if self.killed_for is None and now >= deadline:
                self._kill("wall")
            elif self.killed_for is None and now >= next_cpu_check:
                left = self.limits.cpu_time - self.cgroup.cpu_seconds()
                if left < 0:
                    self._kill("cpu")
                next_cpu_check = now + max(left / self.cpus, 0.001)
            wake = min(deadline, next_cpu_check) if self.killed_for is None else now + 1.0
            for fd, _ in poller.poll(max(0.0, wake - time.monotonic()) * 1000 + 1):
                if not self._read(fd):
                    poller.unregister(fd)
                    fds.discard(fd)

    def _read(self, fd: int) -> bool:
        data = os.read(fd, READ_SIZE)
        if fd == self.pipes.report[0]:
            for message in self.frames.feed(data):
                self._on_report(message)
        elif self.killed_for != "output":
            buffer = self.output[fd]
            buffer += data
            if len(buffer) > self.limits.output:
                del buffer[self.limits.output:]
                self._kill("output")
        return bool(data)

    def _on_report(self, message: tuple[Any, ...]) -> None:
        if message[0] == "exit":
            self.cpu_at_report = self.cgroup.cpu_seconds()
            self.report = (int(message[1]), float(message[2]), float(message[3]))
        elif message[0] == "error":
            self.setup_error = SetupError(*message[1:])

    def _kill(self, reason: str) -> None:
        """Killing the init, PID 1 of its namespace, makes the kernel kill every process in it."""
        if self.killed_for is None:
            self.killed_for = reason
            self.stopped = time.monotonic()
        os.kill(self.pid, 9)  # our unreaped child: the pid cannot have been reused

    def _result(self, init_status: int) -> Result:
        if self.report is not None:
            status, init_cpu, wall = self.report
            cpu = max(0.0, self.cpu_at_report - init_cpu)
        else:
            status, wall = None, (self.stopped or time.monotonic()) - self.started
            cpu = self.cgroup.cpu_seconds()
        memory = self.cgroup.memory_peak()
        seen = Observation(self.limits, status, self.killed_for, self.setup_error,
                           os.WTERMSIG(init_status) if os.WIFSIGNALED(init_status) else None,
                           cpu, memory, self.cgroup.oom_kills())
        verdict, exit_code, signal, message = classify(seen)
        stdout, stderr = (bytes(self.output[self.pipes.stdout[0]]), bytes(self.output[self.pipes.stderr[0]]))
        if self.setup_error is not None:
            stdout, stderr, cpu, wall, memory = b"", b"", 0.0, 0.0, 0
        return Result(verdict, exit_code, signal, stdout, stderr, cpu, wall, memory, message)


def failed(message: str) -> Result:
    return Result("XX", None, None, b"", b"", 0.0, 0.0, 0, message)
