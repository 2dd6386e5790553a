"""The submission store in Redis, shared by the API and the workers.

One hash per token (`judge:sub:<token>`: kind, request, status, result, times, queue, callback) that
expires after the retention period, and a sorted set of tokens by creation time for paging and
statistics. A result is written only while the status is In Queue or Processing (a Lua script does
the check and the write atomically), so a redelivered job can be judged again but never stores a
second, different result.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import redis
from redis.sentinel import Sentinel

PREFIX = "judge:"
INDEX = PREFIX + "submissions"
LANGUAGES = PREFIX + "languages"
WORKER = PREFIX + "worker:"  # + hostname: a heartbeat that expires when the worker stops beating
IN_QUEUE, PROCESSING = 1, 2
QUEUES = ("interactive", "batch")  # in priority order

TAKE = """
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return false end
if tonumber(status) <= 2 then
    redis.call('HSET', KEYS[1], 'status', 2, 'started_at', ARGV[1], 'worker', ARGV[2])
end
return redis.call('HGETALL', KEYS[1])
"""
FINISH = """
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return -1 end
if tonumber(status) > 2 then return 0 end
redis.call('HSET', KEYS[1], 'status', ARGV[1], 'result', ARGV[2], 'finished_at', ARGV[3], 'callback', ARGV[4])
return 1
"""


def connect(url: str, sentinel_master: str = "") -> redis.Redis:
    """A client for `url`: redis://[:password@]host:port/db, or, for failover through Redis Sentinel,
    sentinel://[:password@]host:port[;sentinel://host:port...]/db with the master's name given."""
    options: dict[str, Any] = {"decode_responses": True, "socket_connect_timeout": 2, "socket_timeout": 10,
                               "health_check_interval": 30}
    if not url.startswith("sentinel://"):
        return redis.Redis.from_url(url, **options)
    if not sentinel_master:
        raise ValueError("a sentinel:// Redis URL needs JUDGE_REDIS_SENTINEL_MASTER, the name of the master")
    parts = [urlsplit(part if "://" in part else f"sentinel://{part}") for part in url.split(";")]
    password = next((part.password for part in parts if part.password), None)
    database = int(next((part.path.strip("/") for part in parts if part.path.strip("/")), "0"))
    sentinel = Sentinel([(part.hostname or "127.0.0.1", part.port or 26379) for part in parts],  # type: ignore[no-untyped-call]
                        sentinel_kwargs={"password": password} if password else None, **options)
    client: redis.Redis = sentinel.master_for(sentinel_master, password=password, db=database)  # type: ignore[no-untyped-call]
    return client


def now_iso() -> str:
    """Judge0's timestamps: UTC with milliseconds and Z."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


@dataclass(frozen=True)
class Record:
    token: str
    kind: str  # "submission" (Judge0) or "grading"
    request: dict[str, Any]
    status: int = IN_QUEUE
    result: dict[str, Any] | None = None
    created_at: str = field(default_factory=now_iso)
    finished_at: str | None = None
    queue: str = QUEUES[0]
    callback: str = ""  # "", "pending" or "done"
    worker: str = ""  # the node name of the worker that took it last

    @property
    def final(self) -> bool:
        return self.status not in (IN_QUEUE, PROCESSING)


class Store:
    def __init__(self, url: str, retention_seconds: int, sentinel_master: str = "") -> None:
        self.redis = connect(url, sentinel_master)
        self.retention = retention_seconds
        self._take = self.redis.register_script(TAKE)
        self._finish = self.redis.register_script(FINISH)

    @staticmethod
    def key(token: str) -> str:
        return f"{PREFIX}sub:{token}"

    def create(self, *records: Record) -> None:
        """Store new records atomically (all or none).

        Raises:
            redis.RedisError: Redis is unreachable; nothing was stored.
        """
        with self.redis.pipeline(transaction=True) as pipe:
            for record in records:
                pipe.hset(self.key(record.token), mapping={
                    "kind": record.kind, "request": json.dumps(record.request), "status": record.status,
                    "created_at": record.created_at, "queue": record.queue, "result": "", "finished_at": "",
                    "callback": ""})
                pipe.expire(self.key(record.token), self.retention)
                pipe.zadd(INDEX, {record.token: time.time()})
            pipe.execute()

    def get(self, token: str) -> Record | None:
        return self.get_many([token])[0]

    def get_many(self, tokens: list[str]) -> list[Record | None]:
        with self.redis.pipeline(transaction=False) as pipe:
            for token in tokens:
                pipe.hgetall(self.key(token))
            rows = pipe.execute()
        return [self._record(token, row) if row else None for token, row in zip(tokens, rows, strict=True)]

    def take(self, token: str, worker: str) -> Record | None:
        """The record, moved In Queue (or Processing, on redelivery) -> Processing by `worker` unless it
        is final already, in one round trip; None when gone."""
        row = self._take(keys=[self.key(token)], args=[now_iso(), worker])
        return self._record(token, dict(zip(row[::2], row[1::2], strict=True))) if row else None

    def finish(self, token: str, status: int, result: dict[str, Any], callback: bool) -> bool:
        """Store the result unless one is already stored; True when this call stored it."""
        stored = self._finish(keys=[self.key(token)],
                              args=[status, json.dumps(result), now_iso(), "pending" if callback else ""])
        return int(stored) == 1

    def callback_done(self, token: str) -> None:
        self.redis.hset(self.key(token), "callback", "done")

    def delete(self, token: str) -> bool:
        with self.redis.pipeline(transaction=True) as pipe:
            pipe.delete(self.key(token))
            pipe.zrem(INDEX, token)
            removed, _ = pipe.execute()
        return bool(removed)

    def page(self, page: int, per_page: int) -> tuple[list[Record], int]:
        """Newest first."""
        self._prune()
        total = int(self.redis.zcard(INDEX))
        tokens = [str(token) for token in self.redis.zrevrange(INDEX, (page - 1) * per_page, page * per_page - 1)]
        return [record for record in self.get_many(tokens) if record is not None], total

    def status_counts(self) -> dict[int, int]:
        self._prune()
        counts: dict[int, int] = {}
        tokens = [str(token) for token in self.redis.zrange(INDEX, 0, -1)]
        with self.redis.pipeline(transaction=False) as pipe:
            for token in tokens:
                pipe.hget(self.key(token), "status")
            for status in pipe.execute():
                if status is not None:
                    counts[int(status)] = counts.get(int(status), 0) + 1
        return counts

    def records_since(self, seconds: float) -> list[Record]:
        tokens = [str(token) for token in self.redis.zrangebyscore(INDEX, time.time() - seconds, "+inf")]
        return [record for record in self.get_many(tokens) if record is not None]

    def queue_depths(self) -> dict[str, int]:
        """Messages waiting in each Celery queue (the Redis transport keeps one list per queue)."""
        return {queue: int(self.redis.llen(queue)) for queue in QUEUES}

    def ping(self) -> bool:
        return bool(self.redis.ping())

    def beat(self, hostname: str, info: dict[str, Any], ttl: int) -> None:
        self.redis.set(WORKER + hostname, json.dumps(info), ex=ttl)

    def workers(self) -> list[dict[str, Any]]:
        keys = list(self.redis.scan_iter(WORKER + "*", count=100))
        return [json.loads(value) for value in self.redis.mget(keys) if value] if keys else []

    def forget_worker(self, hostname: str) -> None:
        self.redis.delete(WORKER + hostname)

    def _prune(self) -> None:
        """Forget index entries of records the retention period has expired."""
        self.redis.zremrangebyscore(INDEX, "-inf", time.time() - self.retention)

    def _record(self, token: str, row: dict[str, str]) -> Record:
        return Record(token, row["kind"], json.loads(row["request"]), int(row["status"]),
                      json.loads(row["result"]) if row.get("result") else None, row["created_at"],
                      row.get("finished_at") or None, row.get("queue", QUEUES[0]), row.get("callback", ""),
                      row.get("worker", ""))
