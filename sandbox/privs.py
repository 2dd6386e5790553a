"""Privileges: become nobody (65534) with no capability in any set and no way back."""

from __future__ import annotations

import os

import prctl

from sandbox import _sys

SANDBOX_ID = 65534
# No root privileges, no capability fixups on uid changes, keep_caps off; all locked.
LOCKED_SECUREBITS = (prctl.SECBIT_NOROOT | prctl.SECBIT_NOROOT_LOCKED | prctl.SECBIT_NO_SETUID_FIXUP
                     | prctl.SECBIT_NO_SETUID_FIXUP_LOCKED | prctl.SECBIT_KEEP_CAPS_LOCKED)


def lock_down(last_capability: int) -> None:
    """Lock the securebits and empty the bounding set: no exec can ever grant a capability again.
    The capabilities in hand stay, for the set-up still to come."""
    prctl.set_securebits(LOCKED_SECUREBITS)
    for capability in range(last_capability + 1):
        prctl.capbset_drop(capability)


def drop_privileges() -> None:
    """Switch to nobody and clear every capability set (after `lock_down`).

    The host's root is not mapped in the sandbox's user namespace, so the kernel's own
    root-to-user capability fixup does not apply: everything is cleared explicitly.
    """
    os.setresgid(SANDBOX_ID, SANDBOX_ID, SANDBOX_ID)
    os.setresuid(SANDBOX_ID, SANDBOX_ID, SANDBOX_ID)
    _sys.clear_ambient_capabilities()
    _sys.clear_capabilities()
    prctl.set_dumpable(False)  # the program runs as the same uid: keep it from tracing its init


def forbid_new_privileges() -> None:
    prctl.set_no_new_privs(True)


def read_last_capability() -> int:
    with open("/proc/sys/kernel/cap_last_cap") as text:
        return int(text.read())
