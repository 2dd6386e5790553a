"""The pipeline end to end on the real sandbox: compile once, isolated tests, argv safety, options."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from judge import models
from judge.languages import UnknownLanguage
from judge.models import CheckerSpec, Submission, Verdict
from judge.pipeline import Judge
from sandbox import Limits, Result, SandboxPool, Spec

C, PYTHON = 50, 71


class CountingPool(SandboxPool):
    """A real pool that also records the argv of every run."""

    def __init__(self) -> None:
        super().__init__()
        self.argvs: list[tuple[str, ...]] = []

    def run(self, spec: Spec) -> Result:
        self.argvs.append(spec.argv)
        return super().run(spec)


def cases(*pairs: tuple[str, str | None]) -> tuple[models.TestCase, ...]:
    return tuple(models.TestCase(str(i), given.encode(), None if expected is None else expected.encode())
                 for i, (given, expected) in enumerate(pairs, start=1))


def test_compiles_once_and_runs_each_test(judge: Judge, tmp_path: Path) -> None:
    pool = CountingPool()
    counting = Judge(judge.rootfs, tmp_path, pool)
    source = b"#include <stdio.h>\nint main(void) { int x; scanf(\"%d\", &x); printf(\"%d\\n\", 2 * x); }\n"
    report = counting.judge(Submission(source, C, cases(("1", "2"), ("2", "4"), ("3", "7"))))
    pool.close()
    assert [t.verdict for t in report.tests] == [Verdict.ACCEPTED, Verdict.ACCEPTED, Verdict.WRONG_ANSWER]
    assert [argv[0] for argv in pool.argvs] == ["/usr/bin/gcc", "./a.out", "./a.out", "./a.out"]
    assert (report.verdict, report.score, report.max_score) == (Verdict.WRONG_ANSWER, 2, 3)


def test_each_test_starts_from_the_compiled_files_alone(judge: Judge) -> None:
    """A test that deletes the program and leaves files behind does not affect the next one."""
    source = (b"import os\nprint(sorted(os.listdir('.')))\n"
              b"open('left-behind', 'w').write('x'); os.remove('script.py')\n")
    report = judge.judge(Submission(source, PYTHON, cases(("", None), ("", None))))
    assert [t.stdout for t in report.tests] == [b"['script.py']\n", b"['script.py']\n"]


def test_planted_links_and_fifos_are_not_followed(judge: Judge) -> None:
    """Judge0's 2024 escapes: host code following a link the program planted. Every test copies the
    compiled files without following links, and skips FIFOs instead of blocking on them."""
    target = Path("/root/judge-test-target")
    target.write_text("untouched")
    source = (b"import os\n"
              b"os.symlink('/root/judge-test-target', 'script.py.link')\n"
              b"os.mkfifo('fifo')\n"
              b"print(sorted(os.listdir('.')))\n")
    report = judge.judge(Submission(source, PYTHON, cases(("", None), ("", None))))
    try:
        assert report.tests[1].stdout == b"['fifo', 'script.py', 'script.py.link']\n"
        assert target.read_text() == "untouched"
    finally:
        target.unlink()


def test_a_sole_run_in_the_build_directory_leaves_nothing_and_follows_nothing(judge: Judge) -> None:
    """One test run once uses the compiled files in place: what it plants is removed, not followed."""
    target = Path("/root/judge-test-target")
    target.write_text("untouched")
    source = b"import os\nos.symlink('/root/judge-test-target', 'link')\nos.mkfifo('fifo')\nprint('planted')\n"
    try:
        report = judge.judge(Submission(source, PYTHON, cases(("", None))))
        assert report.tests[0].stdout == b"planted\n"
        assert target.read_text() == "untouched" and os.listdir(judge.work_dir) == []
    finally:
        target.unlink()


def test_options_and_arguments_are_never_shell_words(judge: Judge) -> None:
    source = (b"#include <stdio.h>\n"
              b"int main(int c, char **v) { for (int i = 1; i < c; i++) printf(\"[%s]\", v[i]); puts(WHO); }\n")
    weird = ("two words", "$(id)", "line\nbreak", ";ls")
    report = judge.judge(Submission(source, C, cases(("", None)), compiler_options=('-DWHO="$(whoami)"',),
                                    arguments=weird))
    assert report.verdict is Verdict.ACCEPTED, report
    assert report.tests[0].stdout == b"[two words][$(id)][line\nbreak][;ls]$(whoami)\n"


def test_compilation_error_keeps_the_compiler_output(judge: Judge) -> None:
    report = judge.judge(Submission(b"int main(void) { return x; }\n", C, cases(("", ""))))
    assert report.verdict is Verdict.COMPILATION_ERROR and report.tests == ()
    assert b"undeclared" in report.compile_output and b"main.c:1:" in report.compile_output


def test_stop_on_first_failure(judge: Judge) -> None:
    submission = Submission(b"print(input())\n", PYTHON, cases(("a", "a"), ("b", "x"), ("c", "c")))
    assert len(judge.judge(submission).tests) == 3
    from dataclasses import replace

    report = judge.judge(replace(submission, stop_on_first_failure=True))
    assert [t.verdict for t in report.tests] == [Verdict.ACCEPTED, Verdict.WRONG_ANSWER]


def test_number_of_runs_averages_and_stops_at_a_failure(judge: Judge) -> None:
    source = b"import os, sys\nsys.exit(0 if not os.path.exists('/tmp/x') else 1)\n"
    report = judge.judge(Submission(source, PYTHON, cases(("", None)), number_of_runs=3))
    assert report.verdict is Verdict.ACCEPTED and report.tests[0].cpu_time > 0


def test_additional_files_and_stderr_to_stdout(judge: Judge) -> None:
    source = b"import helper, sys\nprint(helper.VALUE, flush=True)\nprint('to stderr', file=sys.stderr)\n"
    report = judge.judge(Submission(source, PYTHON, cases(("", None)), additional_files={"helper.py": b"VALUE = 7\n"},
                                    stderr_to_stdout=True))
    assert report.tests[0].stdout == b"7\nto stderr\n" and report.tests[0].stderr == b""


def test_additional_file_names_cannot_escape(judge: Judge) -> None:
    with pytest.raises(ValueError, match="relative path"):
        judge.judge(Submission(b"print(1)", PYTHON, cases(("", None)), additional_files={"../x": b""}))


def test_unknown_language(judge: Judge) -> None:
    with pytest.raises(UnknownLanguage):
        judge.judge(Submission(b"", 9999, cases(("", None))))


def test_custom_checker_that_does_not_compile_is_an_internal_error(judge: Judge) -> None:
    checker = CheckerSpec("custom", {}, b"int main( {", "checker.c")
    report = judge.judge(Submission(b"print(1)", PYTHON, cases(("", "1")), checker=checker))
    assert report.verdict is Verdict.INTERNAL_ERROR and "does not compile" in report.message


def test_crashing_custom_checker_is_an_internal_error(judge: Judge) -> None:
    checker = CheckerSpec("custom", {}, b"import sys\nsys.exit(3)\n", "checker.py")
    report = judge.judge(Submission(b"print(1)", PYTHON, cases(("", "1")), checker=checker))
    assert report.verdict is Verdict.INTERNAL_ERROR and "checker failed" in report.tests[0].message


def test_limits_apply_per_test(judge: Judge) -> None:
    report = judge.judge(Submission(b"import time; time.sleep(5)", PYTHON, cases(("", None)),
                                    limits=Limits(wall_time=0.3)))
    assert report.verdict is Verdict.TIME_LIMIT and report.tests[0].wall_time < 0.5


def test_work_directories_are_removed(judge: Judge) -> None:
    judge.judge(Submission(b"import os; os.makedirs('a/b'); os.chmod('a', 0)", PYTHON, cases(("", None))))
    assert os.listdir(judge.work_dir) == []
