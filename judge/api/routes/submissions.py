"""Judge0's submission endpoints: create (one or a batch), read (one or a batch), list, delete."""

from __future__ import annotations

import asyncio
import math
import uuid
from typing import Any

from anyio import to_thread
from fastapi import APIRouter, Body, Depends, Header, Query
from fastapi.responses import JSONResponse

from judge import judge0
from judge.api.auth import authenticated, authorized
from judge.api.errors import ApiError
from judge.api.requests import COMPILE_SECONDS, RequestErrors, parse_submission
from judge.api.services import Services, services
from judge.jobs import Judge0Request
from judge.queueing import enqueue
from judge.store import QUEUES, Record

router = APIRouter(dependencies=[Depends(authenticated)])
WAIT_POLL_SECONDS = 0.02
WAIT_MARGIN_SECONDS = 10.0


def true(value: str | None) -> bool:
    return value == "true"


def selected_fields(fields: str | None) -> tuple[str, ...]:
    """Raises: ApiError(400) naming the fields that do not exist."""
    if not fields:
        return judge0.DEFAULT_FIELDS
    if fields.strip() == "*":
        return judge0.ALL_FIELDS
    names = [name.strip() for name in fields.split(",") if name.strip()]
    invalid = [name for name in names if name not in judge0.ALL_FIELDS]
    if invalid:
        raise ApiError(400, f"invalid fields: [{', '.join(invalid)}]")
    return tuple(names)


def show(record: Record, fields: tuple[str, ...], base64_encoded: bool, found: Services) -> dict[str, object]:
    return judge0.submission_json(record, fields, base64_encoded, found.language_name)


def check_queue(found: Services, incoming: int) -> None:
    if found.judge0.maintenance_mode:
        raise ApiError(503, found.api.maintenance_message)
    if sum(found.store.queue_depths().values()) + incoming > found.judge0.max_queue_size:
        raise ApiError(503, "queue is full")


def new_record(request: Judge0Request) -> Record:
    return Record(str(uuid.uuid4()), "submission", request.to_json(), queue=QUEUES[0])


@router.post("/submissions", status_code=201)
async def create(body: Any = Body(None), base64_encoded: str | None = None, wait: str | None = None,
                 fields: str | None = None, found: Services = Depends(services)) -> Any:
    if true(wait) and not found.judge0.enable_wait_result:
        raise ApiError(400, "wait not allowed")
    chosen = selected_fields(fields)
    await to_thread.run_sync(check_queue, found, 1)
    request = parse_submission(body, true(base64_encoded), found.rules())
    record = new_record(request)
    await to_thread.run_sync(enqueue, found.store, found.sender, record)
    if not true(wait):
        return {"token": record.token}
    finished = await poll_until_final(record, request.worst_case_seconds(COMPILE_SECONDS) + WAIT_MARGIN_SECONDS, found)
    try:
        return show(finished, chosen, true(base64_encoded), found)
    except judge0.NotUtf8Error as error:
        return JSONResponse({"token": record.token, "error": str(error)}, status_code=201)


async def poll_until_final(record: Record, seconds: float, found: Services) -> Record:
    """Poll the store until a worker has stored the result (the API never runs code itself), or for
    `seconds`, after which the record is returned as it stands."""
    deadline = asyncio.get_running_loop().time() + seconds
    current: Record | None = record
    while current is not None and not current.final and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(WAIT_POLL_SECONDS)
        current = await to_thread.run_sync(found.store.get, record.token)
    return current or record


@router.post("/submissions/batch", status_code=201)
def create_batch(body: Any = Body(None), base64_encoded: str | None = None,
                 found: Services = Depends(services)) -> Any:
    if not found.judge0.enable_batched_submissions:
        raise ApiError(400, "batched submissions are not allowed")
    items = body.get("submissions") if isinstance(body, dict) else None
    if not isinstance(items, list) or not items:
        raise ApiError(400, "there should be at least one submission in a batch")
    if len(items) > found.judge0.max_submission_batch_size:
        raise ApiError(400, "number of submissions in a batch should be less than or equal to "
                            f"{found.judge0.max_submission_batch_size}")
    check_queue(found, len(items))
    rules = found.rules()
    answers: list[dict[str, Any]] = []
    records = []
    for item in items:
        try:
            records.append(new_record(parse_submission(item, true(base64_encoded), rules)))
            answers.append({"token": records[-1].token})
        except RequestErrors as error:
            answers.append(error.errors)
    if not records:
        return JSONResponse(answers, status_code=422)
    enqueue(found.store, found.sender, *records)
    return answers


@router.get("/submissions/batch")
def show_batch(tokens: str | None = Query(None), tokens_header: str | None = Header(None, alias="tokens"),
               base64_encoded: str | None = None, fields: str | None = None,
               found: Services = Depends(services)) -> Any:
    wanted = [token.strip() for token in (tokens or tokens_header or "").split(",") if token.strip()]
    if not wanted:
        raise ApiError(400, "there should be at least one token")
    chosen = selected_fields(fields)
    records = found.store.get_many(wanted)
    return {"submissions": [show(record, chosen, true(base64_encoded), found) if record else None
                            for record in records]}


@router.get("/submissions/{token}")
def show_one(token: str, base64_encoded: str | None = None, fields: str | None = None,
             found: Services = Depends(services)) -> Any:
    chosen = selected_fields(fields)
    record = found.store.get(token)
    if record is None:
        raise ApiError(404, f"submission with token {token} not found")
    return show(record, chosen, true(base64_encoded), found)


@router.get("/submissions", dependencies=[Depends(authorized)])
def index(page: int = Query(1, ge=1), per_page: int = Query(20, ge=1, le=1000), base64_encoded: str | None = None,
          fields: str | None = None, found: Services = Depends(services)) -> Any:
    chosen = selected_fields(fields)
    records, total = found.store.page(page, per_page)
    pages = math.ceil(total / per_page)
    return {"submissions": [show(record, chosen, true(base64_encoded), found) for record in records],
            "meta": {"current_page": page, "next_page": page + 1 if page < pages else None,
                     "prev_page": page - 1 if page > 1 else None, "total_pages": pages, "total_count": total}}


@router.delete("/submissions/{token}", dependencies=[Depends(authorized)])
def delete(token: str, fields: str | None = None, found: Services = Depends(services)) -> Any:
    if found.judge0.maintenance_mode:
        raise ApiError(503, found.api.maintenance_message)
    if not found.judge0.enable_submission_delete:
        raise ApiError(400, "delete not allowed")
    chosen = selected_fields(fields)
    record = found.store.get(token)
    if record is None:
        raise ApiError(404, f"submission with token {token} not found")
    if not record.final:
        raise ApiError(400, f"submission cannot be deleted because its status is {record.status} "
                            f"({judge0.STATUSES[record.status]})")
    found.store.delete(token)
    return show(record, chosen, True, found)
