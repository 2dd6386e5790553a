"""Grading is pure: sandbox results and checker answers in, verdicts and a score out."""

from __future__ import annotations

from collections.abc import Sequence

from judge.models import Group, TestReport, Verdict
from sandbox import Result

FROM_STATUS = {"XX": Verdict.INTERNAL_ERROR, "TLE": Verdict.TIME_LIMIT, "MLE": Verdict.MEMORY_LIMIT,
               "OLE": Verdict.OUTPUT_LIMIT, "SG": Verdict.RUNTIME_ERROR, "RE": Verdict.RUNTIME_ERROR}
# The overall verdict: any internal error first (the result cannot be trusted), then the first failing
# test in test order, the way contestants read a report; accepted only when every test is.
SUBMISSION_LEVEL = (Verdict.INTERNAL_ERROR,)


def run_verdict(result: Result) -> Verdict | None:
    """The verdict a run earns by itself, or None when it ended cleanly and its output must be checked."""
    return FROM_STATUS.get(result.status)


def overall(tests: Sequence[TestReport]) -> Verdict:
    for verdict in SUBMISSION_LEVEL:
        if any(test.verdict is verdict for test in tests):
            return verdict
    return next((test.verdict for test in tests if test.verdict is not Verdict.ACCEPTED), Verdict.ACCEPTED)


def score(tests: Sequence[TestReport], groups: Sequence[Group]) -> tuple[float, float]:
    """(score, maximum): tests passed out of all, or the points of the groups whose tests all passed."""
    if not groups:
        return float(sum(test.verdict is Verdict.ACCEPTED for test in tests)), float(len(tests))
    verdicts = {test.name: test.verdict for test in tests}
    earned = sum(group.points for group in groups
                 if all(verdicts.get(name) is Verdict.ACCEPTED for name in group.tests))
    return earned, sum(group.points for group in groups)


def group_points(test: str, tests: Sequence[TestReport], groups: Sequence[Group]) -> float:
    """Points shown against one test: its group's points when the whole group passed."""
    verdicts = {report.name: report.verdict for report in tests}
    return sum(group.points for group in groups if test in group.tests
               and all(verdicts.get(name) is Verdict.ACCEPTED for name in group.tests))
