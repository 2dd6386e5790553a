"""Caller side of the forker: a small, long-lived process whose only job is clone3().

fork() costs grow with the forking process's size, so sandboxes are never forked from the caller
(a Celery worker is large): each concurrent run slot starts its own forker, a fresh interpreter
that imports only what the sandbox's init needs.
"""

from __future__ import annotations

import marshal
import os
import socket
import subprocess
import sys
from pathlib import Path

import prctl

from sandbox.mountns import RootPlan

MAX_MESSAGE = 4 << 20
# The forker runs without the site module (-S): its import path is this package's root and the
# directory python-prctl was installed in, nothing more.
IMPORT_PATH = f"{Path(__file__).resolve().parent.parent}:{Path(prctl.__file__).resolve().parent}"


class ForkerDied(OSError):
    """The forker process is gone."""


class Forker:
    def __init__(self, seccomp_bpf: bytes) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        for end in (ours, theirs):
            end.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, MAX_MESSAGE)
        env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8", "PYTHONPATH": IMPORT_PATH}
        self.process = subprocess.Popen(
            [sys.executable, "-S", "-m", "sandbox._forker", str(theirs.fileno())], pass_fds=(theirs.fileno(),),
            stdin=subprocess.DEVNULL, env=env, cwd="/", extra_groups=[])
        theirs.close()
        self.socket = ours
        self.pid = self.process.pid
        ours.send(seccomp_bpf)
        if ours.recv(16) != b"ready":  # its start-up must not be counted in the slot it moves into
            self.close()
            raise ForkerDied(0, f"the forker failed to start (exit status {self.process.returncode})")

    def request(self, root: RootPlan, fds: list[int], cgroup_fd: int | None) -> None:
        """Ask for an init over `root`; `collect` returns its pid. The descriptors may be
        closed here as soon as this returns: the forker holds its own copies.

        Raises:
            ForkerDied: the forker is gone.
        """
        try:
            socket.send_fds(self.socket, [root.encode()], fds + ([] if cgroup_fd is None else [cgroup_fd]))
        except OSError as error:
            raise ForkerDied(error.errno, f"the forker is gone: {error}") from error

    def collect(self) -> int:
        """The pid of the init last requested (our child, through CLONE_PARENT).

        Raises:
            ForkerDied: the forker is gone.
            OSError: the clone or the id maps failed.
        """
        try:
            data = self.socket.recv(MAX_MESSAGE)
        except OSError as error:
            raise ForkerDied(error.errno, f"the forker is gone: {error}") from error
        if not data:
            raise ForkerDied(0, f"the forker is gone (exit status {self.process.wait()})")
        reply = marshal.loads(data)
        if reply[0] == "error":
            if reply[3]:
                os.waitpid(reply[3], 0)  # the half-started init is our child: reap it
            raise OSError(reply[1], reply[2])
        return int(reply[1])

    def close(self) -> None:
        self.socket.close()
        self.process.wait()
