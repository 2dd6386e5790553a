"""An init cloned ahead of its run: the clone, its namespaces and its read-only root are set up
while the previous run goes on, and the run only hands it the program, the limits, the
descriptors and the work directory."""

from __future__ import annotations

import contextlib
import errno
import os
import select
import signal
import socket
from dataclasses import dataclass
from pathlib import Path

from sandbox import channel
from sandbox.cgroups import Cgroups, RunCgroup
from sandbox.child import RunPlan
from sandbox.forker import Forker
from sandbox.mountns import RootPlan
from sandbox.outcome import SetupError

SETUP_SECONDS = 30  # far beyond the milliseconds it takes: only a wedged kernel or host gets here


@dataclass
class Standby:
    """An init of ours, asked of the forker, then collected (its pid known), ready, started, reaped."""

    rootfs: Path  # as the specs it serves name it
    forker: Forker
    cgroup: RunCgroup
    control: socket.socket  # the run goes to the init through here
    report: int  # read end of the init's report pipe
    pid: int = 0
    reaped: bool = False

    @classmethod
    def request(cls, forker: Forker, cgroups: Cgroups, rootfs: Path, root: RootPlan) -> Standby:
        """Ask the forker for an init; `collect` learns its pid.

        Raises:
            ForkerDied: the forker is gone.
            OSError: the run's cgroup cannot be created.
        """
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        handshake, report = os.pipe2(os.O_CLOEXEC), os.pipe2(os.O_CLOEXEC)
        cgroup: RunCgroup | None = None
        try:
            cgroup = cgroups.new_run()
            forker.request(root, [theirs.fileno(), *handshake, report[1]], cgroup.clone_fd)
        except BaseException:
            ours.close()
            os.close(report[0])
            if cgroup is not None:
                cgroup.finish()
            raise
        finally:
            for fd in (theirs.detach(), *handshake, report[1]):
                os.close(fd)
        return cls(rootfs, forker, cgroup, ours, report[0])

    def collect(self) -> None:
        """Raises: ForkerDied, OSError (the clone failed), as `Forker.collect`; then this standby is closed."""
        if self.pid:
            return
        try:
            self.pid = self.forker.collect()
        except BaseException:
            self.reaped = True  # nothing of ours to wait for
            self.close()
            raise

    def wait_ready(self) -> SetupError | None:
        """Block until the init has set up its root; what went wrong if it could not."""
        ready = select.poll()
        ready.register(self.report, select.POLLIN)
        if not ready.poll(SETUP_SECONDS * 1000):
            self.kill()
            return SetupError("start", errno.ETIMEDOUT, f"the sandbox's init did not set up in {SETUP_SECONDS} s")
        message = channel.receive(self.report)
        if message == ("ready",):
            return None
        if message is not None and message[0] == "error":
            return SetupError(*message[1:])
        return SetupError("start", 0, "the sandbox's init exited while setting up")

    def start(self, run: RunPlan, fds: list[int]) -> None:
        """Hand the init its run. An init that died meanwhile shows as a report pipe closed early."""
        with contextlib.suppress(OSError):
            socket.send_fds(self.control, [run.encode()], fds)

    def kill(self) -> None:
        """Kill the init, PID 1 of its namespace: the kernel kills every process in it."""
        if self.pid and not self.reaped:
            os.kill(self.pid, signal.SIGKILL)  # our unreaped child: the pid cannot have been reused

    def reap(self) -> int:
        """Wait for the init to exit; its wait status."""
        assert self.pid, "collect comes first: waitpid(0) would wait for any child"
        _, status = os.waitpid(self.pid, 0)
        self.reaped = True
        return status

    def discard(self) -> None:
        """Close a standby no run will use, collecting it first so that the forker's reply is read."""
        try:
            self.collect()
        except OSError:
            return  # collect closed it
        self.close()

    def close(self) -> None:
        """Kill and reap the init if still there, then release its descriptors and its cgroup."""
        if self.pid and not self.reaped:
            self.kill()
            self.reap()
        self.control.close()
        os.close(self.report)
        self.cgroup.finish()
