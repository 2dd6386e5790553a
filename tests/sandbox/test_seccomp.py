"""The seccomp filter: calls a judged program never needs fail, foreign ABIs kill."""

from __future__ import annotations

import errno
import signal

import pytest

from tests.conftest import Box

CALL = ("import ctypes, os\nlibc = ctypes.CDLL(None, use_errno=True)\n"
        "r = libc.syscall({number}, {args})\nprint(r, ctypes.get_errno())")

DENIED = {  # x86-64 numbers, arguments that would otherwise succeed or fail differently
    "ptrace": (101, "0, 1, 0, 0"),
    "mount": (165, "b'none', b'/tmp', b'tmpfs', 0, 0"),
    "unshare": (272, "0x20000"),
    "setns": (308, "0, 0"),
    "keyctl": (250, "0, 0"),
    "bpf": (321, "0, 0, 0"),
    "perf_event_open": (298, "0, 0, -1, -1, 0"),
    "userfaultfd": (323, "0"),
    "io_uring_setup": (425, "8, 0"),
    "kexec_load": (246, "0, 0, 0, 0"),
    "init_module": (175, "0, 0, 0"),
    "reboot": (169, "0, 0, 0, 0"),
    "syslog": (103, "3, 0, 0"),
    "open_by_handle_at": (304, "0, 0, 0"),
    "personality": (135, "0xffffffff"),
}


@pytest.mark.parametrize("name", sorted(DENIED))
def test_denied_call_fails_with_eperm(box: Box, name: str) -> None:
    number, args = DENIED[name]
    result = box.python(CALL.format(number=number, args=args))
    assert result.stdout.split() == [b"-1", str(errno.EPERM).encode()], result


def test_clone_with_namespace_flags_fails(box: Box) -> None:
    result = box.python(CALL.format(number=56, args="0x10000000 | 17, 0, 0, 0, 0"))
    assert result.stdout.split() == [b"-1", str(errno.EPERM).encode()]
    result = box.python(CALL.format(number=435, args="0, 0"))
    assert result.stdout.split() == [b"-1", str(errno.ENOSYS).encode()]


def test_plain_fork_still_works(box: Box) -> None:
    result = box.sh("(echo child) ; echo parent")
    assert result.stdout == b"child\nparent\n"


def test_i386_system_call_kills(box: Box) -> None:
    source = "int main(void) { int r; __asm__ volatile (\"int $0x80\" : \"=a\"(r) : \"a\"(20)); return r > 0 ? 0 : 1; }"
    program = box.compile_c(source, "int80")
    result = box.run(program)
    assert (result.status, result.signal) == ("SG", signal.SIGSYS)


def test_x32_system_call_kills(box: Box) -> None:
    source = ("int main(void) { long r; __asm__ volatile (\"syscall\" : \"=a\"(r) : \"a\"(0x40000000L | 39)"
              " : \"rcx\", \"r11\", \"memory\"); return r > 0 ? 0 : 1; }")
    program = box.compile_c(source, "x32")
    result = box.run(program)
    assert (result.status, result.signal) == ("SG", signal.SIGSYS)
