"""Our extension: problems uploaded once, gradings compiled once and run on every test."""

from __future__ import annotations

import base64
from pathlib import Path

import httpx
import pytest

from judge.problem_codec import zip_of
from tests.service.conftest import Api

PROBLEMS = Path(__file__).parent.parent / "judge" / "problems"


def b64(text: str | bytes) -> str:
    return base64.b64encode(text.encode() if isinstance(text, str) else text).decode()


@pytest.fixture
def http(shared_service: Api) -> httpx.Client:
    return shared_service.client()


INLINE = {"tests": [{"name": "1", "stdin": b64("2 3\n"), "expected_output": b64("5\n")},
                    {"name": "2", "stdin": b64("10 -1\n"), "expected_output": b64("9\n")},
                    {"name": "3", "stdin": b64("0 0\n"), "expected_output": b64("0\n")}],
          "limits": {"cpu_time": 1, "memory": "64M"}, "groups": [{"name": "easy", "points": 40, "tests": ["1"]},
                                                                  {"name": "rest", "points": 60, "tests": ["2", "3"]}]}


def test_upload_is_content_addressed(http: httpx.Client) -> None:
    first, second = http.post("/problems", json=INLINE), http.post("/problems", json=INLINE)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"] and len(first.json()["id"]) == 64
    shown = http.get(f"/problems/{first.json()['id']}").json()
    assert shown["tests"] == ["1", "2", "3"] and shown["checker"] == "lines"
    assert shown["limits"]["memory"] == 64 << 20 and shown["groups"][1] == {"name": "rest", "points": 60, "tests": ["2", "3"]}


def test_grading_reports_every_test_and_the_score(http: httpx.Client) -> None:
    problem = http.post("/problems", json=INLINE).json()["id"]
    source = "a, b = map(int, input().split())\nprint(a + b if a < 5 else a - b)\n"
    report = http.post("/gradings?wait=true", json={"problem_id": problem, "language_id": 71,
                                                     "source_code": source}).json()
    assert report["status"]["id"] == 4 and report["verdict"] == "WA"
    assert (report["score"], report["max_score"]) == (40, 100)
    assert [(t["name"], t["verdict"], t["points"]) for t in report["tests"]] == [
        ("1", "AC", 40), ("2", "WA", 0), ("3", "AC", 0)]
    assert report["tests"][1]["stdout"] == "11\n" and isinstance(report["tests"][0]["memory"], int)
    assert http.get(f"/gradings/{report['token']}").json()["tests"] == report["tests"]


def test_grading_a_zipped_problem_with_a_custom_checker(http: httpx.Client) -> None:
    problem = http.post("/problems", json={"zip": b64(zip_of(PROBLEMS / "two-summands"))})
    assert problem.status_code == 201, problem.text
    report = http.post("/gradings?wait=true", json={
        "problem_id": problem.json()["id"], "language_id": 50,
        "source_code": "#include <stdio.h>\nint main(void){int n; scanf(\"%d\",&n); printf(\"%d %d\\n\", 0, n);}"}).json()
    assert (report["verdict"], report["score"]) == ("AC", 100.0)


def test_inline_problem_and_compile_error(http: httpx.Client) -> None:
    report = http.post("/gradings?wait=true", json={"problem": INLINE, "language_id": 50,
                                                     "source_code": "int main( {"}).json()
    assert report["verdict"] == "CE" and report["status"]["id"] == 6 and "expected" in report["compile_output"]
    assert report["tests"] == []


@pytest.mark.parametrize(("body", "field"), [
    ({"problem_id": "0" * 64, "language_id": 71, "source_code": "x"}, "problem_id"),
    ({"language_id": 71, "source_code": "x"}, "problem_id"),
    ({"problem": {"tests": []}, "language_id": 71, "source_code": "x"}, "problem"),
    ({"problem": {**INLINE, "checker": {"name": "fuzzy"}}, "language_id": 71, "source_code": "x"}, "problem"),
    ({"problem": INLINE, "language_id": 71, "source_code": "x", "priority": "urgent"}, "priority"),
    ({"problem": INLINE, "language_id": 12345, "source_code": "x"}, "language_id"),
])
def test_bad_gradings_are_422(http: httpx.Client, body: dict[str, object], field: str) -> None:
    response = http.post("/gradings", json=body)
    assert response.status_code == 422 and field in response.json(), response.json()


def test_unknown_grading_is_404(http: httpx.Client) -> None:
    assert http.get("/gradings/nope").status_code == 404
