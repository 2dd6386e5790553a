"""`judge run`: what a CI job runs. Exit 0 accepted, 1 otherwise, 2 on usage or internal errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

PROBLEMS = Path(__file__).parent / "problems"
JUDGE0_KEYS = {"status", "stdout", "stderr", "compile_output", "exit_code", "exit_signal", "time", "wall_time",
               "memory", "message"}


def judge_run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "judge.cli", "run", *args], capture_output=True, text=True,
                          timeout=120)


@pytest.fixture
def files(tmp_path: Path, rootfs_tree: Path) -> Path:
    (tmp_path / "sum.py").write_text("a, b = map(int, input().split())\nprint(a + b)\n")
    (tmp_path / "in.txt").write_text("2 3\n")
    (tmp_path / "good.txt").write_text("5\n")
    (tmp_path / "bad.txt").write_text("6\n")
    (tmp_path / "loop.c").write_text("int main(void) { for (;;); }\n")
    (tmp_path / "broken.cpp").write_text("int main() { return }\n")
    (tmp_path / "area.py").write_text("import math\nprint(math.pi * float(input()) ** 2)\n")
    return tmp_path


def test_accepted_exits_0(files: Path) -> None:
    done = judge_run(str(files / "sum.py"), "--stdin", str(files / "in.txt"), "--expected", str(files / "good.txt"))
    assert done.returncode == 0, done.stderr
    assert "Accepted" in done.stdout and "AC" in done.stdout


def test_clean_run_without_expected_output_exits_0(files: Path) -> None:
    done = judge_run(str(files / "sum.py"), "--stdin", str(files / "in.txt"))
    assert done.returncode == 0 and "5" in done.stdout


def test_wrong_answer_exits_1(files: Path) -> None:
    done = judge_run(str(files / "sum.py"), "--stdin", str(files / "in.txt"), "--expected", str(files / "bad.txt"))
    assert done.returncode == 1 and "Wrong Answer" in done.stdout


def test_json_has_judge0_fields_and_our_verdict(files: Path) -> None:
    done = judge_run(str(files / "sum.py"), "--stdin", str(files / "in.txt"), "--expected", str(files / "good.txt"),
                     "--json")
    result = json.loads(done.stdout)
    assert set(result) >= JUDGE0_KEYS and result["verdict"] == "AC"
    assert result["status"] == {"id": 3, "description": "Accepted"} and result["stdout"] == "5\n"
    assert isinstance(result["memory"], int) and result["memory"] < 1 << 20  # kilobytes


def test_problem_gives_per_test_results(files: Path) -> None:
    done = judge_run(str(files / "area.py"), "--problem", str(PROBLEMS / "circle-area"), "--json")
    result = json.loads(done.stdout)
    assert done.returncode == 0 and result["verdict"] == "AC"
    assert [test["name"] for test in result["tests"]] == ["1", "2", "3"]
    assert all(test["verdict"] == "AC" and test["status"]["id"] == 3 for test in result["tests"])


def test_limits_from_the_command_line(files: Path) -> None:
    done = judge_run(str(files / "loop.c"), "--time-limit", "0.3", "--json")
    assert done.returncode == 1 and json.loads(done.stdout)["verdict"] == "TLE"


def test_compilation_error_shows_the_compiler(files: Path) -> None:
    done = judge_run(str(files / "broken.cpp"))
    assert done.returncode == 1 and "Compilation Error" in done.stdout and "expected" in done.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["missing.py"], "no such source file"),
    (["{files}/in.txt"], "unknown language"),
    (["{files}/sum.py", "--lang", "cobol"], "unknown language 'cobol'"),
    (["{files}/sum.py", "--memory-limit", "lots"], "not a size"),
    (["{files}/sum.py", "--problem", "{files}"], "no tests/ directory"),
])
def test_usage_errors_exit_2(files: Path, args: list[str], message: str) -> None:
    done = judge_run(*(arg.format(files=files) for arg in args))
    assert done.returncode == 2 and message in done.stderr, done.stderr
