"""The YAML suite: submissions per language, each with the verdict it must earn (tests/judge/suite)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from judge import judge0, models
from judge.models import Submission, Verdict
from judge.pipeline import Judge
from judge.problems import load_problem
from sandbox import Limits

HERE = Path(__file__).parent
CASES = [(suite["language"], case) for path in sorted((HERE / "suite").glob("*.yaml"))
         for suite in [yaml.safe_load(path.read_text())] for case in suite["cases"]]


def submission_for(language: int, case: dict[str, Any]) -> Submission:
    if "problem" in case:
        problem = load_problem(HERE / "problems" / case["problem"])
        return Submission(case["source"].encode(), language, problem.tests, problem.limits, problem.checker,
                          problem.groups)
    tests = tuple(models.TestCase(str(i), t["stdin"].encode(), t["expected"].encode())
                  for i, t in enumerate(case.get("tests", [{"stdin": "", "expected": None}]), start=1)
                  if t["expected"] is not None) or (models.TestCase("1"),)
    limits = Limits(**{"wall_time": 10.0, **case.get("limits", {})})
    return Submission(case["source"].encode(), language, tests, limits)


@pytest.mark.parametrize(("language", "case"), CASES, ids=[f"{lang}-{case['name']}" for lang, case in CASES])
def test_case(judge: Judge, language: int, case: dict[str, Any]) -> None:
    report = judge.judge(submission_for(language, case))
    assert report.verdict is Verdict(case["verdict"]), report
    deciding = judge0.deciding_test(report)
    if "judge0" in case:
        assert judge0.report_fields(report)["status"] == judge0.status(case["judge0"])
    if "exit_code" in case:
        assert deciding is not None and deciding.exit_code == case["exit_code"]
    if "signal" in case:
        assert deciding is not None and deciding.signal == case["signal"]
    if "score" in case:
        assert report.score == case["score"]
    if "compile_output_contains" in case:
        assert case["compile_output_contains"].encode() in report.compile_output
    if "stderr_contains" in case:
        assert deciding is not None and case["stderr_contains"].encode() in deciding.stderr
    if "message_contains" in case:
        assert deciding is not None and case["message_contains"] in deciding.message
