"""User namespace and privileges: nobody inside and out, no capability anywhere, no way back."""

from __future__ import annotations

import os
import time

from tests.conftest import Box

ZERO_CAPS = "0000000000000000"


def test_program_runs_as_nobody_inside(box: Box) -> None:
    result = box.sh("id -u; id -g; id -G; cat /proc/self/uid_map /proc/self/gid_map; cat /proc/self/setgroups")
    assert result.status == "OK", result
    lines = result.stdout.decode().split("\n")
    assert lines[:3] == ["65534", "65534", "65534"]
    assert lines[3].split() == ["65534", "65534", "1"] and lines[4].split() == ["65534", "65534", "1"]
    assert lines[5] == "deny"


def test_program_is_host_nobody(box: Box, tmp_path: object) -> None:
    """A file the program creates in /box is owned by host uid/gid 65534."""
    assert box.sh("echo x > /box/made-inside").status == "OK"
    made = os.stat(box.workdir / "made-inside")
    assert (made.st_uid, made.st_gid) == (65534, 65534)


def test_no_capability_in_any_set(box: Box) -> None:
    status = box.sh("grep -E '^(Cap|NoNewPrivs|Seccomp:)' /proc/self/status").stdout.decode()
    fields = dict(line.split(":\t") for line in status.splitlines())
    for name in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"):
        assert fields[name] == ZERO_CAPS, f"{name} is {fields[name]}"
    assert fields["NoNewPrivs"] == "1"
    assert fields["Seccomp"] == "2"


def test_cannot_become_root(box: Box) -> None:
    """uid 0 does not even exist in the namespace (EINVAL); setgroups is denied (EPERM)."""
    for call in ("os.setuid(0)", "os.setresuid(0, 0, 0)", "os.setgid(0)", "os.setgroups([0])"):
        result = box.python(f"import os\ntry:\n {call}\nexcept OSError as e: print('refused', e.errno)")
        assert result.stdout in (b"refused 22\n", b"refused 1\n"), (call, result)


def test_securebits_are_locked(box: Box) -> None:
    """prctl(PR_GET_SECUREBITS): noroot, no_setuid_fixup and keep_caps all locked."""
    code = ("import ctypes; libc = ctypes.CDLL(None); bits = libc.prctl(27, 0, 0, 0, 0)\n"
            "print(bits & 0x2f == 0x2f and not bits & 0x10)")
    assert box.python(code).stdout == b"True\n"


def test_cannot_create_nested_user_namespace(box: Box) -> None:
    result = box.sh("cat /proc/sys/user/max_user_namespaces; unshare -U true; echo status=$?")
    lines = result.stdout.decode().split()
    assert lines[0] == "0"
    assert lines[-1] != "status=0"
    result = box.python("import ctypes, os; libc = ctypes.CDLL(None, use_errno=True)\n"
                        "print(libc.unshare(0x10000000), os.strerror(ctypes.get_errno()))")
    assert result.stdout.startswith(b"-1 ")


def test_init_is_not_traceable_or_killable(box: Box) -> None:
    """The program shares its uid with the init; the init must still be out of its reach."""
    code = ("import os, signal\n"
            "for sig in (signal.SIGKILL, signal.SIGTERM, signal.SIGINT): os.kill(1, sig)\n"
            "import time; time.sleep(0.2)\n"
            "try:\n open('/proc/1/mem', 'rb').read(1)\nexcept OSError as e: print('mem', e.errno)\n"
            "print('alive')")
    started = time.monotonic()
    result = box.python(code)
    assert result.status == "OK", result
    assert b"alive" in result.stdout and b"mem 13" in result.stdout
    assert time.monotonic() - started < 5
