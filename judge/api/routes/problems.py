"""Our extension: problems uploaded once (content-addressed, cached by the workers) and gradings:
one source compiled once and run on every test of a problem, with the full report back."""

from __future__ import annotations

import base64
import uuid
from typing import Any

from anyio import to_thread
from fastapi import APIRouter, Body, Depends

from judge import judge0
from judge.api.auth import authenticated
from judge.api.errors import ApiError
from judge.api.requests import COMPILE_SECONDS, RequestErrors, Rules, parse_submission
from judge.api.routes.submissions import check_queue, poll_until_final, true
from judge.api.services import Services, services
from judge.jobs import GradingRequest
from judge.problem_codec import from_json
from judge.problem_store import ProblemStore
from judge.problems import Problem, ProblemError
from judge.queueing import enqueue
from judge.store import QUEUES, Record

router = APIRouter(dependencies=[Depends(authenticated)])
CHECKER_SECONDS = 10.0


def problems(found: Services) -> ProblemStore:
    return ProblemStore(found.store.redis)


@router.post("/problems", status_code=201, tags=["extensions"])
def upload(body: Any = Body(None), found: Services = Depends(services)) -> Any:
    """A test set: `{"tests": [{"name", "stdin", "expected_output"}], "checker", "limits", "groups"}` (data
    base64) or `{"zip": base64 of a problem directory}`. Returns its id, a content hash."""
    problem = _problem(body, found)
    return {"id": problems(found).put(problem), **_summary(problem)}


@router.get("/problems/{problem_id}", tags=["extensions"])
def describe(problem_id: str, found: Services = Depends(services)) -> Any:
    problem = problems(found).get(problem_id)
    if problem is None:
        raise ApiError(404, f"problem {problem_id} not found")
    return {"id": problem_id, **_summary(problem)}


@router.post("/gradings", status_code=201, tags=["extensions"])
async def grade(body: Any = Body(None), base64_encoded: str | None = None, wait: str | None = None,
                found: Services = Depends(services)) -> Any:
    """`{"problem_id" | "problem": {...}, "source_code", "language_id", "compiler_options",
    "command_line_arguments", "stop_on_first_failure", "callback_url", "priority": "interactive"|"batch"}`."""
    if not isinstance(body, dict):
        raise RequestErrors({"base": ["the request body must be a JSON object"]})
    record, problem = await to_thread.run_sync(_new_grading, body, true(base64_encoded), found)
    await to_thread.run_sync(check_queue, found, 1)
    await to_thread.run_sync(enqueue, found.store, found.sender, record)
    if not true(wait):
        return {"token": record.token}
    seconds = _worst_case(problem, found.rules()) + 10
    return grading_json(await poll_until_final(record, seconds, found), true(base64_encoded), found)


@router.get("/gradings/{token}", tags=["extensions"])
def show(token: str, base64_encoded: str | None = None, found: Services = Depends(services)) -> Any:
    record = found.store.get(token)
    if record is None or record.kind != "grading":
        raise ApiError(404, f"grading with token {token} not found")
    return grading_json(record, true(base64_encoded), found)


def grading_json(record: Record, base64_encoded: bool, found: Services) -> dict[str, Any]:
    result = record.result or {}
    text = judge0.submission_json(record, ("stdout", "stderr", "compile_output", "message"), base64_encoded)
    return {
        "token": record.token, "status": judge0.status(record.status), "verdict": result.get("verdict"),
        "score": result.get("score"), "max_score": result.get("max_score"), **text,
        "time": result.get("time"), "wall_time": result.get("wall_time"), "memory": result.get("memory"),
        "tests": [_test_json(test, base64_encoded) for test in result.get("tests", [])],
        "problem_id": record.request.get("problem_id"),
        "language": {"id": record.request["language_id"],
                     "name": found.language_name(int(record.request["language_id"]))},
        "created_at": record.created_at, "finished_at": record.finished_at,
    }


def _test_json(test: dict[str, Any], base64_encoded: bool) -> dict[str, Any]:
    shown = dict(test)
    for stream in ("stdout", "stderr"):
        data = base64.b64decode(test[stream]) if test.get(stream) else b""
        shown[stream] = (judge0.b64(data) if base64_encoded else data.decode("utf-8", "replace")) if data else None
    return shown


def _new_grading(body: dict[str, Any], base64_encoded: bool, found: Services) -> tuple[Record, Problem]:
    store = problems(found)
    if body.get("problem") is not None:
        problem = _problem(body["problem"], found)
        problem_id = store.put(problem)
    else:
        problem_id = str(body.get("problem_id") or "")
        found_problem = store.get(problem_id) if problem_id else None
        if found_problem is None:
            raise RequestErrors({"problem_id": [f"problem {problem_id!r} not found" if problem_id else
                                                "can't be blank (or give an inline problem)"]})
        problem = found_problem
    rules = found.rules()
    source = parse_submission({key: body.get(key) for key in (
        "source_code", "language_id", "compiler_options", "command_line_arguments", "callback_url")},
        base64_encoded, rules)
    if _worst_case(problem, rules) > rules.max_job_seconds:
        raise RequestErrors({"problem_id": [f"its tests could take {_worst_case(problem, rules):.0f} s, more than a "
                                            f"worker may spend on one job ({rules.max_job_seconds:.0f} s)"]})
    priority = str(body.get("priority") or QUEUES[0])
    if priority not in QUEUES:
        raise RequestErrors({"priority": [f"must be one of {', '.join(QUEUES)}"]})
    stop = body.get("stop_on_first_failure")
    request = GradingRequest(problem_id, source.source_code, source.language_id, source.compiler_options,
                             source.command_line_arguments, None if stop is None else bool(stop), source.callback_url)
    return Record(str(uuid.uuid4()), "grading", request.to_json(), queue=priority), problem


def _problem(body: Any, found: Services) -> Problem:
    try:
        problem = from_json(body)
    except (ProblemError, ValueError) as error:
        raise RequestErrors({"problem": [str(error)]}) from None
    size = sum(len(test.stdin) + len(test.expected or b"") for test in problem.tests)
    if size > found.api.max_problem_size:
        raise RequestErrors({"problem": [f"its tests hold {size} bytes, more than {found.api.max_problem_size}"]})
    return problem


def _worst_case(problem: Problem, rules: Rules) -> float:
    per_test = problem.limits.wall_time + (CHECKER_SECONDS if problem.checker.name == "custom" else 0)
    return COMPILE_SECONDS * 2 + len(problem.tests) * per_test


def _summary(problem: Problem) -> dict[str, Any]:
    return {"name": problem.name, "tests": [test.name for test in problem.tests], "checker": problem.checker.name,
            "limits": problem.limits.__dict__, "groups": [{"name": g.name, "points": g.points, "tests": list(g.tests)}
                                                          for g in problem.groups]}
