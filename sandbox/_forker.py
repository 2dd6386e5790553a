"""The forker process (`python -m sandbox._forker FD`): clones one init per request.

Inits are cloned ahead of their runs (see `sandbox.child`), so nothing here is on a run's path.
On cgroup v1 the forker lives in its lane's cgroups so that every init it clones is born there; on
v2 it clones straight into the run's cgroup. With CLONE_PARENT the init becomes the caller's child,
so the caller waits for it and kills it without any race on its pid. The forker also writes the
init's id maps and OOM score and releases it, saving a round trip.

Before each clone it enters fresh network, IPC and UTS namespaces (loopback up, hostname set) that
the init inherits: owned by the host's user namespace, they are out of the program's reach. When
it replies it is idle, so it allocates nothing while a run in its cgroup is measured.

It imports as little as it can: every page it owns makes each clone slower, and each page an init
writes to is copied. So no `typing`, `pickle`, `socket` or `signal` (about 3 MB together): the
messages are `marshal`led tuples, and the private C modules `_socket` and `_signal` serve.
"""

from __future__ import annotations

import _signal
import _socket
import gc
import marshal
import os
import sys

from sandbox import _sys, child, fdpass, netns, privs, userns
from sandbox.child import ChildPlan
from sandbox.mountns import RootPlan
from sandbox.roots import RootTemplates

NAMESPACES = _sys.CLONE_NEWUSER | _sys.CLONE_NEWPID | _sys.CLONE_NEWNS
FRESH_NAMESPACES = _sys.CLONE_NEWNET | _sys.CLONE_NEWIPC | _sys.CLONE_NEWUTS
HOSTNAME = b"sandbox"
MAX_MESSAGE = 4 << 20
CHILD_FDS = 4  # control socket, handshake read end, handshake write end, report write end


def serve(sock: _socket.socket) -> None:
    """Clone one init per request until the caller closes the socket.

    A request is the root filesystem to mount, as (resolved path, mount flags), with the init's
    descriptors (see `_spawn`); the reply is ("spawned", pid) or ("error", errno, message, pid).
    """
    # Ctrl-C is the caller's to handle; it then closes the socket. The inits inherit the ignoring.
    _signal.signal(_signal.SIGINT, _signal.SIG_IGN)
    seccomp_bpf = sock.recv(MAX_MESSAGE)
    last_capability = privs.read_last_capability()
    templates = RootTemplates()
    gc.freeze()  # inherited objects stay out of every collection, in here and in the inits
    sock.send(b"ready")
    while True:
        try:
            data, fds = fdpass.receive(sock, MAX_MESSAGE, CHILD_FDS + 1)
        except OSError:
            return
        if not data:
            return
        try:
            root = RootPlan.decode(data)
            sock.send(marshal.dumps(_spawn(templates, root, seccomp_bpf, last_capability, fds, sock.fileno())))
        finally:
            for fd in fds:
                os.close(fd)


def enter_fresh_namespaces() -> None:
    """Enter the network, IPC and UTS namespaces the next init will inherit."""
    _sys.unshare(FRESH_NAMESPACES)
    netns.bring_up_loopback()
    _sys.sethostname(HOSTNAME)


def _spawn(templates: RootTemplates, root: RootPlan, seccomp_bpf: bytes, last_capability: int, fds: list[int],
           own_socket: int) -> tuple[str | int, ...]:
    """`fds`: the init's control socket, both ends of the handshake pipe, the write end of its report
    pipe, then (on cgroup v2) the run's cgroup."""
    control, handshake_read, handshake_write, report = fds[:CHILD_FDS]
    plan = ChildPlan(seccomp_bpf, last_capability, control_fd=control, from_parent_fd=handshake_read,
                     to_parent_fd=report, foreign_fds=(handshake_write, own_socket))
    try:
        enter_fresh_namespaces()
        templates.enter(root)
    except OSError as error:
        return ("error", error.errno or 0, str(error), 0)
    try:
        pid = _sys.clone3(_sys.CLONE_PARENT | NAMESPACES, fds[CHILD_FDS] if len(fds) > CHILD_FDS else None)
    except OSError as error:
        templates.leave()
        return ("error", error.errno or 0, str(error), 0)
    if pid == 0:
        child.main(plan)
    templates.leave()  # should this fail, the forker stops: the caller then starts a fresh one
    try:
        userns.write_id_maps(pid)
        _volunteer_for_oom_killer(pid)
        os.write(handshake_write, b"g")
    except OSError as error:
        os.kill(pid, _signal.SIGKILL)
        return ("error", error.errno or 0, f"writing the id maps of {pid}: {error}", pid)
    return ("spawned", pid)


def _volunteer_for_oom_killer(pid: int) -> None:
    """On cgroup v1 the forker shares the run's cgroup: when memory runs out, the run must die, not it."""
    fd = os.open(f"/proc/{pid}/oom_score_adj", os.O_WRONLY)
    try:
        os.write(fd, b"1000")
    finally:
        os.close(fd)


if __name__ == "__main__":
    serve(_socket.socket(fileno=int(sys.argv[1])))
