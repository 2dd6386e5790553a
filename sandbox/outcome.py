"""From what was observed to a Result status: the explicit precedence, in one pure function."""

from __future__ import annotations

import os
import signal as signals
from dataclasses import dataclass

from sandbox.spec import Limits, Status

HINTS = {
    "mount /proc": "the host's /proc has masked paths (Docker's default): run the worker with "
                   "--security-opt systempaths=unconfined, or privileged",
    "install the seccomp filter": "the kernel lacks seccomp filters: build it with CONFIG_SECCOMP_FILTER=y",
    "enter a cgroup namespace": "the kernel lacks cgroup namespaces: use Linux 4.6 or newer",
}


@dataclass(frozen=True)
class SetupError:
    step: str
    errno: int
    message: str


@dataclass(frozen=True)
class Observation:
    limits: Limits
    wait_status: int | None  # the program's, as reported by the init; None when it never reported
    killed_for: str | None  # "output", "wall", "cpu" when the supervisor killed the run
    setup_error: SetupError | None
    init_signal: int | None  # the init's own death signal, when it died of one
    cpu_time: float
    memory: int
    oom_kills: int


def classify(seen: Observation) -> tuple[Status, int | None, int | None, str]:
    """(status, exit_code, signal, message). First match wins:
    set-up failure, our kills (output, wall, CPU), CPU over the limit, memory (OOM kill or peak
    over the limit), the program's signal (SIGXCPU: TLE, SIGXFSZ: OLE), its exit code."""
    if seen.setup_error is not None:
        return "XX", None, None, setup_message(seen.setup_error)
    exit_code, signal = _decode(seen.wait_status)
    if seen.killed_for == "output":
        return "OLE", None, signals.SIGKILL, "output limit exceeded"
    if seen.killed_for == "wall":
        return "TLE", None, signals.SIGKILL, "wall time limit exceeded"
    if seen.killed_for == "cpu" or seen.cpu_time > seen.limits.cpu_time or signal == signals.SIGXCPU:
        return "TLE", exit_code, signal, "CPU time limit exceeded"
    if seen.oom_kills or seen.memory > seen.limits.memory:
        return "MLE", exit_code, signal or (signals.SIGKILL if seen.oom_kills else None), "memory limit exceeded"
    if seen.wait_status is None:
        return "XX", None, None, f"the sandbox's init died unexpectedly (signal {seen.init_signal})"
    if signal == signals.SIGXFSZ:
        return "OLE", None, signal, "file size limit exceeded"
    if signal is not None:
        return "SG", None, signal, f"killed by signal {signal} ({signals.Signals(signal).name})"
    if exit_code:
        return "RE", exit_code, None, f"exited with code {exit_code}"
    return "OK", 0, None, ""


def setup_message(error: SetupError) -> str:
    if error.step == "start the program":
        return f"cannot execute the program: {error.message}"
    hint = HINTS.get(error.step, "")
    reason = error.message or os.strerror(error.errno)
    return f"sandbox set-up failed at '{error.step}': {reason}" + (f"; {hint}" if hint else "")


def _decode(wait_status: int | None) -> tuple[int | None, int | None]:
    if wait_status is None:
        return None, None
    if os.WIFSIGNALED(wait_status):
        return None, os.WTERMSIG(wait_status)
    return os.WEXITSTATUS(wait_status), None
