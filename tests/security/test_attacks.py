"""The hostile-submission suite (attacks.yaml): every attack must fail, and the run must end as
expected. A few attacks need the host checked afterwards; they have tests of their own below."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
import yaml

from judge import models
from judge.models import Submission, Verdict
from judge.pipeline import Judge
from judge.redis_server import RedisServer
from sandbox import Limits
from tests.sandbox.test_pidns import sandboxed_host_processes

MiB = 1 << 20
ATTACKS = yaml.safe_load((Path(__file__).parent / "attacks.yaml").read_text())["attacks"]
DEFAULTS = {"cpu_time": 2.0, "wall_time": 5.0, "memory": 128 * MiB, "processes": 32, "output": 64 << 10}
SECRET = "judge-host-secret-4f1c"


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory, rootfs_tree: Path) -> Iterator[dict[str, str]]:
    """What the attacks aim at: a secret file, a Redis and another service, all on the host."""
    base = tmp_path_factory.mktemp("host")
    (base / "secret.txt").write_text(SECRET)
    server = RedisServer.start(base / "redis")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    yield {"secret_path": str(base / "secret.txt"), "secret": SECRET, "redis_port": str(server.port),
           "listener_port": str(listener.getsockname()[1]), "redis_url": server.url}
    listener.close()
    server.stop()


def fill(text: str, host: dict[str, str]) -> str:
    for key in ("secret_path", "secret", "redis_port", "listener_port"):
        text = text.replace("{" + key + "}", host[key])
    return text


def judged(judge: Judge, attack: dict[str, Any], host: dict[str, str]) -> models.TestReport:
    limits = Limits(**{**DEFAULTS, **attack.get("limits", {})})
    submission = Submission(fill(attack["source"], host).encode(), attack["language"],
                            (models.TestCase("1", attack.get("stdin", "").encode()),), limits)
    report = judge.judge(submission)
    assert report.tests, f"no test ran: {report.verdict} {report.compile_output!r} {report.message}"
    return report.tests[0]


@pytest.mark.parametrize("attack", ATTACKS, ids=[attack["name"] for attack in ATTACKS])
def test_attack_fails(judge: Judge, host: dict[str, str], attack: dict[str, Any]) -> None:
    result = judged(judge, attack, host)
    output = result.stdout.decode("utf-8", "replace")
    assert "BREACH" not in output + result.stderr.decode("utf-8", "replace"), output
    expected = attack["verdict"] if isinstance(attack["verdict"], list) else [attack["verdict"]]
    assert result.verdict in [Verdict(v) for v in expected], (result.verdict, result.message, output[:500])
    if "stdout_equals" in attack:
        assert output == fill(attack["stdout_equals"], host)
    if "stdout_has" in attack:
        assert fill(attack["stdout_has"], host) in output
    for text in attack.get("stdout_lacks", []):
        assert fill(text, host) not in output
    for text, count in attack.get("stdout_count", {}).items():
        assert output.count(text) == count, output
    if attack.get("stdout_bytes") == "range256":
        assert result.stdout == bytes(range(256))
    if "signal" in attack:
        assert result.signal == attack["signal"]


def test_host_redis_never_saw_a_connection(judge: Judge, host: dict[str, str]) -> None:
    client = redis.Redis.from_url(host["redis_url"])
    before = int(client.info("stats")["total_connections_received"])
    attack = next(a for a in ATTACKS if a["name"] == "the host's Redis on 127.0.0.1")
    judged(judge, attack, host)
    assert int(client.info("stats")["total_connections_received"]) == before  # our client reuses its connection


def test_symlinks_in_box_do_not_lead_host_code_out(judge: Judge, host: dict[str, str], tmp_path: Path) -> None:
    """Judge0's 2024 escape: a link the program leaves in /box, followed later by host-side code. The
    next test's copy of the work directory skips links; the host file is neither read nor written."""
    target = tmp_path / "host-file"
    target.write_text("original")
    source = (f"import os\nfor name in ('script.py.bak', 'a.out', 'stdout', 'input.txt'):\n"
              f"    os.symlink('{target}', name)\nos.symlink('/', 'root')\nprint(sorted(os.listdir('.')))\n")
    submission = Submission(source.encode(), 71, (models.TestCase("1"), models.TestCase("2")),
                            Limits(**DEFAULTS))  # type: ignore[arg-type]
    report = judge.judge(submission)
    assert [t.verdict for t in report.tests] == [Verdict.ACCEPTED, Verdict.ACCEPTED]
    assert target.read_text() == "original"
    assert b"original" not in report.tests[1].stdout + report.tests[1].stderr


def test_orphaned_daemon_dies_with_the_run(judge: Judge, host: dict[str, str]) -> None:
    source = ("import os, time\nif os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n"
              "        for fd in (0, 1, 2): os.close(fd)\n        time.sleep(120)\n    os._exit(0)\nprint('left')\n")
    report = judge.judge(Submission(source.encode(), 71, (models.TestCase("1"),), Limits(**DEFAULTS)))  # type: ignore[arg-type]
    assert report.tests[0].stdout == b"left\n"
    deadline = time.monotonic() + 3
    while sandboxed_host_processes() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sandboxed_host_processes() == []


def test_one_run_cannot_see_another_runs_files(judge: Judge, host: dict[str, str]) -> None:
    write = Submission(b"open('/tmp/mine', 'w').write('secret'); open('/box/mine', 'w').write('secret')", 71,
                       (models.TestCase("1"),), Limits(**DEFAULTS))  # type: ignore[arg-type]
    judge.judge(write)
    look = Submission(b"import os; print(os.listdir('/tmp'), sorted(os.listdir('/box')))", 71,
                      (models.TestCase("1"),), Limits(**DEFAULTS))  # type: ignore[arg-type]
    assert judge.judge(look).tests[0].stdout == b"[] ['script.py']\n"


def test_killing_everything_leaves_the_worker_working(judge: Judge, host: dict[str, str]) -> None:
    attack = next(a for a in ATTACKS if a["name"] == "kill everything it can see")
    judged(judge, attack, host)
    control = next(a for a in ATTACKS if a["name"] == "control hello in C")
    assert judged(judge, control, host).stdout == b"hello\n"
