"""User namespace: the sandbox maps exactly one id, nobody (65534), to the host's nobody."""

from __future__ import annotations

import os

from sandbox.privs import SANDBOX_ID

ID_MAP = f"{SANDBOX_ID} {SANDBOX_ID} 1".encode()


def write_id_maps(pid: int) -> None:
    """Parent side: map the child's ids. setgroups is denied, so supplementary groups stay empty."""
    for name, content in ((b"uid_map", ID_MAP), (b"setgroups", b"deny"), (b"gid_map", ID_MAP)):
        fd = os.open(b"/proc/%d/%s" % (pid, name), os.O_WRONLY)
        try:
            os.write(fd, content)
        finally:
            os.close(fd)


def forbid_nested_user_namespaces() -> None:
    """Child side, with the sandbox's /proc mounted: no user namespace may be created inside
    (`bwrap --disable-userns` does the same). Without one, no other namespace can be created
    either (that needs CAP_SYS_ADMIN), and the seccomp filter refuses all of them as well."""
    fd = os.open("/proc/sys/user/max_user_namespaces", os.O_WRONLY)
    try:
        os.write(fd, b"0")
    finally:
        os.close(fd)
