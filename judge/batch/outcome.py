"""One solution's grading, in the same shape whether it was graded here or by a server."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from judge.client import Grading
from judge.models import Report, Verdict


@dataclass(frozen=True)
class TestOutcome:
    name: str
    verdict: str
    time: float
    memory: int  # KB
    message: str | None = None
    points: float = 0.0


@dataclass(frozen=True)
class Outcome:
    verdict: str  # AC WA TLE MLE OLE RE CE IE, or "ERROR" when it could not be graded at all
    score: float = 0.0
    max_score: float = 0.0
    message: str = ""
    compile_output: str = ""
    tests: tuple[TestOutcome, ...] = field(default=())

    @property
    def time(self) -> float:
        return max((test.time for test in self.tests), default=0.0)

    @property
    def memory(self) -> int:
        return max((test.memory for test in self.tests), default=0)

    @property
    def retryable(self) -> bool:
        return self.verdict in ("IE", "ERROR")

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Outcome:
        return cls(**{**data, "tests": tuple(TestOutcome(**test) for test in data.get("tests", []))})

    @classmethod
    def from_report(cls, report: Report) -> Outcome:
        tests = tuple(TestOutcome(t.name, t.verdict.value, round(t.cpu_time, 3), t.memory // 1024, t.message or None,
                                  t.points) for t in report.tests)
        return cls(report.verdict.value, report.score, report.max_score, report.message,
                   report.compile_output.decode("utf-8", "replace"), tests)

    @classmethod
    def from_grading(cls, grading: Grading) -> Outcome:
        tests = tuple(TestOutcome(t.name, t.verdict, t.time, t.memory, t.message, t.points) for t in grading.tests)
        return cls(grading.verdict or "IE", grading.score or 0.0, grading.max_score or 0.0, grading.message or "",
                   grading.compile_output or "", tests)

    @classmethod
    def failure(cls, message: str) -> Outcome:
        return cls("ERROR", message=message)


def describe(verdict: str) -> str:
    names = {"ERROR": "Not graded"}
    try:
        return names.get(verdict) or Verdict(verdict).description
    except ValueError:
        return verdict
