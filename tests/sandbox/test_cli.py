"""`python -m sandbox`: JSON out, exit status by who failed."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path


def sandbox_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sandbox", *args], capture_output=True, text=True, timeout=60)


def test_runs_and_prints_json(rootfs_tree: Path) -> None:
    done = sandbox_cli("--rootfs", str(rootfs_tree), "--memory", "64M", "--output", "1K", "--",
                       "/bin/sh", "-c", "echo hi; printf '\\377' >&2; exit 3")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert (result["status"], result["exit_code"], result["stdout"]) == ("RE", 3, "hi\n")
    assert result["stderr_encoding"] == "base64" and base64.b64decode(result["stderr"]) == b"\xff"


def test_stdin_file_and_limits(rootfs_tree: Path, tmp_path: Path) -> None:
    (tmp_path / "in.txt").write_text("from a file\n")
    done = sandbox_cli("--rootfs", str(rootfs_tree), "--stdin", str(tmp_path / "in.txt"), "--wall-time", "0.3",
                       "--", "/bin/sh", "-c", "cat; sleep 5")
    result = json.loads(done.stdout)
    assert result["stdout"] == "from a file\n" and result["status"] == "TLE"


def test_sandbox_failure_exits_2(rootfs_tree: Path) -> None:
    done = sandbox_cli("--rootfs", str(rootfs_tree), "--", "/no/such/program")
    assert done.returncode == 2 and json.loads(done.stdout)["status"] == "XX"


def test_bad_usage_exits_2(rootfs_tree: Path) -> None:
    done = sandbox_cli("--rootfs", str(rootfs_tree), "--memory", "lots", "--", "/bin/true")
    assert done.returncode == 2 and "not a size" in done.stderr


def test_doctor_passes_here(rootfs_tree: Path) -> None:
    done = sandbox_cli("--rootfs", str(rootfs_tree), "doctor")
    assert done.returncode == 0, done.stdout
    assert "✓ sandboxed run" in done.stdout and "✗" not in done.stdout
