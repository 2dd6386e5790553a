"""Verdict precedence and scores."""

from __future__ import annotations

from judge import grading, models
from judge.models import Group, Verdict
from sandbox import Result

AC, WA, TLE, IE = Verdict.ACCEPTED, Verdict.WRONG_ANSWER, Verdict.TIME_LIMIT, Verdict.INTERNAL_ERROR


def report(name: str, verdict: Verdict) -> models.TestReport:
    return models.TestReport(name, verdict, 0.1, 0.1, 1 << 20, 0, None, b"", b"")


def test_run_verdict_from_status() -> None:
    def result(status: str) -> Result:
        return Result(status, 0, None, b"", b"", 0, 0, 0)  # type: ignore[arg-type]
    expected = {"OK": None, "RE": Verdict.RUNTIME_ERROR, "SG": Verdict.RUNTIME_ERROR, "TLE": TLE,
                "MLE": Verdict.MEMORY_LIMIT, "OLE": Verdict.OUTPUT_LIMIT, "XX": IE}
    for status, verdict in expected.items():
        assert grading.run_verdict(result(status)) is verdict


def test_overall_is_the_first_failure_in_test_order() -> None:
    assert grading.overall([report("1", AC), report("2", TLE), report("3", WA)]) is TLE
    assert grading.overall([report("1", AC), report("2", AC)]) is AC
    assert grading.overall([]) is AC


def test_internal_error_outranks_everything() -> None:
    assert grading.overall([report("1", WA), report("2", IE)]) is IE


def test_score_by_tests_and_by_groups() -> None:
    tests = [report("1", AC), report("2", WA), report("3", AC), report("4", AC)]
    assert grading.score(tests, []) == (3.0, 4.0)
    groups = [Group("a", 30, ("1", "2")), Group("b", 70, ("3", "4"))]
    assert grading.score(tests, groups) == (70.0, 100.0)
    assert grading.group_points("3", tests, groups) == 70 and grading.group_points("1", tests, groups) == 0
