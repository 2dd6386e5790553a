"""Compile once, run every test in a fresh sandbox over a copy of the compiled files (a sole run uses
them in place), check, grade."""

from __future__ import annotations

import contextlib
import statistics
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from judge import checkers, grading
from judge.checkers.custom import Checked, ProgramChecker
from judge.languages import Language, find
from judge.models import CheckerSpec, Report, Submission, TestCase, TestReport, Verdict
from sandbox import Limits, Result, SandboxPool, Spec
from sandbox.workdir import WorkDir

COPY_BUDGET = 256 << 20  # bytes of compiled files copied into each test's work directory


class Checker(Protocol):
    def check(self, test: TestCase, output: bytes) -> Checked: ...
    def close(self) -> None: ...


class CheckerUnusable(Exception):
    """The problem's custom checker does not compile: the judgement is an Internal Error."""


@dataclass(frozen=True)
class Judge:
    """Everything a judgement needs from the host: the rootfs, where work directories go, a pool."""

    rootfs: Path
    work_dir: Path
    pool: SandboxPool

    def judge(self, submission: Submission) -> Report:
        """Compile, run every test (or up to the first failure, when asked), check and grade.

        Raises:
            UnknownLanguage, WorkDirError: the submission is malformed.
            SandboxError: the host cannot sandbox; nothing was judged.
        """
        language = find(submission.language_id)
        with WorkDir(self.work_dir) as build:
            build.write(language.source_file, submission.source)
            for name, data in submission.additional_files.items():
                build.write(name, data)
            failure = self.compile(language, build, submission.compiler_options)
            if failure is not None:
                return failure
            try:
                checker = self.prepare_checker(submission.checker)
            except CheckerUnusable as error:
                return Report(Verdict.INTERNAL_ERROR, 0, 0, b"", (), str(error))
            try:
                tests = self._run_tests(language, build, submission, checker)
            finally:
                checker.close()
        score, maximum = grading.score(tests, submission.groups)
        if submission.groups:
            tests = tuple(replace(test, points=grading.group_points(test.name, tests, submission.groups))
                          for test in tests)
        return Report(grading.overall(tests), score, maximum, b"", tests)

    def compile(self, language: Language, build: WorkDir, options: tuple[str, ...]) -> Report | None:
        """None when there is nothing to compile or compiling worked; else the CE or IE report."""
        argv = language.compile_argv(options)
        if argv is None:
            return None
        result = self.run(argv, build, None, language.compile_limits, stderr_to_stdout=True)
        if result.status == "OK":
            return None
        if result.status == "XX":
            return Report(Verdict.INTERNAL_ERROR, 0, 0, b"", (), result.message)
        output = b"Compilation time limit exceeded." if result.status == "TLE" else result.stdout
        return Report(Verdict.COMPILATION_ERROR, 0, 0, output, (), result.message)

    def prepare_checker(self, spec: CheckerSpec) -> Checker:
        """Raises: CheckerUnusable: the custom checker does not compile."""
        if spec.name != "custom":
            return BuiltinChecker(spec)
        assert spec.source is not None and spec.source_name is not None
        language = find(spec.source_name)
        build = WorkDir(self.work_dir)
        build.write(language.source_file, spec.source)
        failure = self.compile(language, build, ("-O2",) if language.compile else ())
        if failure is not None:
            build.remove()
            raise CheckerUnusable(f"the custom checker does not compile: {failure.message} "
                                  f"{failure.compile_output.decode('utf-8', 'replace')[:500]}")
        return ProgramChecker(language, build, self.run, self.work_dir)

    def run(self, argv: list[str], box: WorkDir, stdin: bytes | None, limits: Limits,
            stderr_to_stdout: bool = False) -> Result:
        return self.pool.run(Spec(argv, self.rootfs, box.path, stdin=stdin, limits=limits,
                                  stderr_to_stdout=stderr_to_stdout))

    def _run_tests(self, language: Language, build: WorkDir, submission: Submission,
                   checker: Checker) -> tuple[TestReport, ...]:
        # A sole run (one test, run once, as most Judge0 submissions) has no run after it to keep the
        # compiled files pristine for: it runs in the build directory itself, saving a copy.
        sole_run = len(submission.tests) == 1 and submission.number_of_runs == 1
        reports = []
        for test in submission.tests:
            report = self._run_test(language, build, submission, test, checker, sole_run)
            reports.append(report)
            if submission.stop_on_first_failure and report.verdict is not Verdict.ACCEPTED:
                break
        return tuple(reports)

    def _run_test(self, language: Language, build: WorkDir, submission: Submission, test: TestCase,
                  checker: Checker, sole_run: bool) -> TestReport:
        """Judge0's number_of_runs: run up to N times, stop at the first failing run, average the figures."""
        runs: list[Result] = []
        for _ in range(submission.number_of_runs):
            with self._box(build, sole_run) as box:
                runs.append(self.run(language.run_argv(submission.arguments), box, test.stdin, submission.limits,
                                     submission.stderr_to_stdout))
            if grading.run_verdict(runs[-1]) is not None:
                break
        last = runs[-1]
        verdict = grading.run_verdict(last)
        checked = Checked(verdict, last.message) if verdict is not None else checker.check(test, last.stdout)
        return TestReport(test.name, checked.verdict, statistics.fmean(r.cpu_time for r in runs),
                          statistics.fmean(r.wall_time for r in runs), round(statistics.fmean(r.memory for r in runs)),
                          last.exit_code, last.signal, last.stdout, last.stderr, checked.message)

    @contextlib.contextmanager
    def _box(self, build: WorkDir, sole_run: bool) -> Iterator[WorkDir]:
        """A fresh copy of the compiled files, removed after; the build directory itself for a sole run."""
        if sole_run:
            yield build
            return
        with WorkDir(self.work_dir) as box:
            box.copy_from(build, COPY_BUDGET)
            yield box


class BuiltinChecker:
    def __init__(self, spec: CheckerSpec) -> None:
        self.spec = spec

    def check(self, test: TestCase, output: bytes) -> Checked:
        if test.expected is None:
            return Checked(Verdict.ACCEPTED)
        result = checkers.check(self.spec, output, test.expected)
        return Checked(Verdict.ACCEPTED if result.ok else Verdict.WRONG_ANSWER, result.message)

    def close(self) -> None:
        pass
