"""Contract tests of the Judge0-compatible endpoints: status codes, exact key sets, wire types,
base64 framing, error bodies. Judge0 CE v1.13.1 is the reference (../shared/reference)."""

from __future__ import annotations

import base64
import re
import uuid

import httpx
import pytest

from judge import judge0
from tests.service.conftest import Api

TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
DECIMAL = re.compile(r"^\d+\.\d+$")
PY = 71


@pytest.fixture
def http(shared_service: Api) -> httpx.Client:
    return shared_service.client()


def create(http: httpx.Client, query: str = "wait=true", **body: object) -> httpx.Response:
    return http.post(f"/submissions?{query}", json={"language_id": PY, "source_code": "print(1)", **body})


def indexed(api: Api) -> int:
    return int(api.store.redis.zcard("judge:submissions"))


def test_create_without_wait_answers_only_the_token(http: httpx.Client) -> None:
    response = create(http, "wait=false")
    assert response.status_code == 201 and list(response.json()) == ["token"]
    assert uuid.UUID(response.json()["token"]).version == 4


def test_wait_answers_the_default_fields(http: httpx.Client) -> None:
    response = create(http, source_code="print('hi')")
    body = response.json()
    assert response.status_code == 201 and tuple(body) == judge0.DEFAULT_FIELDS
    assert body["stdout"] == "hi\n" and body["stderr"] is None and body["compile_output"] is None
    assert DECIMAL.match(body["time"]) and isinstance(body["memory"], int)
    assert body["status"] == {"id": 3, "description": "Accepted"}


def test_all_fields_have_exactly_judge0s_keys_and_types(http: httpx.Client) -> None:
    body = create(http, "wait=true&fields=*", stdin="x", expected_output="1").json()
    assert tuple(body) == judge0.ALL_FIELDS and len(body) == 35
    for name in ("time", "wall_time", "cpu_time_limit", "cpu_extra_time", "wall_time_limit"):
        assert isinstance(body[name], str) and DECIMAL.match(body[name]), name
    for name in ("memory", "memory_limit", "stack_limit", "max_file_size", "max_processes_and_or_threads",
                 "number_of_runs", "exit_code", "language_id", "status_id"):
        assert isinstance(body[name], int), name
    assert TIMESTAMP.match(body["created_at"]) and TIMESTAMP.match(body["finished_at"])
    assert (body["cpu_time_limit"], body["wall_time_limit"], body["memory_limit"]) == ("5.0", "10.0", 128000)
    assert body["language"] == {"id": 71, "name": "Python (3.11.2)"} and body["exit_signal"] is None


def test_base64_is_framed_like_ruby(http: httpx.Client) -> None:
    body = create(http, "wait=true&base64_encoded=true", source_code=base64.b64encode(b"print('x' * 100)").decode()).json()
    lines = body["stdout"].split("\n")
    assert body["stdout"].endswith("\n") and all(len(line) == 60 for line in lines[:-2])
    assert base64.b64decode(body["stdout"]) == b"x" * 100 + b"\n"


def test_non_utf8_output_needs_base64(http: httpx.Client) -> None:
    source = "import sys; sys.stdout.buffer.write(b'\\xff\\xfe')"
    token = create(http, "wait=true&fields=token", source_code=source).json()["token"]
    response = http.get(f"/submissions/{token}")
    assert response.status_code == 400 and response.json() == {"error": judge0.NOT_UTF8}
    assert base64.b64decode(http.get(f"/submissions/{token}?base64_encoded=true").json()["stdout"]) == b"\xff\xfe"
    waited = create(http, "wait=true", source_code=source)
    assert waited.status_code == 201 and set(waited.json()) == {"token", "error"}


def test_show_one_and_fields(http: httpx.Client) -> None:
    token = create(http).json()["token"]
    assert tuple(http.get(f"/submissions/{token}").json()) == judge0.DEFAULT_FIELDS
    assert http.get(f"/submissions/{token}?fields=status_id,stdout").json() == {"status_id": 3, "stdout": "1\n"}
    response = http.get(f"/submissions/{token}?fields=stdout,bogus,nope")
    assert response.status_code == 400 and response.json() == {"error": "invalid fields: [bogus, nope]"}
    assert http.get(f"/submissions/{uuid.uuid4()}").status_code == 404


@pytest.mark.parametrize(("body", "errors"), [
    ({}, {"source_code": ["can't be blank"], "language_id": ["can't be blank"]}),
    ({"source_code": "x", "language_id": 9999}, {"language_id": ["language with id 9999 doesn't exist"]}),
    ({"source_code": "x", "language_id": PY, "cpu_time_limit": 16}, {"cpu_time_limit": ["must be less than or equal to 15.0"]}),
    ({"source_code": "x", "language_id": PY, "wall_time_limit": "21"}, {"wall_time_limit": ["must be less than or equal to 20.0"]}),
    ({"source_code": "x", "language_id": PY, "memory_limit": 1000}, {"memory_limit": ["must be greater than or equal to 2048"]}),
    ({"source_code": "x", "language_id": PY, "memory_limit": 600000}, {"memory_limit": ["must be less than or equal to 512000"]}),
    ({"source_code": "x", "language_id": PY, "max_processes_and_or_threads": 0},
     {"max_processes_and_or_threads": ["must be greater than 0"]}),
    ({"source_code": "x", "language_id": PY, "number_of_runs": 21}, {"number_of_runs": ["must be less than or equal to 20"]}),
    ({"source_code": "x", "language_id": PY, "cpu_extra_time": "lots"}, {"cpu_extra_time": ["is not a number"]}),
    ({"source_code": "x", "language_id": PY, "max_file_size": 4097}, {"max_file_size": ["must be less than or equal to 4096"]}),
    ({"source_code": "x", "language_id": PY, "compiler_options": "-O2"},
     {"compiler_options": ["setting compiler options is only allowed for compiled languages"]}),
    ({"source_code": "x", "language_id": PY, "callback_url": "http://example.com/hook"},
     {"callback_url": ["must be an http(s) URL to a host in JUDGE_CALLBACK_ALLOW"]}),
    ({"source_code": "x", "language_id": PY, "additional_files": "bm90IGEgemlw"},
     {"additional_files": ["is not a zip archive: File is not a zip file"]}),
])
def test_invalid_requests_are_422_and_store_nothing(shared_service: Api, http: httpx.Client, body: dict[str, object],
                                                    errors: dict[str, list[str]]) -> None:
    before = indexed(shared_service)
    response = http.post("/submissions", json=body)
    assert (response.status_code, response.json()) == (422, errors)
    assert indexed(shared_service) == before


def test_numeric_strings_are_accepted(http: httpx.Client) -> None:
    body = create(http, "wait=true&fields=cpu_time_limit,memory_limit,language_id,status_id", language_id="71",
                  cpu_time_limit="2.5", memory_limit="64000").json()
    assert body == {"cpu_time_limit": "2.5", "memory_limit": 64000, "language_id": 71, "status_id": 3}


def test_invalid_base64_and_oversized_source(shared_service: Api, http: httpx.Client) -> None:
    before = indexed(shared_service)
    response = create(http, "base64_encoded=true", source_code="not base64 !!")
    assert (response.status_code, response.json()) == (422, {"source_code": ["is not valid base64"]})
    response = create(http, source_code="x" * (shared_service.settings and (1 << 20) + 1))
    assert response.status_code == 422 and response.json()["source_code"][0].startswith("is too long")
    assert indexed(shared_service) == before


def test_batch_create_and_show(http: httpx.Client) -> None:
    items = [{"language_id": PY, "source_code": f"print({i})"} for i in range(3)] + [{"language_id": PY}]
    response = http.post("/submissions/batch", json={"submissions": items})
    answers = response.json()
    assert response.status_code == 201 and len(answers) == 4
    assert all(set(a) == {"token"} for a in answers[:3]) and answers[3] == {"source_code": ["can't be blank"]}
    tokens = ",".join([a["token"] for a in answers[:3]] + [str(uuid.uuid4())])
    for _ in range(100):
        shown = http.get(f"/submissions/batch?tokens={tokens}&fields=token,stdout,status_id").json()["submissions"]
        if all(s is None or s["status_id"] > 2 for s in shown):
            break
    assert [s["stdout"] if s else None for s in shown] == ["0\n", "1\n", "2\n", None]


def test_batch_limits(shared_service: Api, http: httpx.Client) -> None:
    before = indexed(shared_service)
    item = {"language_id": PY, "source_code": "print(1)"}
    response = http.post("/submissions/batch", json={"submissions": [item] * 21})
    assert (response.status_code, response.json()) == (
        400, {"error": "number of submissions in a batch should be less than or equal to 20"})
    response = http.post("/submissions/batch", json={"submissions": []})
    assert (response.status_code, response.json()) == (400, {"error": "there should be at least one submission in a batch"})
    response = http.post("/submissions/batch", json={"submissions": [{"language_id": PY}]})
    assert response.status_code == 422
    assert indexed(shared_service) == before


def test_protected_calls_answer_403_without_user_tokens(http: httpx.Client) -> None:
    for response in (http.get("/submissions"), http.delete(f"/submissions/{uuid.uuid4()}"), http.post("/authorize")):
        assert (response.status_code, response.content) == (403, b"")
    assert http.post("/authenticate").status_code == 200


def test_languages_statuses_config_about(http: httpx.Client) -> None:
    languages = http.get("/languages").json()
    assert languages == sorted(languages, key=lambda entry: entry["name"])
    assert {"id": 71, "name": "Python (3.11.2)"} in languages and all(set(e) == {"id", "name"} for e in languages)
    assert all(entry["is_archived"] is False for entry in http.get("/languages/all").json())
    assert http.get("/languages/50").json() == {
        "id": 50, "name": "C (GCC 12.2.0)", "is_archived": False, "source_file": "main.c",
        "compile_cmd": "/usr/bin/gcc %s main.c -o a.out -lm", "run_cmd": "./a.out %s"}
    assert http.get("/languages/4").status_code == 404
    statuses = http.get("/statuses").json()
    assert len(statuses) == 14 and statuses[10] == {"id": 11, "description": "Runtime Error (NZEC)"}
    config = http.get("/config_info").json()
    assert len(config) == 39 and config["max_cpu_time_limit"] == 15.0 and config["enable_submission_delete"] is False
    assert config["allowed_languages_for_compile_options"] == [] and config["max_submission_batch_size"] == 20
    about = http.get("/about").json()
    assert set(about) == {"version", "homepage", "source_code", "maintainer"} and about["version"] == "1.13.1"
    version = http.get("/version")
    assert version.text == "1.13.1" and version.headers["content-type"].startswith("text/plain")


def test_workers_system_statistics(http: httpx.Client) -> None:
    workers = http.get("/workers").json()
    assert [w["queue"] for w in workers] == ["interactive", "batch"]
    assert all(set(w) == {"queue", "size", "available", "idle", "working", "paused", "failed"} for w in workers)
    assert workers[0]["available"] == 2
    assert "Architecture" in http.get("/system_info").json()
    statistics = http.get("/statistics?invalidate_cache=true").json()
    assert set(statistics) == {"created_at", "cached_until", "submissions", "languages", "statuses", "database"}
    assert statistics["submissions"]["total"] > 0 and len(statistics["submissions"]["last_30_days"]) == 30


def test_judge0_documentation_example(http: httpx.Client) -> None:
    """The 'hello, Judge0' example of Judge0's documentation, in base64, replayed."""
    source = ('#include <stdio.h>\n\nint main(void) {\n  char name[10];\n  scanf("%s", name);\n'
              '  printf("hello, %s\\n", name);\n  return 0;\n}')
    response = http.post("/submissions?base64_encoded=true&wait=true", json={
        "source_code": base64.b64encode(source.encode()).decode(), "language_id": 50,
        "stdin": base64.b64encode(b"Judge0").decode(), "expected_output": base64.b64encode(b"hello, Judge0").decode()})
    body = response.json()
    assert response.status_code == 201 and body["stdout"] == "aGVsbG8sIEp1ZGdlMAo=\n"
    assert body["status"] == {"id": 3, "description": "Accepted"} and body["compile_output"] is None


def test_health_metrics_and_docs(http: httpx.Client) -> None:
    assert http.get("/health").json() == {"status": "healthy", "redis": True, "workers": 1}
    metrics = http.get("/metrics").text
    assert "judge_queue_depth{queue=\"interactive\"}" in metrics and "judge_run_wall_seconds_bucket" in metrics
    docs = http.get("/docs").text
    assert "/docs/assets/swagger-ui-bundle.js" in docs and "https://" not in docs.split("<body>")[0]
    assert http.get("/docs/assets/swagger-ui-bundle.js").status_code == 200
    assert "/submissions" in http.get("/openapi.json").json()["paths"]
