"""`judge run SOURCE`: judge one source file right here, no queue, no server (what a CI job runs).

Exit status: 0 accepted (or a clean run with nothing to compare), 1 otherwise, 2 on a usage or
internal error.
"""

from __future__ import annotations

import argparse
import base64
import json
import shlex
from dataclasses import replace
from pathlib import Path

from rich.console import Console
from rich.table import Table

from judge import judge0
from judge.config import settings
from judge.languages import find
from judge.local import local_judge
from judge.models import Report, Submission, TestCase, Verdict
from judge.problems import load_problem
from sandbox import Limits
from sandbox.units import parse_size

COLOURS = {Verdict.ACCEPTED: "green", Verdict.WRONG_ANSWER: "red", Verdict.COMPILATION_ERROR: "yellow",
           Verdict.INTERNAL_ERROR: "magenta"}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("run", help="judge one source file here, without a server")
    parser.add_argument("source", type=Path)
    parser.add_argument("--lang", help="language id or name (default: from the file extension)")
    parser.add_argument("--stdin", type=Path, help="input file (without --problem)")
    parser.add_argument("--expected", type=Path, help="expected output file (without --problem)")
    parser.add_argument("--problem", type=Path, help="problem directory: tests/*.in, tests/*.out, problem.toml")
    parser.add_argument("--time-limit", type=float, help="CPU seconds per test")
    parser.add_argument("--wall-time-limit", type=float, help="seconds per test")
    parser.add_argument("--memory-limit", type=_size, help="e.g. 256M")
    parser.add_argument("--processes", type=int, help="processes and threads")
    parser.add_argument("--output-limit", type=_size, help="per stream, e.g. 64K")
    parser.add_argument("--compiler-options", default="", help="split like a shell would, never run by one")
    parser.add_argument("--args", default="", help="command-line arguments for the program")
    parser.add_argument("--stop-on-first-failure", action="store_true")
    parser.add_argument("--json", action="store_true", help="one JSON object with Judge0's field names")
    parser.set_defaults(handler=run)


def _size(text: str) -> int:
    try:
        return parse_size(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def run(args: argparse.Namespace) -> int:
    submission = build_submission(args)
    report = local_judge(settings()).judge(submission)
    if args.json:
        print(json.dumps(as_json(report, with_tests=args.problem is not None)))
    else:
        show(report, Console(soft_wrap=True))
    return 0 if report.verdict is Verdict.ACCEPTED else 1


def build_submission(args: argparse.Namespace) -> Submission:
    """Raises: ValueError (and subclasses): a file, language or limit is wrong; the message says which."""
    if not args.source.is_file():
        raise ValueError(f"no such source file: {args.source}")
    language = find(args.lang or args.source.name)
    if args.problem is not None:
        if args.stdin or args.expected:
            raise ValueError("--stdin and --expected do not go with --problem (the problem has its tests)")
        problem = load_problem(args.problem)
        tests, limits, checker, groups = problem.tests, problem.limits, problem.checker, problem.groups
        stop = problem.stop_on_first_failure or args.stop_on_first_failure
    else:
        tests = (TestCase("1", _read(args.stdin) or b"", _read(args.expected)),)
        limits, checker, groups, stop = Limits(), Submission(b"", 0, ()).checker, (), False
    overrides = {"cpu_time": args.time_limit, "wall_time": args.wall_time_limit, "memory": args.memory_limit,
                 "processes": args.processes, "output": args.output_limit}
    limits = replace(limits, **{key: value for key, value in overrides.items() if value is not None})
    return Submission(args.source.read_bytes(), language.id, tests, limits, checker, groups,
                      tuple(shlex.split(args.compiler_options)), tuple(shlex.split(args.args)),
                      stop_on_first_failure=stop)


def _read(path: Path | None) -> bytes | None:
    if path is None:
        return None
    if not path.is_file():
        raise ValueError(f"no such file: {path}")
    return path.read_bytes()


def as_json(report: Report, with_tests: bool) -> dict[str, object]:
    fields = judge0.report_fields(report)
    for key in ("stdout", "stderr", "compile_output"):
        fields[key] = _text(fields[key])  # type: ignore[arg-type]
    fields["verdict"] = report.verdict.value
    fields["score"], fields["max_score"] = report.score, report.max_score
    if with_tests:
        fields["tests"] = [judge0.test_fields(test) for test in report.tests]
    return fields


def _text(data: bytes | None) -> str | None:
    if data is None:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return "base64:" + base64.b64encode(data).decode()


def show(report: Report, console: Console) -> None:
    if report.verdict is Verdict.COMPILATION_ERROR:
        console.print(report.compile_output.decode("utf-8", "replace"), markup=False)
    table = Table(title=None)
    for column in ("test", "verdict", "time", "memory", "exit", "message"):
        table.add_column(column, justify="right" if column in ("time", "memory", "exit") else "left")
    for test in report.tests:
        colour = COLOURS.get(test.verdict, "red")
        exit_text = f"sig {test.signal}" if test.signal else str(test.exit_code)
        table.add_row(test.name, f"[{colour}]{test.verdict.value}[/{colour}]", f"{test.cpu_time:.3f} s",
                      f"{test.memory / 2**20:.1f} MiB", exit_text, test.message[:60])
    if report.tests:
        console.print(table)
    if len(report.tests) == 1:  # a single run: its output is what the user came for
        for stream in (report.tests[0].stdout, report.tests[0].stderr):
            console.print(stream.decode("utf-8", "replace"), end="", markup=False, highlight=False)
    colour = COLOURS.get(report.verdict, "red")
    console.print(f"[bold {colour}]{report.verdict.description}[/]  score {report.score:g}/{report.max_score:g}"
                  + (f"  {report.message}" if report.message else ""))
