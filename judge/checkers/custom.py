"""The `custom` checker: a testlib-style program, compiled once per judgement and run in the sandbox
as `checker input.txt output.txt expected.txt` (testlib's order: input, output, answer).
Exit 0 accepts, 1 (wrong answer) and 2 (presentation error) reject, anything else is the checker's
own failure and so an Internal Error. What it prints on stderr (or stdout) is the test's message."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from judge.languages import Language
from judge.models import TestCase, Verdict
from sandbox import Limits, Result
from sandbox.workdir import WorkDir

CHECKER_LIMITS = Limits(cpu_time=10, wall_time=20, memory=512 << 20, output=64 << 10)
FILES = ("input.txt", "output.txt", "expected.txt")
TESTLIB_EXIT = {0: Verdict.ACCEPTED, 1: Verdict.WRONG_ANSWER, 2: Verdict.WRONG_ANSWER}
COPY_BUDGET = 256 << 20

Runner = Callable[[list[str], WorkDir, "bytes | None", Limits], Result]


@dataclass(frozen=True)
class Checked:
    verdict: Verdict
    message: str = ""


class ProgramChecker:
    def __init__(self, language: Language, build: WorkDir, run: Runner, work_dir: Path) -> None:
        self.language, self.build, self.run, self.work_dir = language, build, run, work_dir

    def check(self, test: TestCase, output: bytes) -> Checked:
        with WorkDir(self.work_dir) as box:
            box.copy_from(self.build, COPY_BUDGET)
            for name, data in zip(FILES, (test.stdin, output, test.expected or b""), strict=True):
                box.write(name, data)
            result = self.run(self.language.run_argv(FILES), box, None, CHECKER_LIMITS)
        said = (result.stderr or result.stdout).decode("utf-8", "replace").strip()[:500]
        if result.status in ("OK", "RE") and result.exit_code in TESTLIB_EXIT:
            return Checked(TESTLIB_EXIT[result.exit_code], said)
        return Checked(Verdict.INTERNAL_ERROR,
                       f"the checker failed ({result.status}, exit {result.exit_code}): {said or result.message}")

    def close(self) -> None:
        self.build.remove()
