"""The API under other settings: authentication, authorization, deletion, queue cap, maintenance,
callbacks, and Redis going away."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from judge.api.config import ApiSettings, Judge0Config
from judge.redis_server import RedisServer
from tests.service.conftest import Api, Workers

PY = {"language_id": 71, "source_code": "print(1)"}


def test_authentication_by_header_or_query(make_api: Callable[..., Api]) -> None:
    api = make_api(api=ApiSettings(authn_token="alpha beta"))
    anonymous = api.client()
    for response in (anonymous.get("/languages"), anonymous.post("/submissions", json=PY),
                     anonymous.get("/config_info"), anonymous.post("/authenticate"),
                     api.client(**{"X-Auth-Token": "gamma"}).get("/statuses")):
        assert (response.status_code, response.content) == (401, b"")
    assert api.client(**{"X-Auth-Token": "beta"}).get("/statuses").status_code == 200
    assert anonymous.get("/statuses?X-Auth-Token=alpha").status_code == 200
    assert api.client(**{"X-Auth-Token": "alpha"}).post("/authenticate").status_code == 200


def test_authorization_and_listing(make_api: Callable[..., Api]) -> None:
    api = make_api(api=ApiSettings(authz_token="admin"))
    user = api.client()
    admin = api.client(**{"X-Auth-User": "admin"})
    assert user.post("/submissions", json=PY).status_code == 201
    assert (user.get("/submissions").status_code, admin.post("/authorize").status_code) == (403, 200)
    assert api.client(**{"X-Auth-User": "root"}).post("/authorize").status_code == 403
    listing = admin.get("/submissions?per_page=10").json()
    assert listing["meta"] == {"current_page": 1, "next_page": None, "prev_page": None, "total_pages": 1,
                               "total_count": 1}
    assert listing["submissions"][0]["status"]["id"] == 1


def test_delete_when_enabled(make_api: Callable[..., Api], workers: Workers) -> None:
    api = make_api(Judge0Config(enable_submission_delete=True), ApiSettings(authz_token="admin"))
    admin = api.client(**{"X-Auth-User": "admin"})
    queued = admin.post("/submissions", json=PY).json()["token"]
    response = admin.delete(f"/submissions/{queued}")
    assert response.status_code == 400 and "status is 1" in response.json()["error"]
    workers.start()
    done = admin.post("/submissions?wait=true", json=PY).json()["token"]
    deleted = admin.delete(f"/submissions/{done}")
    assert deleted.status_code == 200 and deleted.json()["stdout"] == "MQo=\n"  # answered in base64
    assert admin.get(f"/submissions/{done}").status_code == 404


def test_delete_is_off_by_default(make_api: Callable[..., Api]) -> None:
    api = make_api(api=ApiSettings(authz_token="admin"))
    response = api.client(**{"X-Auth-User": "admin"}).delete("/submissions/whatever")
    assert (response.status_code, response.json()) == (400, {"error": "delete not allowed"})


def test_queue_cap(make_api: Callable[..., Api]) -> None:
    api = make_api(Judge0Config(max_queue_size=2))
    client = api.client()
    assert [client.post("/submissions", json=PY).status_code for _ in range(2)] == [201, 201]
    response = client.post("/submissions", json=PY)
    assert (response.status_code, response.json()) == (503, {"error": "queue is full"})
    assert api.store.redis.zcard("judge:submissions") == 2


def test_maintenance_and_wait_switches(make_api: Callable[..., Api]) -> None:
    api = make_api(Judge0Config(maintenance_mode=True, enable_wait_result=False))
    client = api.client()
    assert client.post("/submissions", json=PY).json() == {"error": "Judge0 is currently in maintenance."}
    assert client.post("/submissions?wait=true", json=PY).json() == {"error": "wait not allowed"}


def test_redis_unreachable_is_503_and_nothing_half_stored(make_api: Callable[..., Api],
                                                          redis_server: RedisServer) -> None:
    api = make_api()
    client = api.client()
    redis_server.stop()
    response = client.post("/submissions", json=PY)
    assert response.status_code == 503 and "Redis" in response.json()["error"]
    assert client.get("/health").status_code == 503


class Hooks(BaseHTTPRequestHandler):
    received: list[tuple[str, dict[str, object]]] = []

    def do_PUT(self) -> None:
        Hooks.received.append((self.path, json.loads(self.rfile.read(int(self.headers["Content-Length"])))))
        self.send_response(500)  # any answer counts as delivered
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def hook_server() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), Hooks)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Hooks.received.clear()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_callback_after_the_final_status(make_api: Callable[..., Api], workers: Workers, hook_server: str) -> None:
    workers.start()
    api = make_api()
    token = api.client().post("/submissions", json={**PY, "callback_url": f"{hook_server}/done"}).json()["token"]
    api.client().get(f"/submissions/{token}")
    for _ in range(200):
        if Hooks.received:
            break
        threading.Event().wait(0.05)
    path, body = Hooks.received[0]
    assert path == "/done" and body["token"] == token and body["stdout"] == "MQo=\n"  # base64, default fields
    assert set(body) == {"token", "time", "memory", "stdout", "stderr", "compile_output", "message", "status"}
    assert len(Hooks.received) == 1
