"""A pool of run slots, one per concurrent run: each holds its lanes (forker processes and their
cgroups) and the runner that supervises from the calling thread. Slots start on demand and are reused."""

from __future__ import annotations

import atexit
import itertools
import os
import threading
from pathlib import Path

from sandbox.cgroups import process_tag
from sandbox.forker import ForkerDied
from sandbox.host import Host, check_rootfs, prepare_host
from sandbox.lane import Lane, lanes_needed
from sandbox.runner import Runner, failed
from sandbox.spec import Result, SandboxError, Spec


class Slot:
    def __init__(self, host: Host, name: str) -> None:
        self.lanes = _start_lanes(host, name)
        self.runner = Runner(self.lanes, host.cpus)

    def close(self) -> None:
        self.runner.close()
        for lane in self.lanes:
            lane.close()


def _start_lanes(host: Host, name: str) -> list[Lane]:
    lanes: list[Lane] = []
    try:
        for number in range(lanes_needed(host)):
            lanes.append(Lane(host, f"{name}-{number}"))
    except BaseException:
        for lane in lanes:
            lane.close()
        raise
    return lanes


class SandboxPool:
    """Thread-safe: each run takes an idle slot, or starts one, and gives it back after."""

    def __init__(self) -> None:
        self._host: Host | None = None
        self._idle: list[Slot] = []
        self._lock = threading.Lock()
        self._sound_trees: set[Path] = set()

    def run(self, spec: Spec) -> Result:
        """Run `spec` in a fresh sandbox.

        Raises:
            SandboxError: the host cannot sandbox (named in the message), or the rootfs is unusable.
            ValueError: the work directory or stdin file does not exist.
        """
        if spec.rootfs not in self._sound_trees:
            if problem := check_rootfs(spec.rootfs):
                raise SandboxError(problem)
            self._sound_trees.add(spec.rootfs)
        _check_paths(spec)
        slot = self._take()
        try:
            result = slot.runner.run(spec)
        except ForkerDied:
            slot.close()  # the run did not start: a fresh slot takes it
            slot = self._new_slot()
            try:
                result = slot.runner.run(spec)
            except ForkerDied as error:
                slot.close()
                return failed(f"the sandbox's forker process died: {error}")
        with self._lock:
            self._idle.append(slot)
        return result

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for slot in idle:
            slot.close()

    def _take(self) -> Slot:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return self._new_slot()

    def _new_slot(self) -> Slot:
        with self._lock:
            if self._host is None:
                self._host = prepare_host()
            host = self._host
        return Slot(host, f"{process_tag()}-{next(_slot_numbers)}")


def _check_paths(spec: Spec) -> None:
    if not spec.workdir.is_dir() or spec.workdir.is_symlink():
        raise ValueError(f"Spec.workdir {spec.workdir} is not a directory")
    if isinstance(spec.stdin, os.PathLike) and not Path(spec.stdin).is_file():
        raise ValueError(f"Spec.stdin {spec.stdin} is not a file")


_slot_numbers = itertools.count(1)  # slot names must differ across all pools of this process
_default_pool: SandboxPool | None = None
_default_lock = threading.Lock()


def default_pool() -> SandboxPool:
    """The process-wide pool behind `sandbox.run`; a forked child starts its own."""
    global _default_pool
    with _default_lock:
        if _default_pool is None:
            _default_pool = SandboxPool()
        return _default_pool


def _forget_after_fork() -> None:
    global _default_pool
    _default_pool = None


def _close_default_pool() -> None:
    """At exit: the forkers would go anyway, but their cgroups would wait for the next start."""
    if _default_pool is not None:
        _default_pool.close()


os.register_at_fork(after_in_child=_forget_after_fork)
atexit.register(_close_default_pool)
