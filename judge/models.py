"""The judging domain's types: what to judge (Submission, TestCase) and what was decided (Report)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from sandbox import Limits


class Verdict(StrEnum):
    ACCEPTED = "AC"
    WRONG_ANSWER = "WA"
    TIME_LIMIT = "TLE"
    MEMORY_LIMIT = "MLE"
    OUTPUT_LIMIT = "OLE"
    RUNTIME_ERROR = "RE"
    COMPILATION_ERROR = "CE"
    INTERNAL_ERROR = "IE"

    @property
    def description(self) -> str:
        return DESCRIPTIONS[self]


DESCRIPTIONS = {
    Verdict.ACCEPTED: "Accepted", Verdict.WRONG_ANSWER: "Wrong Answer", Verdict.TIME_LIMIT: "Time Limit Exceeded",
    Verdict.MEMORY_LIMIT: "Memory Limit Exceeded", Verdict.OUTPUT_LIMIT: "Output Limit Exceeded",
    Verdict.RUNTIME_ERROR: "Runtime Error", Verdict.COMPILATION_ERROR: "Compilation Error",
    Verdict.INTERNAL_ERROR: "Internal Error",
}


@dataclass(frozen=True)
class TestCase:
    """One test: its input, and the expected output when there is one to compare with."""

    name: str
    stdin: bytes = b""
    expected: bytes | None = None


@dataclass(frozen=True)
class Group:
    """Tests scored together: the group's points are earned only when all its tests pass."""

    name: str
    points: float
    tests: tuple[str, ...]


@dataclass(frozen=True)
class CheckerSpec:
    """A checker chosen by name, with its parameters (validated when the problem loads)."""

    name: str = "lines"
    params: dict[str, float] = field(default_factory=dict)
    source: bytes | None = None  # the custom checker's program
    source_name: str | None = None  # its file name, whose extension picks the language


@dataclass(frozen=True)
class Submission:
    source: bytes
    language_id: int
    tests: tuple[TestCase, ...]
    limits: Limits = field(default_factory=Limits)
    checker: CheckerSpec = field(default_factory=CheckerSpec)
    groups: tuple[Group, ...] = ()
    compiler_options: tuple[str, ...] = ()
    arguments: tuple[str, ...] = ()
    additional_files: dict[str, bytes] = field(default_factory=dict)
    stderr_to_stdout: bool = False
    stop_on_first_failure: bool = False
    number_of_runs: int = 1


@dataclass(frozen=True)
class TestReport:
    name: str
    verdict: Verdict
    cpu_time: float
    wall_time: float
    memory: int
    exit_code: int | None
    signal: int | None
    stdout: bytes
    stderr: bytes
    message: str = ""
    points: float = 0.0


@dataclass(frozen=True)
class Report:
    verdict: Verdict
    score: float
    max_score: float
    compile_output: bytes
    tests: tuple[TestReport, ...]
    message: str = ""

    @property
    def cpu_time(self) -> float:
        return max((test.cpu_time for test in self.tests), default=0.0)

    @property
    def wall_time(self) -> float:
        return max((test.wall_time for test in self.tests), default=0.0)

    @property
    def memory(self) -> int:
        return max((test.memory for test in self.tests), default=0)
