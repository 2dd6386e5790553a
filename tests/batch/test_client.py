"""The typed client, sync and async, against a running service."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from judge.client import AsyncClient, Client, ServerError
from tests.service.conftest import Api

PROBLEMS = Path(__file__).parent.parent / "judge" / "problems"


def test_run_batch_and_errors(shared_service: Api) -> None:
    with Client(shared_service.url) as judge:
        result = judge.run("print(input()[::-1])", 71, stdin="abc")
        assert (result.status_id, result.stdout, result.done) == (3, b"cba\n", True)
        tokens = judge.submit_batch([{"source_code": "cHJpbnQoMSk=", "language_id": 71}, {"language_id": 71}])
        assert isinstance(tokens[0], str) and tokens[1] == {"source_code": ["can't be blank"]}
        assert judge.wait(str(tokens[0])).stdout == b"1\n"
        with pytest.raises(ServerError) as raised:
            judge.submit("x", 9999)
        assert raised.value.status == 422 and raised.value.errors == {"language_id": ["language with id 9999 doesn't exist"]}
        with pytest.raises(ServerError, match="not found"):
            judge.get("no-such-token")


def test_problem_and_grading(shared_service: Api) -> None:
    with Client(shared_service.url) as judge:
        problem = judge.upload_problem(PROBLEMS / "circle-area")
        grading = judge.wait_grading(judge.grade(problem, "import math\nprint(math.pi * float(input()) ** 2)", 71))
        assert (grading.verdict, grading.score, grading.max_score) == ("AC", 3.0, 3.0)
        assert [test.name for test in grading.tests] == ["1", "2", "3"]


def test_async_client(shared_service: Api) -> None:
    async def scenario() -> tuple[bytes | None, str | None]:
        async with AsyncClient(shared_service.url) as judge:
            results = await asyncio.gather(*(judge.run(f"print({i} * 2)", 71) for i in range(4)))
            problem = await judge.upload_problem(PROBLEMS / "circle-area")
            grading = await judge.wait_grading(await judge.grade(problem, "print(0)", 71, priority="batch"))
            return b"".join(r.stdout or b"" for r in results), grading.verdict
    assert asyncio.run(scenario()) == (b"0\n2\n4\n6\n", "WA")
