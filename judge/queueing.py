"""Submitting: store the records, then queue a job per token on Celery. If queueing fails, the
records are removed again, so that no submission is left stored but never judged."""

from __future__ import annotations

import contextlib
from typing import Protocol

import redis

from judge.store import Record, Store

JOB = "judge.job"


class QueueUnavailable(Exception):
    """Redis cannot be reached: nothing was stored or queued."""


class TaskSender(Protocol):
    def send_task(self, name: str, args: list[str], queue: str) -> object: ...


def enqueue(store: Store, sender: TaskSender, *records: Record) -> None:
    """Raises: QueueUnavailable."""
    try:
        store.create(*records)
    except redis.RedisError as error:
        raise QueueUnavailable(f"the queue is unavailable (Redis: {error})") from error
    try:
        for record in records:
            sender.send_task(JOB, args=[record.token], queue=record.queue)
    except Exception as error:
        for record in records:
            with contextlib.suppress(redis.RedisError):
                store.delete(record.token)
        raise QueueUnavailable(f"the queue is unavailable: {error}") from error
