"""Template mount namespaces, one per root filesystem, kept by each forker.

Building a sandbox's root (binding the tree read-only with its devices, pivoting into it, detaching
the host's mounts) would cost every init a third of a millisecond and an expedited RCU grace period.
A forker does it once per tree instead, in a short-lived helper, and keeps the helper's mount
namespace. It clones each init from inside that namespace (CLONE_NEWNS copies the namespace its
caller is in) and goes back to the host's right after. In the init's user namespace the copied
mounts are locked: the root stays read-only, and no mount can be taken off to show what is beneath.

The template's /proc belongs to the helper's own PID namespace, empty once the helper is gone: the
kernel lets a user namespace mount proc only where one is fully visible already, and each init
mounts its own on top.
"""

from __future__ import annotations

import _signal
import os
import select

from sandbox import _sys, channel, mountns
from sandbox.mountns import RootPlan

TYPE_CHECKING = False  # `typing` stays out of the forker
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import NoReturn

MAX_TEMPLATES = 4  # trees a forker keeps templates of (a rebuilt rootfs is a new tree)
TEMPLATE_STEPS: tuple[tuple[str, Callable[[RootPlan], None]], ...] = (
    ("make mounts private", mountns.make_mounts_private),
    ("bind the root filesystem", mountns.bind_rootfs),
    ("mount a placeholder /proc", mountns.mount_placeholder_proc),
    ("bind the /dev devices", mountns.bind_devices),
    ("make the root filesystem read-only", mountns.make_rootfs_readonly),
    ("pivot_root into the root filesystem", mountns.pivot_into_rootfs),
)


class RootTemplates:
    """The forker's templates, by tree, and the way back to the host's mount namespace."""

    def __init__(self) -> None:
        self.host = os.open("/proc/self/ns/mnt", os.O_RDONLY | os.O_CLOEXEC)
        self.namespaces: dict[tuple[bytes, int], int] = {}

    def enter(self, root: RootPlan) -> None:
        """Move into the template of `root`, built on first use; `leave` right after the clone.

        Raises:
            OSError: the template cannot be built (the message names the tree and the step).
        """
        _sys.setns(self._namespace(root), _sys.CLONE_NEWNS)

    def leave(self) -> None:
        _sys.setns(self.host, _sys.CLONE_NEWNS)

    def _namespace(self, root: RootPlan) -> int:
        key = (root.rootfs, root.rootfs_flags)
        if key not in self.namespaces:
            if len(self.namespaces) >= MAX_TEMPLATES:
                os.close(self.namespaces.pop(next(iter(self.namespaces))))
            self.namespaces[key] = build(root)
        return self.namespaces[key]


def build(root: RootPlan) -> int:
    """A descriptor of a new template mount namespace for `root`, set up by a helper in fresh mount
    and PID namespaces.

    Raises:
        OSError: a step failed; the message names the tree and the step.
    """
    report, helper_report = os.pipe2(os.O_CLOEXEC)
    try:
        pid = _sys.clone3(_sys.CLONE_NEWNS | _sys.CLONE_NEWPID)
    except BaseException:
        os.close(report)
        os.close(helper_report)
        raise
    if pid == 0:
        _set_up(root, helper_report)
    os.close(helper_report)
    try:
        message = channel.receive(report)
        if message != ("ready",):
            step, number, text = message[1:] if message else ("start", 0, "the helper exited")
            raise OSError(number, f"preparing the root filesystem {root.rootfs.decode()}: {step}: {text}")
        return os.open(f"/proc/{pid}/ns/mnt", os.O_RDONLY | os.O_CLOEXEC)
    finally:
        os.close(report)
        os.kill(pid, _signal.SIGKILL)
        os.waitpid(pid, 0)


def _set_up(root: RootPlan, report: int) -> NoReturn:
    """In the helper: build the template, report, and wait to be killed once it is taken."""
    os.closerange(3, report)  # the forker's descriptors (its socket, the pending init's) are not ours
    os.closerange(report + 1, os.sysconf("SC_OPEN_MAX"))
    step = "start"
    try:
        for step, action in TEMPLATE_STEPS:  # noqa: B007 - `step` names the failing step below
            action(root)
        channel.send(report, ("ready",))
        select.select([], [], [])
    except BaseException as error:
        channel.send(report, ("error", step, getattr(error, "errno", None) or 0, str(error)))
    finally:
        os._exit(0)
