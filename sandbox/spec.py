"""The sandbox's boundary types: what to run (Spec, Limits) and what happened (Result)."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Literal

MiB = 1 << 20
Status = Literal["OK", "RE", "SG", "TLE", "MLE", "OLE", "XX"]
STATUSES: tuple[Status, ...] = ("OK", "RE", "SG", "TLE", "MLE", "OLE", "XX")


class SandboxError(Exception):
    """The host cannot sandbox as asked (missing privilege or kernel feature); the message names
    the missing piece and how to enable it. Nothing was run."""


@dataclass(frozen=True)
class Limits:
    """Per-run limits; every one applies to the whole process tree unless noted."""

    cpu_time: float = 2.0  # seconds, user + system, all processes
    wall_time: float = 5.0  # seconds
    memory: int = 256 * MiB  # bytes, peak of the tree (cgroup)
    processes: int = 64  # tasks: processes plus threads
    output: int = 1 * MiB  # bytes, stdout and stderr each
    file_size: int = 16 * MiB  # bytes, largest file the program may write
    stack: int = 64 * MiB  # bytes, per process
    open_files: int = 64  # per process
    tmp_size: int = 64 * MiB  # bytes of the writable tmpfs at /tmp

    def __post_init__(self) -> None:
        for spec in fields(self):
            value = getattr(self, spec.name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise ValueError(f"Limits.{spec.name} must be a number, got {value!r}")
            if value <= 0:
                raise ValueError(f"Limits.{spec.name} must be positive, got {value!r}")
        for name in ("memory", "processes", "output", "file_size", "stack", "open_files", "tmp_size"):
            if not isinstance(getattr(self, name), int):
                raise ValueError(f"Limits.{name} must be an integer, got {getattr(self, name)!r}")
        if self.open_files < 4:
            raise ValueError(f"Limits.open_files must be at least 4 (stdin, stdout, stderr and one more), "
                             f"got {self.open_files}")


@dataclass(frozen=True, init=False)
class Spec:
    """One command to run: `argv` inside `rootfs`, with `workdir` mounted writable at /box.

    `stdin` is the input itself (bytes) or a host path to read it from; None means /dev/null.
    `env` is the whole environment apart from PATH, HOME and LANG, which the sandbox sets
    unless given here. With `stderr_to_stdout` both streams go to one pipe, in write order.
    """

    argv: tuple[str, ...]
    rootfs: Path
    workdir: Path
    stdin: bytes | Path | None = None
    env: dict[str, str] = field(default_factory=dict)
    limits: Limits = field(default_factory=Limits)
    stderr_to_stdout: bool = False

    def __init__(self, argv: list[str] | tuple[str, ...], rootfs: str | os.PathLike[str],
                 workdir: str | os.PathLike[str], stdin: bytes | str | os.PathLike[str] | None = None,
                 env: dict[str, str] | None = None, limits: Limits | None = None,
                 stderr_to_stdout: bool = False) -> None:
        object.__setattr__(self, "argv", tuple(argv))
        object.__setattr__(self, "rootfs", Path(rootfs))
        object.__setattr__(self, "workdir", Path(workdir))
        object.__setattr__(self, "stdin", stdin if stdin is None or isinstance(stdin, bytes) else Path(stdin))
        object.__setattr__(self, "env", dict(env or {}))
        object.__setattr__(self, "limits", limits or Limits())
        object.__setattr__(self, "stderr_to_stdout", stderr_to_stdout)
        self._validate()

    def _validate(self) -> None:
        if not self.argv:
            raise ValueError("Spec.argv must name a program to run")
        for item in self.argv:
            if not isinstance(item, str) or "\0" in item:
                raise ValueError(f"Spec.argv items must be strings without NUL bytes, got {item!r}")
        for key, value in self.env.items():
            if not key or "=" in key or "\0" in key or "\0" in value:
                raise ValueError(f"Spec.env has an invalid entry {key!r}={value!r}")
        if not isinstance(self.limits, Limits):
            raise ValueError(f"Spec.limits must be a Limits, got {type(self.limits).__name__}")


@dataclass(frozen=True)
class Result:
    """What happened, mechanically. `status` is one of STATUSES; `message` explains TLE and XX."""

    status: Status
    exit_code: int | None
    signal: int | None
    stdout: bytes
    stderr: bytes
    cpu_time: float  # seconds
    wall_time: float  # seconds
    memory: int  # peak bytes
    message: str = ""
