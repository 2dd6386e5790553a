"""What a worker does with one job: In Queue -> Processing -> a stored result, then the callback.

Idempotent: a job whose result is already stored is not judged again (only a pending callback is
retried); a job redelivered mid-way is judged again and the first result stored wins.
"""

from __future__ import annotations

import base64
import logging
from typing import Any

from judge import callbacks, judge0
from judge.jobs import GradingRequest, Judge0Request, grading_submission, judge0_report, submission_from
from judge.models import Report
from judge.pipeline import Judge
from judge.problem_store import ProblemStore
from judge.store import Record, Store

log = logging.getLogger(__name__)
INTERNAL_ERROR = 13
REPORT_OUTPUT = 64 << 10  # bytes of each test's output kept in a grading's report


def process(token: str, store: Store, judge: Judge, offered: dict[int, str], callback_hosts: set[str],
            problems: ProblemStore, worker: str) -> None:
    """`offered` maps each language this worker can run to "" (or why not); `worker` is its node name."""
    record = store.take(token, worker)
    if record is None:
        log.warning("job %s: no such submission (deleted, or expired before a worker got to it)", token)
        return
    if not record.final:
        result = _judge(record, judge, offered, problems)
        callback_url = record.request.get("callback_url")
        stored = store.finish(token, int(result["status_id"]), result, callback=bool(callback_url))
        if not stored:
            log.info("job %s: a result was already stored; this run's is dropped", token)
        if not callback_url:
            return
        record = store.get(token) or record
    if record.callback == "pending":
        _call_back(record, store, callback_hosts)


def _judge(record: Record, judge: Judge, offered: dict[int, str], problems: ProblemStore) -> dict[str, Any]:
    """The result fields; an infrastructure fault ends here, as an Internal Error (and in the log)."""
    try:
        language_id = int(record.request["language_id"])
        if offered.get(language_id):
            return _internal_error(f"this worker cannot run language {language_id}: {offered[language_id]}")
        if record.kind == "grading":
            grading = GradingRequest.from_json(record.request)
            problem = problems.get(grading.problem_id)
            if problem is None:
                return _internal_error(f"problem {grading.problem_id} is not in the store (deleted?)")
            return grading_fields(judge.judge(grading_submission(grading, problem)))
        request = Judge0Request.from_json(record.request)
        return result_fields(judge0_report(request, judge.judge(submission_from(request))))
    except Exception as error:
        log.exception("job %s failed", record.token)
        return _internal_error(f"{type(error).__name__}: {error}")


def result_fields(report: Report) -> dict[str, Any]:
    fields = judge0.report_fields(report)
    result: dict[str, Any] = {key: _stored(value) for key, value in fields.items() if key != "status"}
    result["status_id"] = fields["status"]["id"]  # type: ignore[index]
    result["verdict"] = report.verdict.value
    return result


def grading_fields(report: Report) -> dict[str, Any]:
    """A grading's full report: the Judge0 fields of the deciding test, the score, and every test."""
    result = result_fields(report)
    result.update(score=report.score, max_score=report.max_score, tests=[
        {**judge0.test_fields(test), "stdout": _stored(test.stdout[:REPORT_OUTPUT]),
         "stderr": _stored(test.stderr[:REPORT_OUTPUT])} for test in report.tests])
    return result


def _stored(value: object) -> object:
    """Bytes are stored as plain base64; the wire format frames them when answering."""
    return base64.b64encode(value).decode() if isinstance(value, bytes) else value


def _internal_error(message: str) -> dict[str, Any]:
    return {"status_id": INTERNAL_ERROR, "message": message, "verdict": "IE", "stdout": None, "stderr": None,
            "compile_output": None, "exit_code": None, "exit_signal": None, "time": None, "wall_time": None,
            "memory": None}


def _call_back(record: Record, store: Store, hosts: set[str]) -> None:
    url = str(record.request.get("callback_url"))
    if not callbacks.allowed(url, hosts):
        log.warning("job %s: callback to %s refused: host not in JUDGE_CALLBACK_ALLOW", record.token, url)
    elif callbacks.send(url, judge0.submission_json(record, judge0.DEFAULT_FIELDS, base64_encoded=True)):
        log.info("job %s: callback delivered to %s", record.token, url)
    store.callback_done(record.token)

