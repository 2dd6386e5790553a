"""`judge batch`: reports in three formats, resumable, errors reported not fatal, through a server too."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from judge.batch.graders import LocalGrader
from judge.batch.outcome import Outcome
from judge.batch.run import run_batch
from judge.batch.solutions import Solution, discover
from judge.batch.state import BatchState
from judge.pipeline import Judge
from judge.problem_codec import content_hash
from judge.problems import load_problem
from tests.service.conftest import Api

PROBLEMS = Path(__file__).parent.parent / "judge" / "problems"
RIGHT = "import math\nprint(math.pi * float(input()) ** 2)\n"
ROUGH = "print(3.14 * float(input()) ** 2)\n"


@pytest.fixture
def classroom(tmp_path: Path) -> Path:
    """Three students (one per directory, one with two source files) and a loose file."""
    for student, files in {"alice": {"area.py": RIGHT}, "bob": {"area.py": ROUGH},
                           "carol": {"a.py": RIGHT, "b.c": "int main(){}"}}.items():
        (tmp_path / student).mkdir()
        for name, text in files.items():
            (tmp_path / student / name).write_text(text)
    (tmp_path / "dave.c").write_text('#include <stdio.h>\n#include <math.h>\n'
                                     'int main(void){double r;scanf("%lf",&r);printf("%.9f\\n",M_PI*r*r);}\n')
    return tmp_path


def judge_batch(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "judge.cli", "batch", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=300)


def test_reports_in_every_format(classroom: Path, rootfs_tree: Path) -> None:
    students = ["alice", "bob", "carol", "dave.c"]
    done = judge_batch(str(PROBLEMS / "circle-area"), *students, "--local", "--out", "report.csv", cwd=classroom)
    assert done.returncode == 1, done.stderr  # not everyone passed
    rows = list(csv.DictReader((classroom / "report.csv").open()))
    assert [(r["solution"], r["verdict"], r["score"]) for r in rows] == [
        ("alice", "AC", "3.0"), ("bob", "WA", "0.0"), ("carol", "ERROR", "0.0"), ("dave.c", "AC", "3.0")]
    assert rows[1]["1"] == "WA" and rows[0]["3"] == "AC"
    assert "carol: expected one source file" not in done.stdout  # the reason goes to the reports
    judge_batch(str(PROBLEMS / "circle-area"), *students, "--local", "--out", "report.json", cwd=classroom)
    report = json.loads((classroom / "report.json").read_text())
    assert report["tests"] == ["1", "2", "3"] and "expected one source file" in report["solutions"][2]["message"]
    judge_batch(str(PROBLEMS / "circle-area"), *students, "--local", "--out", "report.xml", cwd=classroom)
    suites = ElementTree.parse(classroom / "report.xml").getroot().findall("testsuite")
    assert [(s.get("name"), s.get("tests"), s.get("failures")) for s in suites] == [
        ("alice", "3", "0"), ("bob", "3", "3"), ("carol", "1", "0"), ("dave.c", "3", "0")]
    assert suites[2].find("testcase/error") is not None
    assert "Accepted" in done.stdout and "scores (share of the maximum)" in done.stdout


class Counting(LocalGrader):
    graded: list[str] = []

    def grade(self, solution: Solution) -> Outcome:
        Counting.graded.append(solution.name)
        return super().grade(solution)


def test_rerun_skips_what_is_done_and_changed_tests_regrade(classroom: Path, judge: Judge) -> None:
    problem_dir = classroom / "problem"
    shutil.copytree(PROBLEMS / "circle-area", problem_dir)
    solutions = discover([classroom / "alice", classroom / "bob"])
    grader = Counting(judge, load_problem(problem_dir))
    Counting.graded.clear()
    state = BatchState(classroom / "out.state.json", content_hash(grader.problem))
    run_batch(solutions, grader, state, 2, False, lambda *_: None)
    run_batch(solutions + discover([classroom / "dave.c"]), grader, state, 2, False, lambda *_: None)
    assert sorted(Counting.graded) == ["alice", "bob", "dave.c"]
    (problem_dir / "tests" / "4.in").write_text("1\n")
    (problem_dir / "tests" / "4.out").write_text("3.141592653589793\n")
    changed = load_problem(problem_dir)
    state = BatchState(classroom / "out.state.json", content_hash(changed))
    run_batch(state.stored_solutions(), Counting(judge, changed), state, 2, False, lambda *_: None)
    assert sorted(Counting.graded) == ["alice", "alice", "bob", "bob", "dave.c", "dave.c"]
    assert len(state.outcomes()) == 3 and all(len(outcome.tests) == 4 for _, outcome in state.outcomes())


def test_interrupted_batch_keeps_what_finished(classroom: Path, rootfs_tree: Path) -> None:
    slow = classroom / "slow"
    slow.mkdir()
    for index in range(12):
        (slow / f"s{index}.py").write_text(f"import time; time.sleep(0.4)  # {index}\nprint(0)\n")
    args = [sys.executable, "-m", "judge.cli", "batch", str(PROBLEMS / "circle-area"),
            *(str(p) for p in sorted(slow.iterdir())), "--local", "--jobs", "1", "--out", str(classroom / "r.json")]
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=classroom)
    state_file = classroom / "r.state.json"
    deadline = time.monotonic() + 60
    while not (state_file.exists() and len(json.loads(state_file.read_text())) >= 2):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    process.send_signal(signal.SIGINT)
    out, _ = process.communicate(timeout=60)
    kept = len(json.loads(state_file.read_text()))
    assert "interrupted" in out and 2 <= kept < 12
    done = subprocess.run(args, capture_output=True, text=True, cwd=classroom, timeout=300)
    assert len(json.loads((classroom / "r.json").read_text())["solutions"]) == 12, done.stderr
    assert f"{12}/12" in done.stdout


def test_through_a_server(classroom: Path, shared_service: Api) -> None:
    done = judge_batch(str(PROBLEMS / "circle-area"), "alice", "bob", "dave.c", "--server", shared_service.url,
                       "--out", "server.json", cwd=classroom)
    report = json.loads((classroom / "server.json").read_text())
    assert [(s["name"], s["verdict"]) for s in report["solutions"]] == [("alice", "AC"), ("bob", "WA"), ("dave.c", "AC")]
    assert done.returncode == 1


def test_server_failures_are_reported_not_fatal(classroom: Path, shared_service: Api) -> None:
    (classroom / "huge.py").write_text("x" * (2 << 20))  # over the server's source size cap
    done = judge_batch(str(PROBLEMS / "circle-area"), "alice", "huge.py", "--server", shared_service.url,
                       "--out", "f.json", cwd=classroom)
    report = json.loads((classroom / "f.json").read_text())
    assert [s["verdict"] for s in report["solutions"]] == ["AC", "ERROR"]
    assert "source_code is too long" in report["solutions"][1]["message"] and done.returncode == 1


def test_unreachable_server_is_a_clear_error(classroom: Path) -> None:
    done = judge_batch(str(PROBLEMS / "circle-area"), "alice", "--server", "http://127.0.0.1:9", cwd=classroom)
    assert done.returncode == 2 and "error:" in done.stderr


os.environ.setdefault("COLUMNS", "120")
