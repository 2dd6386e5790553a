"""Parent side of a run, in the caller's thread: take the init cloned ahead for it, ask for the next
run's, set the run's limits, hand the init its run, then watch output, wall clock and CPU until
every process of the run is gone. The init, which exits last, is reaped in the background."""

from __future__ import annotations

import os
import select
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sandbox import _sys, child, mountns
from sandbox.channel import FrameBuffer
from sandbox.forker import Forker, ForkerDied
from sandbox.lane import Lane
from sandbox.outcome import Observation, SetupError, classify, setup_message
from sandbox.rlimits import rlimits_for
from sandbox.spec import Limits, Result, Spec
from sandbox.standby import Standby

READ_SIZE = 1 << 16


class Runner:
    """Runs specs one at a time, keeping the next run's init cloned ahead, on its lanes in turn.

    A run's result is ready once the init has reported, having killed and reaped every other process
    of the run; the init's own exit (tearing down its copy of the forker's memory and its
    namespaces) is waited for by a background thread, and a lane is used again only after that.

    Raises (from `run`):
        ForkerDied: a forker is gone; the run did not start.
    """

    def __init__(self, lanes: list[Lane], cpus: int) -> None:
        self.lanes = lanes
        self.turn = 0  # the lane of the next request
        self.cpus = cpus
        self.roots: dict[Path, mountns.RootPlan] = {}  # rootfs as given -> resolved, with its mount flags
        self.standby: Standby | None = None
        self.reaper = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sandbox-reaper")
        self.closing: dict[Forker, Future[None]] = {}  # per lane: its last init, being reaped

    def run(self, spec: Spec) -> Result:
        try:
            standby = self._standby_for(spec.rootfs)
        except ForkerDied:
            raise
        except OSError as error:
            return failed(f"cannot start the sandbox: {error}")
        try:
            return self._run(spec, standby)
        finally:
            self._close_later(standby)
            if self.standby is None:
                self._prepare_next(spec.rootfs)

    def close(self) -> None:
        standby, self.standby = self.standby, None
        if standby is not None:
            standby.discard()
        self.reaper.shutdown()

    def _run(self, spec: Spec, standby: Standby) -> Result:
        problem = standby.wait_ready()
        if problem is not None:
            return failed(setup_message(problem))
        try:
            standby.cgroup.start(spec.limits)
        except OSError as error:
            return failed(f"cannot prepare the run's cgroup: {error}")
        try:
            pipes = RunPipes.open(spec)
        except OSError as error:
            return failed(f"cannot prepare the run's descriptors: {error}")
        with pipes:
            standby.start(self._run_plan(spec), pipes.child_ends())
            pipes.close_child_ends()
            self._prepare_next(spec.rootfs)  # while this run goes on
            return Watch(standby, pipes, spec.limits, self.cpus).run()

    def _close_later(self, standby: Standby) -> None:
        try:
            self.closing[standby.forker] = self.reaper.submit(standby.close)
        except RuntimeError:  # the interpreter is exiting and starts no more threads
            standby.close()

    def _standby_for(self, rootfs: Path) -> Standby:
        standby, self.standby = self.standby, None
        if standby is not None and standby.rootfs != rootfs:
            standby.discard()
            standby = None
        if standby is None:
            standby = self._request(rootfs)
        standby.collect()
        return standby

    def _prepare_next(self, rootfs: Path) -> None:
        """Ask for the next run's init now, guessing it uses the same rootfs; a failure shows when
        that run comes."""
        try:
            self.standby = self._request(rootfs)
        except OSError:
            self.standby = None

    def _request(self, rootfs: Path) -> Standby:
        """On the lane whose turn it is; the turn passes only when the request went out, so that a
        dead forker is met again by the next run, which then gets a fresh slot."""
        lane = self.lanes[self.turn]
        if closing := self.closing.pop(lane.forker, None):
            closing.result()  # on v1 the lane's cgroup must be free of the last run's init
        if lane.forker.process.poll() is not None:
            raise ForkerDied(0, f"exit status {lane.forker.process.returncode}")
        if rootfs not in self.roots:
            resolved = os.fsencode(os.path.realpath(rootfs))
            self.roots[rootfs] = mountns.RootPlan(resolved, mountns.source_flags(str(rootfs)))
        standby = Standby.request(lane.forker, lane.cgroups, rootfs, self.roots[rootfs])
        self.turn = (self.turn + 1) % len(self.lanes)
        return standby

    @staticmethod
    def _run_plan(spec: Spec) -> child.RunPlan:
        return child.RunPlan(spec.argv, spec.env, rlimits_for(spec.limits), spec.limits.tmp_size,
                             mountns.source_flags(str(spec.workdir)), spec.stderr_to_stdout)


@dataclass
class RunPipes:
    """The run's descriptors: what the init gets (stdin, the write ends, the work directory's
    detached mount), then closed here, and the read ends the caller keeps."""

    stdin: int
    stdout: tuple[int, int]
    stderr: tuple[int, int]
    workdir: int
    closed: set[int] = field(default_factory=set)

    @classmethod
    def open(cls, spec: Spec) -> RunPipes:
        opened: list[int] = []
        try:
            workdir = _workdir_mount(spec.workdir)
            opened.append(workdir)
            stdin = _stdin_fd(spec.stdin)
            opened.append(stdin)
            stdout = os.pipe2(os.O_CLOEXEC)
            opened += stdout
            stderr = os.pipe2(os.O_CLOEXEC)
        except BaseException:
            for fd in opened:
                os.close(fd)
            raise
        return cls(stdin, stdout, stderr, workdir)

    def child_ends(self) -> list[int]:
        return [self.stdin, self.stdout[1], self.stderr[1], self.workdir]

    def close_child_ends(self) -> None:
        for fd in self.child_ends():
            os.close(fd)
            self.closed.add(fd)

    def __enter__(self) -> RunPipes:
        return self

    def __exit__(self, *exc: object) -> None:
        for fd in {self.stdin, *self.stdout, *self.stderr, self.workdir} - self.closed:
            os.close(fd)


def _workdir_mount(workdir: Path) -> int:
    """A detached copy of the work directory's mount, opened without following a link at its end."""
    fd = os.open(os.path.realpath(workdir), os.O_PATH | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        return _sys.clone_mount(fd)
    finally:
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
    """Supervises one started init, our child, until every process of the run is gone."""

    init: Standby
    pipes: RunPipes
    limits: Limits
    cpus: int
    output: dict[int, bytearray] = field(default_factory=dict)
    frames: FrameBuffer = field(default_factory=FrameBuffer)
    killed_for: str | None = None
    report: tuple[int, float, float] | None = None  # wait status, the init's CPU during the run, wall time
    setup_error: SetupError | None = None
    cpu_at_report: float = 0.0
    started: float = field(default_factory=time.monotonic)
    stopped: float = 0.0

    def run(self) -> Result:
        self._supervise()
        return self._result(None if self.reported else self.init.reap())

    @property
    def reported(self) -> bool:
        return self.report is not None or self.setup_error is not None

    def _supervise(self) -> None:
        """Read stdout and stderr until they close, and the init's report until it comes (or the
        pipe closes: the init died), killing the run on a limit. CPU is sampled only as often as
        the tree could have used up what is left."""
        poller = select.poll()
        fds = {self.pipes.stdout[0], self.pipes.stderr[0], self.init.report}
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
                left = self.limits.cpu_time - self.init.cgroup.cpu_seconds()
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
        if fd == self.init.report:
            for message in self.frames.feed(data):
                self._on_report(message)
            return bool(data) and not self.reported
        elif self.killed_for != "output":
            buffer = self.output[fd]
            buffer += data
            if len(buffer) > self.limits.output:
                del buffer[self.limits.output:]
                self._kill("output")
        return bool(data)

    def _on_report(self, message: tuple[Any, ...]) -> None:
        if message[0] == "exit":
            self.cpu_at_report = self.init.cgroup.cpu_seconds()
            self.report = (int(message[1]), float(message[2]), float(message[3]))
        elif message[0] == "error":
            self.setup_error = SetupError(*message[1:])

    def _kill(self, reason: str) -> None:
        if self.killed_for is None:
            self.killed_for = reason
            self.stopped = time.monotonic()
        self.init.kill()

    def _result(self, init_status: int | None) -> Result:
        """`init_status`: the init's wait status, when it had to be waited for (it never reported)."""
        cgroup = self.init.cgroup
        if self.report is not None:
            status, init_cpu, wall = self.report
            cpu = max(0.0, self.cpu_at_report - init_cpu)
        else:
            status, wall = None, (self.stopped or time.monotonic()) - self.started
            cpu = cgroup.cpu_seconds()
        memory = cgroup.memory_peak()
        seen = Observation(self.limits, status, self.killed_for, self.setup_error,
                           os.WTERMSIG(init_status) if init_status and os.WIFSIGNALED(init_status) else None,
                           cpu, memory, cgroup.oom_kills())
        verdict, exit_code, signal, message = classify(seen)
        stdout, stderr = (bytes(self.output[self.pipes.stdout[0]]), bytes(self.output[self.pipes.stderr[0]]))
        if self.setup_error is not None:
            stdout, stderr, cpu, wall, memory = b"", b"", 0.0, 0.0, 0
        return Result(verdict, exit_code, signal, stdout, stderr, cpu, wall, memory, message)


def failed(message: str) -> Result:
    return Result("XX", None, None, b"", b"", 0.0, 0.0, 0, message)
