"""IPC, UTS and cgroup namespaces; a clean environment; only fds 0, 1 and 2."""

from __future__ import annotations

from sandbox import Spec
from tests.conftest import Box


def test_hostname_is_fixed_and_cannot_change(box: Box) -> None:
    result = box.sh("hostname; hostname other 2>&1; hostname")
    lines = result.stdout.decode().splitlines()
    assert lines[0] == "sandbox" and lines[-1] == "sandbox"


def test_sysv_ipc_does_not_leak_between_runs(box: Box) -> None:
    create = "import ctypes; libc = ctypes.CDLL(None); print(libc.shmget(0x1234, 4096, 0o1666))"
    assert box.python(create).stdout.strip() != b"-1"
    result = box.sh("wc -l < /proc/sysvipc/shm")
    assert result.stdout.strip() == b"1"  # the header line only


def test_cgroup_namespace_hides_host_paths(box: Box) -> None:
    result = box.sh("cat /proc/self/cgroup")
    assert all(line.endswith(b":/") for line in result.stdout.splitlines())


def test_environment_is_clean(box: Box) -> None:
    result = box.run("/usr/bin/env", env={"GIVEN": "1"})
    assert sorted(result.stdout.decode().split()) == ["GIVEN=1", "HOME=/box", "LANG=C.UTF-8",
                                                      "PATH=/usr/local/bin:/usr/bin:/bin"]


def test_only_standard_descriptors_are_inherited(box: Box) -> None:
    result = box.python("import os; print(sorted(os.listdir('/proc/self/fd')))")
    assert result.stdout == b"['0', '1', '2', '3']\n"  # 3 is listdir's own directory


def test_stdin_is_dev_null_by_default_and_data_when_given(box: Box) -> None:
    assert box.run("/bin/cat").stdout == b""
    assert box.run("/bin/cat", stdin=b"given\n").stdout == b"given\n"


def test_stderr_can_join_stdout_in_order(box: Box) -> None:
    script = "echo one; echo two >&2; echo three"
    result = box.pool.run(Spec(["/bin/sh", "-c", script], box.tree, box.workdir, stderr_to_stdout=True))
    assert (result.stdout, result.stderr) == (b"one\ntwo\nthree\n", b"")
