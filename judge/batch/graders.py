"""Who grades: this machine's pipeline, or a server (the problem uploaded once, batch priority).
Either way a failure becomes an Outcome, retried once; it never stops the batch."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Protocol

import httpx

from judge.batch.outcome import Outcome
from judge.batch.solutions import Solution
from judge.client import Client, ServerError, Timeout
from judge.models import Submission
from judge.pipeline import Judge
from judge.problems import Problem

log = logging.getLogger(__name__)


class Grader(Protocol):
    def grade(self, solution: Solution) -> Outcome: ...


class LocalGrader:
    def __init__(self, judge: Judge, problem: Problem) -> None:
        self.judge, self.problem = judge, problem

    def grade(self, solution: Solution) -> Outcome:
        problem = self.problem
        submission = Submission(solution.source, solution.language_id, problem.tests, problem.limits, problem.checker,
                                problem.groups, stop_on_first_failure=problem.stop_on_first_failure)
        try:
            return Outcome.from_report(self.judge.judge(submission))
        except Exception as error:
            log.exception("grading %s failed", solution.name)
            return Outcome.failure(f"{type(error).__name__}: {error}")


class ServerGrader:
    def __init__(self, client: Client, problem_dir: Path) -> None:
        self.client = client
        self.problem_id = client.upload_problem(problem_dir)

    def grade(self, solution: Solution) -> Outcome:
        try:
            token = self.client.grade(self.problem_id, solution.source, solution.language_id, priority="batch")
            return Outcome.from_grading(self.client.wait_grading(token))
        except (ServerError, Timeout, httpx.HTTPError) as error:
            return Outcome.failure(f"{type(error).__name__}: {error}")


def grade_with_retry(grader: Grader, solution: Solution) -> Outcome:
    outcome = grader.grade(solution)
    if outcome.retryable:
        log.warning("%s: %s %s; trying once more", solution.name, outcome.verdict, outcome.message)
        outcome = grader.grade(solution)
    return outcome
