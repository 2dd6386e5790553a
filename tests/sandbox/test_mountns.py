"""Mount namespace: read-only rootfs, fresh /proc, minimal /dev, sized /tmp, /box, nothing else."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import sandbox
from sandbox import Spec
from tests.conftest import Box


def test_rootfs_is_read_only(box: Box) -> None:
    result = box.sh("touch /etc/x /usr/bin/x /x 2>&1; echo done")
    assert result.stdout.decode().count("Read-only file system") == 3


def test_cannot_remount_writable(box: Box) -> None:
    """The system calls themselves are refused, not just the mount(8) command."""
    code = ("import ctypes; libc = ctypes.CDLL(None, use_errno=True)\n"
            "for args in ((None, b'/', None, 0x20 | 0x1000, None), (b'none', b'/mnt', b'tmpfs', 0, None),\n"
            "             (b'/', b'/box/root', None, 0x1000, None)):\n"
            "    print(libc.mount(*args), ctypes.get_errno())\n"
            "try:\n open('/x', 'w')\nexcept OSError as e: print('write', e.errno)")
    result = box.python(code)
    assert result.stdout.decode().splitlines() == ["-1 1", "-1 1", "-1 1", "write 30"]  # EPERM, EROFS


def test_host_files_are_not_visible(box: Box, tmp_path: Path) -> None:
    secret = tmp_path / "judge-test-secret"
    secret.write_text("host secret")
    result = box.sh(f"cat {secret}; ls /work /var/lib/judge /etc/shadow")
    assert b"host secret" not in result.stdout + result.stderr
    assert result.stderr.count(b"No such file or directory") == 4, result.stderr


def test_proc_is_fresh_and_sys_is_absent(box: Box) -> None:
    result = box.sh("ls /sys | wc -l; ls /proc | grep -cE '^[0-9]+$'")
    sys_entries, processes = result.stdout.split()
    assert sys_entries == b"0"
    assert int(processes) <= 4  # the init, sh, ls, grep


def test_dev_is_minimal(box: Box) -> None:
    result = box.sh("ls /dev | tr '\\n' ' '; echo; head -c 4 /dev/zero | od -An -tx1; echo x > /dev/null && echo ok")
    names, zeros, ok = result.stdout.decode().split("\n")[:3]
    assert set(names.split()) == {"fd", "full", "null", "random", "stderr", "stdin", "stdout", "urandom", "zero"}
    assert zeros.split() == ["00"] * 4 and ok == "ok"
    assert box.sh("echo > /dev/shm/x").status == "RE"


def test_tmp_is_writable_and_limited(box: Box) -> None:
    result = box.sh("dd if=/dev/zero of=/tmp/fill bs=1M count=64; df -k /tmp | tail -1",
                    tmp_size=8 << 20, file_size=256 << 20)
    assert b"No space left on device" in result.stderr
    assert result.stdout.split()[-5] == b"8192"


def test_box_is_the_workdir_and_writable(box: Box) -> None:
    (box.workdir / "given.txt").write_text("from the host")
    result = box.sh("pwd; cat given.txt; echo back > made.txt")
    assert result.stdout == b"/box\nfrom the host"
    assert (box.workdir / "made.txt").read_text() == "back\n"


def test_box_is_nosuid_and_nodev(box: Box) -> None:
    result = box.sh("grep ' /box ' /proc/mounts")
    options = result.stdout.split()[3].split(b",")
    assert b"nosuid" in options and b"nodev" in options


def test_planted_symlink_resolves_inside_the_sandbox(box: Box, tmp_path: Path) -> None:
    """A link the program leaves in /box never leads a later run, or the sandbox, to host files."""
    marker = tmp_path / "host-only"
    marker.write_text("host file")
    box.sh(f"ln -s {marker} /box/link; ln -s / /box/root")
    result = box.sh("cat /box/link 2>&1; ls /box/root/ | grep -c judge-test")
    assert b"host file" not in result.stdout
    assert os.path.islink(box.workdir / "link")


def test_workdir_that_is_a_symlink_is_refused(pool: sandbox.SandboxPool, rootfs_tree: Path, tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    with pytest.raises(ValueError, match="workdir"):
        pool.run(Spec(["/bin/true"], rootfs_tree, tmp_path / "link"))
