"""What each worker process holds: the store, the judge with its sandbox pool, the languages offered.

The main process checks the rootfs and runs every language's self-test before it forks its pool
processes (a language that fails is not offered, and the log says why); each pool process then
opens its own store connection and sandbox pool (forkers must not be shared across a fork).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any

import redis
from celery import signals

from judge.config import settings
from judge.judge0 import language_json
from judge.languages import LANGUAGES
from judge.local import current_rootfs, local_judge, toolchain_versions
from judge.pipeline import Judge
from judge.problem_store import ProblemStore
from judge.selftest import self_test
from judge.store import LANGUAGES as LANGUAGES_KEY
from judge.store import Store
from sandbox import SandboxPool

log = logging.getLogger(__name__)
HEARTBEAT_SECONDS = 10
HEARTBEAT_TTL = 30


@dataclass
class Runtime:
    store: Store
    judge: Judge
    offered: dict[int, str]  # language id -> "" when offered, else why not
    callback_hosts: set[str]
    problems: ProblemStore


_offered: dict[int, str] = {}
_runtime: Runtime | None = None


def runtime() -> Runtime:
    """This process's runtime, made on first use (also under `--pool solo`, which has no process init)."""
    global _runtime
    if _runtime is None:
        config = settings()
        store = config.store()
        _runtime = Runtime(store, local_judge(config), _offered or check_languages(),
                           set(config.callback_allow.split()), ProblemStore(store.redis))
    return _runtime


def check_languages() -> dict[int, str]:
    """Run every self-test once; returns {id: ""} for working languages, {id: why} for the others."""
    pool = SandboxPool()
    try:
        judge = local_judge(settings(), pool)
        results = {language.id: self_test(judge, language) for language in LANGUAGES.values()}
    finally:
        pool.close()
    for language_id, problem in results.items():
        if problem:
            log.error("not offering %s: %s", LANGUAGES[language_id].name, problem)
    return results


def publish(hostname: str, concurrency: int, offered: dict[int, str]) -> None:
    """Tell the API what this worker offers (language names with the rootfs's versions), then keep
    a heartbeat that expires HEARTBEAT_TTL seconds after the worker stops."""
    config = settings()
    store = config.store()
    versions = toolchain_versions(current_rootfs(config))
    languages = {str(language.id): json.dumps(language_json(language, versions))
                 for language in LANGUAGES.values() if not offered.get(language.id)}
    for language_id, entry in languages.items():
        store.redis.hset(LANGUAGES_KEY, language_id, entry)
    info = {"hostname": hostname, "pid": os.getpid(), "host": socket.gethostname(), "concurrency": concurrency,
            "started": time.time(), "languages": sorted(int(key) for key in languages)}
    store.beat(hostname, info, HEARTBEAT_TTL)

    def keep_beating() -> None:
        while True:
            time.sleep(HEARTBEAT_SECONDS)
            with contextlib.suppress(redis.RedisError):
                store.beat(hostname, info, HEARTBEAT_TTL)

    threading.Thread(target=keep_beating, name="judge-heartbeat", daemon=True).start()


@signals.worker_init.connect
def _before_forking(**_: object) -> None:
    global _offered
    _offered = check_languages()


@signals.worker_ready.connect
def _ready(sender: Any = None, **_: object) -> None:
    publish(sender.hostname, sender.controller.concurrency, _offered)


@signals.worker_process_shutdown.connect
def _process_gone(**_: object) -> None:
    """Each pool process waits for its forkers, so that a stopped worker leaves no process behind."""
    if _runtime is not None:
        _runtime.judge.pool.close()


@signals.worker_shutdown.connect
def _gone(sender: Any = None, **_: object) -> None:
    config = settings()
    with contextlib.suppress(redis.RedisError):
        config.store().forget_worker(sender.hostname)
