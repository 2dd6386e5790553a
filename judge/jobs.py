"""A job as stored and queued, turned into a pipeline Submission by the worker: a Judge0 submission
(its 20 request fields, validated and with their defaults filled in by the API), or a grading (one
source against a stored problem)."""

from __future__ import annotations

import base64
import io
import shlex
import stat
import zipfile
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from judge.models import Report, Submission, TestCase, Verdict
from judge.problems import Problem
from sandbox import Limits
from sandbox.workdir import checked_name

KB = 1024
BYTE_FIELDS = ("source_code", "stdin", "expected_output", "additional_files")
MAX_EXTRACT_BYTES = 10240 * KB  # Judge0's MAX_EXTRACT_SIZE
MAX_EXTRACT_FILES = 1000


@dataclass(frozen=True)
class Judge0Request:
    source_code: bytes
    language_id: int
    compiler_options: str | None = None
    command_line_arguments: str | None = None
    stdin: bytes | None = None
    expected_output: bytes | None = None
    cpu_time_limit: float = 5.0  # seconds
    cpu_extra_time: float = 1.0
    wall_time_limit: float = 10.0
    memory_limit: int = 128000  # KB
    stack_limit: int = 64000  # KB
    max_processes_and_or_threads: int = 60
    enable_per_process_and_thread_time_limit: bool = False
    enable_per_process_and_thread_memory_limit: bool = False
    max_file_size: int = 1024  # KB
    redirect_stderr_to_stdout: bool = False
    enable_network: bool = False
    number_of_runs: int = 1
    additional_files: bytes | None = None  # a zip
    callback_url: str | None = None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for name in BYTE_FIELDS:
            if data[name] is not None:
                data[name] = base64.b64encode(data[name]).decode()
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Judge0Request:
        values = {spec.name: data[spec.name] for spec in fields(cls) if spec.name in data}
        for name in BYTE_FIELDS:
            if values.get(name) is not None:
                values[name] = base64.b64decode(values[name])
        return cls(**values)

    def worst_case_seconds(self, compile_seconds: float) -> float:
        """An upper bound of the wall time judging this takes."""
        return compile_seconds + self.number_of_runs * self.wall_time_limit


def submission_from(request: Judge0Request) -> Submission:
    """Judge0's semantics on our pipeline. The run is killed at cpu_time_limit + cpu_extra_time, as
    isolate does; `judge0_report` then calls anything over cpu_time_limit a Time Limit Exceeded.

    Raises:
        ValueError: compiler options or arguments that do not split, or a bad additional_files zip.
    """
    limits = Limits(
        cpu_time=request.cpu_time_limit + request.cpu_extra_time, wall_time=request.wall_time_limit,
        memory=request.memory_limit * KB, processes=request.max_processes_and_or_threads,
        output=max(request.max_file_size, 1) * KB, file_size=max(request.max_file_size, 1) * KB,
        stack=max(request.stack_limit, 64) * KB)
    return Submission(
        request.source_code, request.language_id,
        (TestCase("1", request.stdin or b"", request.expected_output),), limits,
        compiler_options=split_words(request.compiler_options, "compiler_options"),
        arguments=split_words(request.command_line_arguments, "command_line_arguments"),
        additional_files=unzip(request.additional_files) if request.additional_files else {},
        stderr_to_stdout=request.redirect_stderr_to_stdout, number_of_runs=request.number_of_runs)


def judge0_report(request: Judge0Request, report: Report) -> Report:
    """Apply the CPU limit proper (the kill came `cpu_extra_time` later)."""
    tests = tuple(replace(test, verdict=Verdict.TIME_LIMIT, message="CPU time limit exceeded")
                  if test.cpu_time > request.cpu_time_limit and test.verdict is not Verdict.INTERNAL_ERROR else test
                  for test in report.tests)
    if tests == report.tests:
        return report
    verdict = next((t.verdict for t in tests if t.verdict is not Verdict.ACCEPTED), Verdict.ACCEPTED)
    return replace(report, tests=tests, verdict=verdict, score=float(verdict is Verdict.ACCEPTED))


def decode_base64(text: str) -> bytes:
    """Strict base64 as clients send it: line breaks are allowed (Ruby's encode64 adds them), any
    other stray character is not.

    Raises:
        ValueError: not valid base64.
    """
    return base64.b64decode("".join(text.split()), validate=True)


def split_words(text: str | None, field: str) -> tuple[str, ...]:
    """Split like a shell would, without ever running one: the words become argv items."""
    if not text:
        return ()
    try:
        return tuple(shlex.split(text))
    except ValueError as error:
        raise ValueError(f"{field} cannot be split into words: {error}") from None


def unzip(data: bytes) -> dict[str, bytes]:
    """The regular files of a zip, names checked, total size capped (links and devices are refused).

    Raises:
        ValueError: not a zip, a name leaving the directory, a link, or over MAX_EXTRACT_BYTES.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise ValueError(f"additional_files is not a zip archive: {error}") from None
    files: dict[str, bytes] = {}
    total = 0
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_EXTRACT_FILES:
            raise ValueError(f"additional_files holds more than {MAX_EXTRACT_FILES} entries")
        for entry in entries:
            if entry.is_dir():
                continue
            if stat.S_ISLNK(entry.external_attr >> 16):
                raise ValueError(f"additional_files: {entry.filename!r} is a symbolic link")
            total += entry.file_size
            if total > MAX_EXTRACT_BYTES:
                raise ValueError(f"additional_files expands to more than {MAX_EXTRACT_BYTES // KB} KB")
            files[checked_name(entry.filename)] = archive.read(entry)
    return files


@dataclass(frozen=True)
class GradingRequest:
    """Our extension: one source against a stored problem (all its tests, compiled once)."""

    problem_id: str
    source_code: bytes
    language_id: int
    compiler_options: str | None = None
    command_line_arguments: str | None = None
    stop_on_first_failure: bool | None = None  # None: the problem's own setting
    callback_url: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "source_code": base64.b64encode(self.source_code).decode()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> GradingRequest:
        values = {spec.name: data[spec.name] for spec in fields(cls) if spec.name in data}
        values["source_code"] = base64.b64decode(values["source_code"])
        return cls(**values)


def grading_submission(request: GradingRequest, problem: Problem) -> Submission:
    """Raises: ValueError: compiler options or arguments that do not split."""
    stop = problem.stop_on_first_failure if request.stop_on_first_failure is None else request.stop_on_first_failure
    return Submission(request.source_code, request.language_id, problem.tests, problem.limits, problem.checker,
                      problem.groups, split_words(request.compiler_options, "compiler_options"),
                      split_words(request.command_line_arguments, "command_line_arguments"),
                      stop_on_first_failure=stop)
