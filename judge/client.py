"""A typed client for the Judge0-compatible endpoints and our problem/grading extension.

    with Client("http://127.0.0.1:2358") as judge:
        result = judge.run(source="print(input())", language_id=71, stdin="hi")
        problem = judge.upload_problem(Path("problems/sum"))
        report = judge.wait_grading(judge.grade(problem, source, 71))

`AsyncClient` has the same methods as coroutines. Errors the server reports surface as
`ServerError`, carrying its message and, for 422, the field -> messages map.
"""

from __future__ import annotations

import asyncio
import base64
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

import httpx

from judge.problem_codec import zip_of

POLL_FIRST, POLL_MAX = 0.05, 1.0
FINAL_AFTER = 2  # status ids 1 (In Queue) and 2 (Processing) are not final


class Pollable(Protocol):
    @property
    def done(self) -> bool: ...
    @property
    def status_id(self) -> int: ...


Result = TypeVar("Result", bound=Pollable)


class ServerError(Exception):
    def __init__(self, status: int, message: str, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(f"{status}: {message}")
        self.status, self.message, self.errors = status, message, errors or {}


class Timeout(Exception):
    """The result was not ready within the time given."""


@dataclass(frozen=True)
class Submission:
    """A Judge0 submission's result, outputs decoded."""

    token: str
    status_id: int
    status: str
    stdout: bytes | None = None
    stderr: bytes | None = None
    compile_output: bytes | None = None
    message: str | None = None
    exit_code: int | None = None
    exit_signal: int | None = None
    time: float | None = None
    wall_time: float | None = None
    memory: int | None = None  # KB

    @property
    def done(self) -> bool:
        return self.status_id > FINAL_AFTER


@dataclass(frozen=True)
class TestResult:
    name: str
    verdict: str
    time: float
    memory: int  # KB
    exit_code: int | None
    exit_signal: int | None
    message: str | None
    points: float
    stdout: str | None = None


@dataclass(frozen=True)
class Grading:
    token: str
    status_id: int
    verdict: str | None
    score: float | None
    max_score: float | None
    compile_output: str | None
    message: str | None
    tests: tuple[TestResult, ...] = field(default=())

    @property
    def done(self) -> bool:
        return self.status_id > FINAL_AFTER


def _decode(value: Any) -> bytes | None:
    return base64.b64decode(value) if value else None


def _submission(data: dict[str, Any]) -> Submission:
    return Submission(
        data["token"], data["status"]["id"], data["status"]["description"], _decode(data.get("stdout")),
        _decode(data.get("stderr")), _decode(data.get("compile_output")), data.get("message"), data.get("exit_code"),
        data.get("exit_signal"), float(data["time"]) if data.get("time") else None,
        float(data["wall_time"]) if data.get("wall_time") else None, data.get("memory"))


def _grading(data: dict[str, Any]) -> Grading:
    tests = tuple(TestResult(t["name"], t["verdict"], t["time"], t["memory"], t["exit_code"], t["exit_signal"],
                             t["message"], t["points"], t.get("stdout")) for t in data.get("tests", []))
    return Grading(data["token"], data["status"]["id"], data.get("verdict"), data.get("score"), data.get("max_score"),
                   data.get("compile_output"), data.get("message"), tests)


def _body(source: str | bytes, language_id: int, **fields: Any) -> dict[str, Any]:
    raw = source.encode() if isinstance(source, str) else source
    body = {"source_code": base64.b64encode(raw).decode(), "language_id": language_id}
    for name, value in fields.items():
        if value is not None:
            text = value.encode() if isinstance(value, str) else value
            body[name] = base64.b64encode(text).decode() if name in ("stdin", "expected_output") else value
    return body


def _problem_body(problem: Path | dict[str, Any]) -> dict[str, Any]:
    return {"zip": base64.b64encode(zip_of(problem)).decode()} if isinstance(problem, Path) else problem


def _check(response: httpx.Response) -> Any:
    if response.status_code < 400:
        return response.json() if response.content else None
    try:
        data = response.json()
    except ValueError:
        data = None
    if isinstance(data, dict) and "error" in data:
        raise ServerError(response.status_code, str(data["error"]))
    if response.status_code == 422 and isinstance(data, dict):
        raise ServerError(422, "; ".join(f"{k} {' '.join(v)}" for k, v in data.items()), data)
    raise ServerError(response.status_code, response.reason_phrase or "error")


def _headers(token: str | None, user: str | None) -> dict[str, str]:
    return {**({"X-Auth-Token": token} if token else {}), **({"X-Auth-User": user} if user else {})}


class Client:
    def __init__(self, url: str, token: str | None = None, user: str | None = None, timeout: float = 30.0) -> None:
        self.http = httpx.Client(base_url=url, headers=_headers(token, user), timeout=timeout)

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.http.close()

    def languages(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = _check(self.http.get("/languages"))
        return result

    def submit(self, source: str | bytes, language_id: int, stdin: str | bytes | None = None,
               expected_output: str | bytes | None = None, **limits: Any) -> str:
        body = _body(source, language_id, stdin=stdin, expected_output=expected_output, **limits)
        return str(_check(self.http.post("/submissions?base64_encoded=true", json=body))["token"])

    def submit_batch(self, items: list[dict[str, Any]]) -> list[str | dict[str, list[str]]]:
        answers = _check(self.http.post("/submissions/batch?base64_encoded=true", json={"submissions": items}))
        return [answer.get("token", answer) for answer in answers]

    def get(self, token: str) -> Submission:
        return _submission(_check(self.http.get(f"/submissions/{token}?base64_encoded=true&fields=*")))

    def get_batch(self, tokens: list[str]) -> list[Submission | None]:
        data = _check(self.http.get(f"/submissions/batch?base64_encoded=true&fields=*&tokens={','.join(tokens)}"))
        return [_submission(item) if item else None for item in data["submissions"]]

    def wait(self, token: str, timeout: float = 300.0) -> Submission:
        return _poll(lambda: self.get(token), timeout)

    def run(self, source: str | bytes, language_id: int, timeout: float = 300.0, **fields: Any) -> Submission:
        return self.wait(self.submit(source, language_id, **fields), timeout)

    def upload_problem(self, problem: Path | dict[str, Any]) -> str:
        """A problem directory (zipped here) or the JSON of one; returns its id."""
        return str(_check(self.http.post("/problems", json=_problem_body(problem)))["id"])

    def grade(self, problem_id: str, source: str | bytes, language_id: int, priority: str = "interactive",
              **fields: Any) -> str:
        body = {**_body(source, language_id, **fields), "problem_id": problem_id, "priority": priority}
        return str(_check(self.http.post("/gradings?base64_encoded=true", json=body))["token"])

    def grading(self, token: str) -> Grading:
        return _grading(_check(self.http.get(f"/gradings/{token}")))

    def wait_grading(self, token: str, timeout: float = 900.0) -> Grading:
        return _poll(lambda: self.grading(token), timeout)


def _poll(fetch: Callable[[], Result], timeout: float) -> Result:
    deadline, pause = time.monotonic() + timeout, POLL_FIRST
    while True:
        result = fetch()
        if result.done:
            return result
        if time.monotonic() > deadline:
            raise Timeout(f"not finished after {timeout:.0f} s (status {result.status_id})")
        time.sleep(pause)
        pause = min(pause * 2, POLL_MAX)


class AsyncClient:
    def __init__(self, url: str, token: str | None = None, user: str | None = None, timeout: float = 30.0) -> None:
        self.http = httpx.AsyncClient(base_url=url, headers=_headers(token, user), timeout=timeout)

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.http.aclose()

    async def submit(self, source: str | bytes, language_id: int, stdin: str | bytes | None = None,
                     expected_output: str | bytes | None = None, **limits: Any) -> str:
        body = _body(source, language_id, stdin=stdin, expected_output=expected_output, **limits)
        return str(_check(await self.http.post("/submissions?base64_encoded=true", json=body))["token"])

    async def get(self, token: str) -> Submission:
        return _submission(_check(await self.http.get(f"/submissions/{token}?base64_encoded=true&fields=*")))

    async def wait(self, token: str, timeout: float = 300.0) -> Submission:
        return await _apoll(lambda: self.get(token), timeout)

    async def run(self, source: str | bytes, language_id: int, timeout: float = 300.0, **fields: Any) -> Submission:
        return await self.wait(await self.submit(source, language_id, **fields), timeout)

    async def upload_problem(self, problem: Path | dict[str, Any]) -> str:
        return str(_check(await self.http.post("/problems", json=_problem_body(problem)))["id"])

    async def grade(self, problem_id: str, source: str | bytes, language_id: int, priority: str = "interactive",
                    **fields: Any) -> str:
        body = {**_body(source, language_id, **fields), "problem_id": problem_id, "priority": priority}
        return str(_check(await self.http.post("/gradings?base64_encoded=true", json=body))["token"])

    async def grading(self, token: str) -> Grading:
        return _grading(_check(await self.http.get(f"/gradings/{token}")))

    async def wait_grading(self, token: str, timeout: float = 900.0) -> Grading:
        return await _apoll(lambda: self.grading(token), timeout)


async def _apoll(fetch: Callable[[], Awaitable[Result]], timeout: float) -> Result:
    deadline, pause = time.monotonic() + timeout, POLL_FIRST
    while True:
        result = await fetch()
        if result.done:
            return result
        if time.monotonic() > deadline:
            raise Timeout(f"not finished after {timeout:.0f} s (status {result.status_id})")
        await asyncio.sleep(pause)
        pause = min(pause * 2, POLL_MAX)
