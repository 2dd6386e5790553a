"""A lane: a forker and the cgroups its inits are born into.

A slot runs one sandbox at a time, and asks for the next run's init as the current run starts. On
cgroup v1 the inits are born in their forker's cgroup, so a slot has two lanes taking turns: the
next init is set up in one while the current run is measured, alone, in the other. On v2 every run
has a cgroup of its own and one lane is enough.
"""

from __future__ import annotations

from sandbox.cgroups import Cgroups
from sandbox.forker import Forker
from sandbox.host import Host


def lanes_needed(host: Host) -> int:
    return 2 if host.layout.version == 1 else 1


class Lane:
    def __init__(self, host: Host, name: str) -> None:
        self.forker = Forker(host.seccomp_bpf)
        self.cgroups = Cgroups(host.layout, name)
        try:
            self.cgroups.place_forker(self.forker.pid)
        except OSError:
            self.close()
            raise

    def close(self) -> None:
        self.forker.close()
        self.cgroups.close()
