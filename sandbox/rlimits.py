"""rlimits: the second wall behind the cgroup, set with slack so verdicts come from measurement.

The child sets them on itself just before it starts the program, which inherits them; the
sandbox's init is counted in RLIMIT_NPROC.
"""

from __future__ import annotations

import math
import resource

TYPE_CHECKING = False  # `typing` stays out of the forker, which imports this module
if TYPE_CHECKING:
    from sandbox.spec import Limits

MiB = 1 << 20

# The data-segment wall sits far above the cgroup's so that a program which touches too much memory
# meets the cgroup (MLE, measured) first; it also leaves room for the init's own interpreter heap.
DATA_FACTOR = 4
DATA_SLACK = 256 * MiB

Rlimit = tuple[int, int, int]  # resource, soft, hard


def rlimits_for(limits: Limits) -> tuple[Rlimit, ...]:
    """The rlimits to set, each clamped to the current hard limit (raising one needs
    CAP_SYS_RESOURCE in the host namespace, which the sandbox never has)."""
    cpu = math.ceil(limits.cpu_time) + 1  # SIGXCPU one second after the cgroup watch would have fired
    wanted = (
        (resource.RLIMIT_CPU, cpu, cpu + 1),
        (resource.RLIMIT_DATA, DATA_FACTOR * limits.memory + DATA_SLACK, DATA_FACTOR * limits.memory + DATA_SLACK),
        (resource.RLIMIT_FSIZE, limits.file_size, limits.file_size),
        (resource.RLIMIT_STACK, limits.stack, limits.stack),
        (resource.RLIMIT_NOFILE, limits.open_files, limits.open_files),
        (resource.RLIMIT_NPROC, limits.processes + 1, limits.processes + 1),
        (resource.RLIMIT_CORE, 0, 0),
        (resource.RLIMIT_MEMLOCK, 0, 0),
        (resource.RLIMIT_MSGQUEUE, 0, 0),
    )
    return tuple(_clamp(*item) for item in wanted)


def _clamp(which: int, soft: int, hard: int) -> Rlimit:
    _, current_hard = resource.getrlimit(which)
    if current_hard != resource.RLIM_INFINITY:
        hard = min(hard, current_hard)
    return which, min(soft, hard), hard


def apply(rlimits: tuple[Rlimit, ...]) -> None:
    for which, soft, hard in rlimits:
        resource.setrlimit(which, (soft, hard))
