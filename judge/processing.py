"""What a worker does with one job: In Queue -> Processing -> a stored result, then the callback.

Idempotent: a job whose result is already stored is not judged again (only a pending callback is
retried); a job redelivered mid-way is judged again and the first result stored wins.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from judge import callbacks, judge0
from judge.jobs import Judge0Request, judge0_report, submission_from
from judge.models import Report
from judge.pipeline import Judge
from judge.store import Record, Store

log = logging.getLogger(__name__)
INTERNAL_ERROR = 13


def process(token: str, store: Store, judge: Judge, offered: dict[int, str], callback_hosts: set[str]) -> None:
    """`offered` maps each language this worker can run to "" (or why not)."""
    record = store.get(token)
    if record is None:
        log.warning("job %s: no such submission (deleted, or expired before a worker got to it)", token)
        return
    if not record.final:
        if not store.start(token):
            return
        result = _judge(record, judge, offered)
        callback_url = record.request.get("callback_url")
        stored = store.finish(token, int(result["status_id"]), result, callback=bool(callback_url))
        if not stored:
            log.info("job %s: a result was already stored; this run's is dropped", token)
        record = store.get(token) or record
    if record.callback == "pending":
        _call_back(record, store, callback_hosts)


def _judge(record: Record, judge: Judge, offered: dict[int, str]) -> dict[str, Any]:
    """The Judge0 result fields; an infrastructure fault ends here, as an Internal Error."""
    try:
        request = Judge0Request.from_json(record.request)
        problem = offered.get(request.language_id)
        if problem:
            return _internal_error(f"this worker cannot run language {request.language_id}: {problem}")
        report = judge0_report(request, judge.judge(submission_from(request)))
        return result_fields(report)
    except Exception as error:
        log.exception("job %s failed", record.token)
        return _internal_error(f"{type(error).__name__}: {error}")


def result_fields(report: Report) -> dict[str, Any]:
    fields = judge0.report_fields(report)
    result: dict[str, Any] = {key: judge0.b64(value) if isinstance(value, bytes) else value
                              for key, value in fields.items() if key != "status"}
    result["status_id"] = fields["status"]["id"]  # type: ignore[index]
    result["verdict"] = report.verdict.value
    return result


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


Processor = Callable[[str], None]
