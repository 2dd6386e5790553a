"""Host-side handling of work directories, written so that nothing a program leaves in /box
(symbolic links, FIFOs, devices, odd permissions) can lead host code outside the directory.

Every open is relative to a directory descriptor with O_NOFOLLOW (openat2 with
RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS where the kernel has it); only the top directory is ever
chowned (to nobody, so the program may write in it), never a tree; removal never follows links.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
import stat
import tempfile
from pathlib import Path

from sandbox.privs import SANDBOX_ID

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long
SYS_OPENAT2 = 437
RESOLVE_NO_SYMLINKS = 0x04
RESOLVE_BENEATH = 0x08
COPY_CHUNK = 1 << 20


class WorkDirError(ValueError):
    """A name that would leave the directory, or content over the copy budget."""


class _OpenHow(ctypes.Structure):
    _fields_ = (("flags", ctypes.c_uint64), ("mode", ctypes.c_uint64), ("resolve", ctypes.c_uint64))


def open_beneath(dir_fd: int, name: str, flags: int, mode: int = 0o644) -> int:
    """Open `name` under `dir_fd`, refusing any symbolic link and any escape from the directory."""
    creating = flags & os.O_CREAT
    how = _OpenHow(flags | os.O_CLOEXEC | os.O_NOFOLLOW, mode if creating else 0, RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS)
    fd = _libc.syscall(SYS_OPENAT2, dir_fd, os.fsencode(name), ctypes.byref(how), ctypes.sizeof(how))
    if fd >= 0:
        return int(fd)
    number = ctypes.get_errno()
    if number != errno.ENOSYS:
        raise OSError(number, f"openat2({name!r}): {os.strerror(number)}")
    return _open_component_wise(dir_fd, name, flags, mode)


def _open_component_wise(dir_fd: int, name: str, flags: int, mode: int) -> int:
    """Before Linux 5.6: walk the path one O_NOFOLLOW component at a time."""
    *parents, last = name.split("/")
    current = os.dup(dir_fd)
    try:
        for part in parents:
            following = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=current)
            os.close(current)
            current = following
        return os.open(last, flags | os.O_NOFOLLOW | os.O_CLOEXEC, mode, dir_fd=current)
    finally:
        os.close(current)


def checked_name(name: str) -> str:
    """A relative path with no empty, '.' or '..' component.

    Raises:
        WorkDirError: the name is absolute or climbs out.
    """
    parts = name.split("/")
    if not name or name.startswith("/") or any(part in ("", ".", "..") for part in parts) or "\0" in name:
        raise WorkDirError(f"file name {name!r} must be a relative path inside the work directory")
    return name


class WorkDir:
    """A fresh directory for one run (or one compile), writable by the sandboxed program."""

    def __init__(self, base: Path) -> None:
        base.mkdir(parents=True, exist_ok=True)
        self.path = Path(tempfile.mkdtemp(prefix="box-", dir=base))
        os.chown(self.path, SANDBOX_ID, SANDBOX_ID)
        self.path.chmod(0o755)
        self.fd = os.open(self.path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)

    def __enter__(self) -> WorkDir:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()

    def write(self, name: str, data: bytes, mode: int = 0o644) -> None:
        """Create `name` (with its parent directories); an existing entry of that name is an error."""
        *parents, _ = checked_name(name).split("/")
        for depth in range(1, len(parents) + 1):
            with contextlib.suppress(FileExistsError):
                os.mkdir("/".join(parents[:depth]), 0o755, dir_fd=self.fd)
        fd = open_beneath(self.fd, name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)

    def copy_from(self, source: WorkDir, budget: int) -> None:
        """Copy the regular files and directories of `source` here; links, FIFOs, sockets and devices
        are left behind.

        Raises:
            WorkDirError: more than `budget` bytes.
        """
        _copy_tree(source.fd, self.fd, [budget])

    def remove(self) -> None:
        """Delete everything, never following a link (shutil.rmtree works on descriptors here)."""
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
            shutil.rmtree(self.path)


def _copy_tree(source_fd: int, target_fd: int, budget: list[int]) -> None:
    for entry in os.scandir(source_fd):
        mode = entry.stat(follow_symlinks=False).st_mode
        if stat.S_ISDIR(mode):
            os.mkdir(entry.name, 0o755, dir_fd=target_fd)
            inner_source = open_beneath(source_fd, entry.name, os.O_RDONLY | os.O_DIRECTORY)
            inner_target = open_beneath(target_fd, entry.name, os.O_RDONLY | os.O_DIRECTORY)
            try:
                _copy_tree(inner_source, inner_target, budget)
            finally:
                os.close(inner_source)
                os.close(inner_target)
        elif stat.S_ISREG(mode):
            _copy_file(source_fd, target_fd, entry.name, budget)


def _copy_file(source_fd: int, target_fd: int, name: str, budget: list[int]) -> None:
    reader = open_beneath(source_fd, name, os.O_RDONLY | os.O_NONBLOCK)
    try:
        status = os.fstat(reader)
        if not stat.S_ISREG(status.st_mode):
            return
        budget[0] -= status.st_size
        if budget[0] < 0:
            raise WorkDirError(f"the work directory holds more than the copy budget (at {name!r})")
        mode = stat.S_IMODE(status.st_mode) & 0o755
        writer = open_beneath(target_fd, name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        try:
            while os.sendfile(writer, reader, None, COPY_CHUNK):
                pass
        finally:
            os.close(writer)
    finally:
        os.close(reader)
