"""A cgroup per run, for tree-wide memory and task limits and exact CPU and memory accounting.

Both cgroup versions are supported. v2 when our cgroup offers the memory and pids controllers
(most hosts, Docker); v1 otherwise, with the memory, pids and cpuacct hierarchies. Everything is
created under `judge/` below the cgroup this process is in, named after the creating process
(`slot-<pid>.<start time>-<n>`, `run-<pid>.<start time>-<n>-<m>`), so that what a killed process
left behind is recognised and removed by the next one to start.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from sandbox.spec import Limits, MiB, SandboxError

V1_CONTROLLERS = ("memory", "pids", "cpuacct")
V2_CONTROLLERS = ("memory", "pids")
PARENT = "judge"
MEMORY_SLACK = 4 * MiB  # the hard wall sits above the limit so that MLE comes from measurement


@dataclass(frozen=True)
class CgroupLayout:
    """Where run cgroups are created: one parent per v1 controller, or one v2 parent."""

    version: int
    parents: dict[str, Path]  # v1: controller -> parent; v2: {"unified": parent}


class RunCgroup(Protocol):
    """The cgroup a run's init is born into, before the run is known; `start` sets the run's limits.
    Figures count from `start` and exclude the forker."""

    clone_fd: int | None  # v2: where clone3 puts the init; v1: None, the init is born in the forker's slot

    def start(self, limits: Limits) -> None: ...
    def cpu_seconds(self) -> float: ...
    def memory_peak(self) -> int: ...
    def oom_kills(self) -> int: ...
    def kill_all(self) -> None: ...
    def finish(self) -> None: ...


def hard_memory_wall(limits: Limits) -> int:
    return limits.memory + max(limits.memory // 8, MEMORY_SLACK)


def detect_layout(proc_self: Path = Path("/proc/self")) -> CgroupLayout:
    """Find the hierarchies holding our controllers and our place in them.

    Raises:
        SandboxError: a needed controller is missing on both versions.
    """
    mounts = _cgroup_mounts(proc_self / "mountinfo")
    own = _own_cgroups(proc_self / "cgroup")
    if "cgroup2" in mounts and "" in own:
        base = _locate(mounts["cgroup2"], own[""])
        available = _read(base / "cgroup.controllers").split() if (base / "cgroup.controllers").exists() else []
        if all(c in available for c in V2_CONTROLLERS):
            return CgroupLayout(2, {"unified": base / PARENT})
    parents = {}
    for controller in V1_CONTROLLERS:
        if controller not in mounts or controller not in own:
            raise SandboxError(
                f"the cgroup controller '{controller}' is not available: on cgroup v2 enable it in the parent's "
                f"cgroup.subtree_control (systemd: Delegate=yes; Docker: --cgroupns=private), on cgroup v1 "
                f"mount it (mount -t cgroup -o {controller} cgroup /sys/fs/cgroup/{controller})")
        parents[controller] = _locate(mounts[controller], own[controller]) / PARENT
    return CgroupLayout(1, parents)


def _locate(mount: tuple[Path, str], own: str) -> Path:
    """Our cgroup's directory: a hierarchy may be mounted from inside (a container sees its own
    cgroup as the mount's root), so our path is taken relative to the mount's root."""
    mountpoint, root = mount
    relative = own[len(root):] if root != "/" and (own == root or own.startswith(root + "/")) else own
    return mountpoint / relative.lstrip("/")


def _cgroup_mounts(mountinfo: Path) -> dict[str, tuple[Path, str]]:
    """fstype 'cgroup2', and each v1 controller -> (mount point, root of the mount within the hierarchy)."""
    found: dict[str, tuple[Path, str]] = {}
    for line in mountinfo.read_text().splitlines():
        fields = line.split()
        separator = fields.index("-")
        fstype, options = fields[separator + 1], fields[separator + 3].split(",")
        mount = (Path(fields[4].replace("\\040", " ")), fields[3])
        if fstype == "cgroup2":
            found.setdefault("cgroup2", mount)
        elif fstype == "cgroup":
            for option in options:
                found.setdefault(option, mount)
    return found


def _own_cgroups(cgroup_file: Path) -> dict[str, str]:
    """Controller -> our cgroup path ('' -> our v2 path)."""
    own = {}
    for line in cgroup_file.read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        for controller in controllers.split(",") if controllers else [""]:
            own[controller] = path
    return own


def prepare(layout: CgroupLayout) -> None:
    """Create the parents, enable v2 controllers for them, and remove runs of dead spawners.

    Raises:
        SandboxError: the parent cannot be created or its controllers enabled.
    """
    try:
        if layout.version == 2:
            _delegate_v2(layout.parents["unified"])
        for parent in layout.parents.values():
            parent.mkdir(exist_ok=True)
    except OSError as error:
        raise SandboxError(f"cannot create the sandbox cgroups: {error}; the worker needs write access to "
                           f"its own cgroup (run as root; in Docker, mount /sys/fs/cgroup read-write)") from error
    for run in _stale_runs(layout):
        for directory in run:
            _force_remove(directory)


def _delegate_v2(parent: Path) -> None:
    """Enable memory and pids for children of our cgroup. A cgroup with processes cannot pass
    controllers down ("no internal processes"), so ours move into a leaf `supervisor` first."""
    own = parent.parent
    wanted = " ".join(f"+{c}" for c in V2_CONTROLLERS)
    if not all(c in _read(own / "cgroup.subtree_control").split() for c in V2_CONTROLLERS):
        if _read(own / "cgroup.procs").split():
            leaf = own / "supervisor"
            leaf.mkdir(exist_ok=True)
            for pid in _read(own / "cgroup.procs").split():
                _write_tolerant(leaf / "cgroup.procs", pid)
        _write(own / "cgroup.subtree_control", wanted)
    parent.mkdir(exist_ok=True)
    _write(parent / "cgroup.subtree_control", wanted)


def process_tag(pid: int | str = "self") -> str:
    """'<pid>.<start time>': names a process uniquely, even after its pid is reused."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    fields = stat[stat.rindex(")") + 2:].split()
    return f"{os.getpid() if pid == 'self' else pid}.{fields[19]}"


def _stale_runs(layout: CgroupLayout) -> list[list[Path]]:
    """Slots and run cgroups whose creator is gone, grouped by name across v1 hierarchies."""
    names: dict[str, list[Path]] = {}
    for parent in layout.parents.values():
        for child in parent.iterdir() if parent.is_dir() else ():
            parts = child.name.split("-")
            if child.is_dir() and parts[0] in ("run", "slot") and len(parts) > 2 and not _alive(parts[1]):
                names.setdefault(child.name, []).append(child)
    return list(names.values())


def _alive(tag: str) -> bool:
    return process_tag(tag.split(".")[0]) == tag


class Cgroups:
    """The cgroups of one lane (see `sandbox.lane`). On v1 the lane's forker lives in the lane's
    `slot-` cgroup, so that the inits it clones are born inside (moving a task between v1 cgroups
    stalls 5-15 ms after a quiet spell); counters are reset or taken as differences per run. On v2
    each run gets a fresh cgroup, entered by clone3(CLONE_INTO_CGROUP) without any move either.
    """

    def __init__(self, layout: CgroupLayout, name: str) -> None:
        self.layout = layout
        self.name = name
        self.runs = 0
        self.slot = {c: p / f"slot-{name}" for c, p in layout.parents.items()} if layout.version == 1 else {}
        self.files: SlotFiles | None = None

    def place_forker(self, pid: int) -> None:
        """v1: create the slot and move the forker in, once; keep the files runs read and write open."""
        for path in self.slot.values():
            path.mkdir()
            _write(path / "cgroup.procs", str(pid))
        if self.slot:
            self.files = SlotFiles(self.slot, pid)

    def new_run(self) -> RunCgroup:
        """The cgroup of the next run: created (v2) or the slot's (v1), its limits not yet set.

        Raises:
            OSError: the kernel refused.
        """
        self.runs += 1
        if self.layout.version == 2:
            return V2Run.create(self.layout.parents["unified"] / f"run-{self.name}-{self.runs}")
        assert self.files is not None, "place_forker comes first"
        return V1Run.waiting(self.files)

    def close(self) -> None:
        """v1: remove the slot once the forker has exited."""
        if self.files is not None:
            self.files.close()
        for path in self.slot.values():
            _force_remove(path)


RECLAIM_BASELINE_ABOVE = 128 * MiB
UNLIMITED = -1


class SlotFiles:
    """The v1 slot's control files, opened once: a run reads and writes a dozen of them."""

    NAMES = {
        "usage": ("memory", "memory.usage_in_bytes", os.O_RDONLY),
        "peak": ("memory", "memory.max_usage_in_bytes", os.O_RDWR),
        "limit": ("memory", "memory.limit_in_bytes", os.O_RDWR),
        "swap_limit": ("memory", "memory.memsw.limit_in_bytes", os.O_RDWR),
        "force_empty": ("memory", "memory.force_empty", os.O_WRONLY),
        "oom": ("memory", "memory.oom_control", os.O_RDONLY),
        "pids_max": ("pids", "pids.max", os.O_WRONLY),
        "procs": ("pids", "cgroup.procs", os.O_RDONLY),
        "cpu": ("cpuacct", "cpuacct.usage", os.O_RDONLY),
    }

    def __init__(self, slot: dict[str, Path], forker: int) -> None:
        self.forker = forker
        self.fds = {key: os.open(slot[controller] / name, mode | os.O_CLOEXEC)
                    for key, (controller, name, mode) in self.NAMES.items() if (slot[controller] / name).exists()}
        self.fds["forker"] = os.open(f"/proc/{forker}/schedstat", os.O_RDONLY | os.O_CLOEXEC)

    def read(self, key: str) -> str:
        return os.pread(self.fds[key], 4096, 0).decode()

    def write(self, key: str, text: str) -> None:
        os.pwrite(self.fds[key], text.encode(), 0)

    def has(self, key: str) -> bool:
        return key in self.fds

    def cpu(self) -> int:
        """Nanoseconds of CPU the slot used, the forker's excepted."""
        return int(self.read("cpu")) - int(self.read("forker").split()[0])

    def oom_kills(self) -> int:
        return _keyed(self.read("oom")).get("oom_kill", 0)

    def close(self) -> None:
        for fd in self.fds.values():
            os.close(fd)
        self.fds = {}


@dataclass
class V1Run:
    """A run in the forker's slot. The forker's own CPU (the clone, preparing the next namespaces)
    lands in the slot too: its scheduler runtime is subtracted."""

    files: SlotFiles
    baseline: int = 0
    cpu_start: int = 0
    oom_start: int = 0
    clone_fd: int | None = None

    @classmethod
    def waiting(cls, files: SlotFiles) -> V1Run:
        """Lift the last run's limits, so that a small one cannot starve the next init's set-up."""
        _set_v1_memory_limit(files, UNLIMITED)
        files.write("pids_max", "max")
        return cls(files)

    def start(self, limits: Limits) -> None:
        """Reset the slot: restart the peak and note the counters' current values.

        What earlier runs left charged to the slot (page cache of the compilers they read, mostly) is
        the baseline, taken off the peak and added to the limit: it is kept, as every compile reuses
        it. The kernel may reclaim it for a program's own memory, so above a bound it is reclaimed
        first: a program can never hold more than its wall plus that bound.
        """
        files = self.files
        if int(files.read("usage")) > RECLAIM_BASELINE_ABOVE:
            files.write("force_empty", "0")
        files.write("peak", "0")
        self.baseline = int(files.read("usage"))
        _set_v1_memory_limit(files, self.baseline + hard_memory_wall(limits))
        files.write("pids_max", str(limits.processes + 2))  # + the forker and the init
        self.cpu_start, self.oom_start = files.cpu(), files.oom_kills()

    def cpu_seconds(self) -> float:
        return (self.files.cpu() - self.cpu_start) / 1e9

    def memory_peak(self) -> int:
        return max(0, int(self.files.read("peak")) - self.baseline)

    def oom_kills(self) -> int:
        return self.files.oom_kills() - self.oom_start

    def kill_all(self) -> None:
        for pid in self.files.read("procs").split():
            if int(pid) != self.files.forker:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(int(pid), signal.SIGKILL)

    def finish(self) -> None:
        """Nothing of the run may remain next to the forker."""
        if len(self.files.read("procs").split()) > 1:
            self.kill_all()


def _set_v1_memory_limit(files: SlotFiles, limit: int) -> None:
    """Memory and memory+swap get the same limit (no swapping). The kernel requires
    memory <= memory+swap at every moment, so the order of the two writes depends on the direction."""
    keys = ["limit"]
    if files.has("swap_limit"):
        growing = limit == UNLIMITED or limit > int(files.read("limit"))
        keys = ["swap_limit", *keys] if growing else [*keys, "swap_limit"]
    for key in keys:
        files.write(key, str(limit))


@dataclass
class V2Run:
    """A fresh cgroup per run. Its memory peak includes the init's own few pages."""

    path: Path
    clone_fd: int | None
    cpu_start: float = 0.0

    @classmethod
    def create(cls, path: Path) -> V2Run:
        path.mkdir()
        return cls(path, os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC))

    def start(self, limits: Limits) -> None:
        _write(self.path / "memory.max", str(hard_memory_wall(limits)))
        _write_tolerant(self.path / "memory.swap.max", "0")
        _write(self.path / "memory.oom.group", "1")
        _write(self.path / "pids.max", str(limits.processes + 1))  # + the init
        self.cpu_start = self._cpu()

    def cpu_seconds(self) -> float:
        return self._cpu() - self.cpu_start

    def _cpu(self) -> float:
        return _keyed(_read(self.path / "cpu.stat"))["usage_usec"] / 1e6

    def memory_peak(self) -> int:
        return int(_read(self.path / "memory.peak"))

    def oom_kills(self) -> int:
        events = _keyed(_read(self.path / "memory.events"))
        return events.get("oom_kill", 0) + events.get("oom_group_kill", 0)

    def kill_all(self) -> None:
        _write(self.path / "cgroup.kill", "1")

    def finish(self) -> None:
        if self.clone_fd is not None:
            os.close(self.clone_fd)
            self.clone_fd = None
        _force_remove(self.path)


def _force_remove(path: Path) -> None:
    """rmdir, killing stragglers first; tolerant of a cgroup that is already gone."""
    for _ in range(50):
        try:
            os.rmdir(path)
            return
        except FileNotFoundError:
            return
        except OSError as error:
            if error.errno != errno.EBUSY:
                raise
        if (path / "cgroup.kill").exists():
            _write_tolerant(path / "cgroup.kill", "1")
        _kill_listed(path / "cgroup.procs")
        time.sleep(0.01)
    os.rmdir(path)


def _kill_listed(procs: Path) -> None:
    try:
        pids = [int(pid) for pid in _read(procs).split()]
    except FileNotFoundError:
        return
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def _keyed(text: str) -> dict[str, int]:
    pairs = (line.split() for line in text.splitlines())
    return {p[0]: int(p[1]) for p in pairs if len(p) == 2 and p[1].isdigit()}


def _read(path: Path) -> str:
    fd = os.open(path, os.O_RDONLY)
    try:
        return os.read(fd, 65536).decode()
    finally:
        os.close(fd)


def _write(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY)
    try:
        os.write(fd, text.encode())
    finally:
        os.close(fd)


def _write_tolerant(path: Path, text: str) -> None:
    """Write where the file exists and accepts it (optional knobs, races with exiting tasks)."""
    with contextlib.suppress(OSError):
        _write(path, text)
