"""Judge0 CE 1.13.1's vocabulary: status ids and descriptions, and a Report in its field names.

Judge0 has no MLE or OLE: memory is Runtime Error (Other) as when its OOM killer strikes, output
over the limit is Runtime Error (SIGXFSZ) as when isolate's file-size limit strikes. Our own verdict
is kept alongside, in `verdict`.
"""

from __future__ import annotations

import base64
import signal
from collections.abc import Callable

from judge.languages import Language
from judge.models import Report, TestReport, Verdict
from judge.store import Record

STATUSES = {
    1: "In Queue", 2: "Processing", 3: "Accepted", 4: "Wrong Answer", 5: "Time Limit Exceeded",
    6: "Compilation Error", 7: "Runtime Error (SIGSEGV)", 8: "Runtime Error (SIGXFSZ)",
    9: "Runtime Error (SIGFPE)", 10: "Runtime Error (SIGABRT)", 11: "Runtime Error (NZEC)",
    12: "Runtime Error (Other)", 13: "Internal Error", 14: "Exec Format Error",
}
IN_QUEUE, PROCESSING = 1, 2
BY_VERDICT = {Verdict.ACCEPTED: 3, Verdict.WRONG_ANSWER: 4, Verdict.TIME_LIMIT: 5, Verdict.COMPILATION_ERROR: 6,
              Verdict.MEMORY_LIMIT: 12, Verdict.OUTPUT_LIMIT: 8, Verdict.INTERNAL_ERROR: 13}
BY_SIGNAL: dict[int, int] = {signal.SIGSEGV: 7, signal.SIGXFSZ: 8, signal.SIGFPE: 9, signal.SIGABRT: 10}
EXEC_FAILURE = "cannot execute the program"


def status_id(verdict: Verdict, exit_signal: int | None, message: str) -> int:
    if verdict is Verdict.RUNTIME_ERROR:
        return BY_SIGNAL.get(exit_signal, 12) if exit_signal is not None else 11
    if verdict is Verdict.INTERNAL_ERROR and message.startswith(EXEC_FAILURE):
        return 14
    return BY_VERDICT[verdict]


def language_json(language: Language, versions: dict[str, str]) -> dict[str, object]:
    """GET /languages/:id's shape."""
    return {"id": language.id, "name": language.display_name(versions), "is_archived": False,
            "source_file": language.source_file, "compile_cmd": language.command_line(language.compile),
            "run_cmd": language.command_line(language.run)}


def status(identifier: int) -> dict[str, object]:
    return {"id": identifier, "description": STATUSES[identifier]}


def deciding_test(report: Report) -> TestReport | None:
    """The test whose run a single Judge0 submission shows: the first failing one, else the last."""
    return next((test for test in report.tests if test.verdict is not Verdict.ACCEPTED),
                report.tests[-1] if report.tests else None)


def report_fields(report: Report) -> dict[str, object]:
    """Judge0's result fields (outputs still as bytes; wire encoding is the API's business)."""
    test = deciding_test(report)
    message = report.message or (test.message if test else "")
    return {
        "status": status(status_id(report.verdict, test.signal if test else None, message)),
        "stdout": test.stdout if test else None,
        "stderr": test.stderr if test else None,
        "compile_output": report.compile_output or None,
        "exit_code": (test.exit_code or 0) if test else None,
        "exit_signal": test.signal if test else None,
        "time": round(report.cpu_time, 3) if test else None,
        "wall_time": round(report.wall_time, 3) if test else None,
        "memory": report.memory // 1024 if test else None,
        "message": message or None,
    }


def test_fields(test: TestReport) -> dict[str, object]:
    return {
        "name": test.name, "verdict": test.verdict.value,
        "status": status(status_id(test.verdict, test.signal, test.message)),
        "time": round(test.cpu_time, 3), "wall_time": round(test.wall_time, 3), "memory": test.memory // 1024,
        "exit_code": test.exit_code, "exit_signal": test.signal, "message": test.message or None,
        "points": test.points,
    }


# --- the wire format of a stored submission --------------------------------------------------------

ALL_FIELDS = (
    "source_code", "language_id", "stdin", "expected_output", "stdout", "status_id", "created_at", "finished_at",
    "time", "memory", "stderr", "token", "number_of_runs", "cpu_time_limit", "cpu_extra_time", "wall_time_limit",
    "memory_limit", "stack_limit", "max_processes_and_or_threads", "enable_per_process_and_thread_time_limit",
    "enable_per_process_and_thread_memory_limit", "max_file_size", "compile_output", "exit_code", "exit_signal",
    "message", "wall_time", "compiler_options", "command_line_arguments", "redirect_stderr_to_stdout",
    "callback_url", "additional_files", "enable_network", "status", "language")
DEFAULT_FIELDS = ("token", "time", "memory", "stdout", "stderr", "compile_output", "message", "status")
TEXT_FIELDS = ("source_code", "stdin", "expected_output", "stdout", "stderr", "compile_output", "message")
DECIMAL_FIELDS = ("time", "wall_time", "cpu_time_limit", "cpu_extra_time", "wall_time_limit")
NOT_UTF8 = ("some attributes for this submission cannot be converted to UTF-8, use base64_encoded=true query "
            "parameter")


class NotUtf8Error(ValueError):
    """An output is not valid UTF-8 and base64 was not asked for (Judge0 answers 400)."""


def b64(data: bytes) -> str:
    """Ruby's Base64.encode64, as Judge0 writes it: a newline every 60 characters and at the end."""
    encoded = base64.b64encode(data).decode()
    return "".join(encoded[i:i + 60] + "\n" for i in range(0, len(encoded), 60))


def submission_json(record: Record, fields: tuple[str, ...], base64_encoded: bool,
                    language_name: Callable[[int], str] = str) -> dict[str, object]:
    """The record as Judge0 v1.13.1 shows it.

    Raises:
        NotUtf8Error: a text field is not UTF-8 and `base64_encoded` is false.
    """
    request, result = record.request, record.result or {}
    values: dict[str, object] = {**request, **result, "token": record.token, "status_id": record.status,
                                 "created_at": record.created_at, "finished_at": record.finished_at}
    for name in ("source_code", "stdin", "expected_output", "stdout", "stderr", "compile_output"):
        raw = values.get(name)
        values[name] = base64.b64decode(str(raw)) if raw else None  # stored as base64 of the bytes
    values["message"] = result.get("message").encode() if result.get("message") else None  # type: ignore[union-attr]
    values["status"] = status(record.status)
    values["language"] = {"id": request.get("language_id"), "name": language_name(int(request.get("language_id", 0)))}
    if values.get("additional_files"):
        values["additional_files"] = b64(base64.b64decode(str(values["additional_files"])))
    return {name: _wire(name, values.get(name), base64_encoded) for name in fields}


def _wire(name: str, value: object, base64_encoded: bool) -> object:
    if name in TEXT_FIELDS:
        if not value:
            return None
        assert isinstance(value, bytes)
        if base64_encoded:
            return b64(value)
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            raise NotUtf8Error(NOT_UTF8) from None
    if name in DECIMAL_FIELDS and value is not None:
        return str(round(float(value), 3))  # type: ignore[arg-type]
    return value
