"""The status precedence, case by case."""

from __future__ import annotations

import os
import signal

import pytest

from sandbox.outcome import Observation, SetupError, classify
from sandbox.spec import Limits

LIMITS = Limits(cpu_time=1.0, memory=64 << 20)


def seen(status: int | None = 0, killed: str | None = None, cpu: float = 0.1, memory: int = 1 << 20,
         oom: int = 0, error: SetupError | None = None) -> Observation:
    return Observation(LIMITS, status, killed, error, None, cpu, memory, oom)


def exited(code: int) -> int:
    return code << 8


def signalled(number: int) -> int:
    return number


def test_clean_exit_is_ok() -> None:
    assert classify(seen(exited(0))) == ("OK", 0, None, "")


def test_nonzero_exit_is_re() -> None:
    assert classify(seen(exited(3)))[:3] == ("RE", 3, None)


def test_signal_is_sg_with_its_name() -> None:
    status, _, number, message = classify(seen(signalled(signal.SIGSEGV)))
    assert (status, number) == ("SG", 11) and "SIGSEGV" in message
    assert os.WIFSIGNALED(signalled(signal.SIGSEGV))


@pytest.mark.parametrize(("observation", "expected"), [
    (seen(exited(0), killed="output"), "OLE"),
    (seen(None, killed="wall"), "TLE"),
    (seen(None, killed="cpu"), "TLE"),
    (seen(exited(0), cpu=1.01), "TLE"),
    (seen(signalled(signal.SIGXCPU)), "TLE"),
    (seen(signalled(signal.SIGKILL), oom=1), "MLE"),
    (seen(exited(0), memory=65 << 20), "MLE"),
    (seen(exited(1), memory=65 << 20), "MLE"),
    (seen(signalled(signal.SIGXFSZ)), "OLE"),
    (seen(None), "XX"),
])
def test_limits_and_their_precedence(observation: Observation, expected: str) -> None:
    assert classify(observation)[0] == expected


def test_our_kill_reason_wins_over_measurements() -> None:
    assert classify(seen(None, killed="wall", cpu=5.0, memory=1 << 30))[0] == "TLE"
    assert "wall" in classify(seen(None, killed="wall", cpu=5.0))[3]


def test_setup_failure_is_xx_and_names_step_and_fix() -> None:
    status, _, _, message = classify(seen(error=SetupError("mount /proc", 1, "mount(proc): EPERM")))
    assert status == "XX"
    assert "mount /proc" in message and "systempaths=unconfined" in message


def test_exec_failure_names_the_program() -> None:
    error = SetupError("start the program", 2, "[Errno 2] No such file or directory: '/box/a.out'")
    message = classify(seen(error=error))[3]
    assert message == "cannot execute the program: [Errno 2] No such file or directory: '/box/a.out'"
