"""Judge0 CE 1.13.1's vocabulary: status ids and descriptions, and a Report in its field names.

Judge0 has no MLE or OLE: memory is Runtime Error (Other) as when its OOM killer strikes, output
over the limit is Runtime Error (SIGXFSZ) as when isolate's file-size limit strikes. Our own verdict
is kept alongside, in `verdict`.
"""

from __future__ import annotations

import signal

from judge.models import Report, TestReport, Verdict

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
