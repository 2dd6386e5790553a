"""Judge0's informational endpoints: languages, statuses, configuration, about, system, statistics, workers."""

from __future__ import annotations

import subprocess
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import PlainTextResponse

import judge
from judge import judge0
from judge.api.auth import authenticated
from judge.api.errors import ApiError
from judge.api.services import Services, services

router = APIRouter(dependencies=[Depends(authenticated)])
JUDGE0_VERSION = "1.13.1"  # what Judge0's official SDK looks up for its language aliases
STATISTICS_CACHE_SECONDS = 600


@router.get("/languages")
def languages(found: Services = Depends(services)) -> Any:
    return sorted(({"id": entry["id"], "name": entry["name"]} for entry in found.languages().values()),
                  key=lambda entry: str(entry["name"]))


@router.get("/languages/all")
def all_languages(found: Services = Depends(services)) -> Any:
    return sorted(({"id": entry["id"], "name": entry["name"], "is_archived": False}
                   for entry in found.languages().values()), key=lambda entry: str(entry["name"]))


@router.get("/languages/{language_id}")
def language(language_id: int, found: Services = Depends(services)) -> Any:
    entry = found.languages().get(language_id)
    if entry is None:
        raise ApiError(404, f"language with id {language_id} doesn't exist")
    return {key: entry[key] for key in ("id", "name", "is_archived", "source_file", "compile_cmd", "run_cmd")}


@router.get("/statuses")
def statuses() -> Any:
    return [{"id": identifier, "description": description} for identifier, description in judge0.STATUSES.items()]


@router.get("/config_info")
def config_info(found: Services = Depends(services)) -> Any:
    return found.judge0.model_dump()


@router.get("/about")
def about() -> Any:
    return {"version": JUDGE0_VERSION, "homepage": "https://github.com/judge-sandbox/judge",
            "source_code": "https://github.com/judge-sandbox/judge",
            "maintainer": f"judge {judge.__version__}, a Judge0-compatible sandbox service"}


@router.get("/version", response_class=PlainTextResponse)
def version() -> str:
    return JUDGE0_VERSION


@router.get("/license", response_class=PlainTextResponse)
def license_text() -> str:
    return "MIT License: judge, a Judge0-compatible code execution sandbox.\n"


@router.get("/isolate", response_class=PlainTextResponse)
def isolate() -> str:
    return f"judge sandbox {judge.__version__} (namespaces, cgroups and seccomp; not isolate)\n"


@router.get("/system_info")
def system_info() -> Any:
    """lscpu's fields and free -h's lines, as Judge0 shows them."""
    info: dict[str, str] = {}
    for command in (["lscpu"], ["free", "-h"]):
        try:
            output = subprocess.run(command, capture_output=True, text=True, timeout=5).stdout
        except (OSError, subprocess.TimeoutExpired):
            continue
        for line in output.splitlines():
            key, _, value = line.partition(":")
            if value.strip():
                info[key.strip()] = " ".join(value.split())
    return info


_statistics: dict[str, Any] = {}


@router.get("/statistics")
def statistics(invalidate_cache: str | None = None, found: Services = Depends(services)) -> Any:
    if invalidate_cache == "true" or time.time() >= _statistics.get("expires", 0):
        _statistics.update(expires=time.time() + STATISTICS_CACHE_SECONDS, value=_compute_statistics(found))
    return _statistics["value"]


def _compute_statistics(found: Services) -> dict[str, Any]:
    now = datetime.now(UTC)
    records = found.store.records_since(30 * 86400)
    days = Counter(record.created_at[:10] for record in records)
    last_30 = {(now - timedelta(days=back)).strftime("%Y-%m-%d"): 0 for back in range(29, -1, -1)}
    last_30.update({day: count for day, count in days.items() if day in last_30})
    languages = Counter(int(record.request.get("language_id", 0)) for record in records)
    statuses = Counter(record.status for record in records)
    memory = found.store.redis.info("memory")
    return {
        "created_at": now.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "cached_until": (now + timedelta(seconds=STATISTICS_CACHE_SECONDS)).isoformat(
            timespec="milliseconds").replace("+00:00", "Z"),
        "submissions": {"total": len(records), "today": days.get(now.strftime("%Y-%m-%d"), 0),
                        "last_30_days": last_30},
        "languages": [{"language": {"id": language_id, "name": found.language_name(language_id)}, "count": count}
                      for language_id, count in languages.most_common()],
        "statuses": [{"status": {"id": status, "name": judge0.STATUSES[status]}, "count": count}
                     for status, count in statuses.most_common()],
        "database": {"size_pretty": str(memory.get("used_memory_human")), "size_in_bytes": memory.get("used_memory")},
    }


@router.get("/workers")
def workers(found: Services = Depends(services)) -> Any:
    """Per queue: waiting jobs, and the worker processes that take from it (from the workers' own reports
    and the store's count of jobs being processed)."""
    alive = found.workers()
    depths = found.store.queue_depths()
    working = found.store.status_counts().get(judge0.PROCESSING, 0)
    available = sum(int(worker.get("concurrency", 0)) for worker in alive)
    return [{"queue": queue, "size": size, "available": available, "idle": max(available - working, 0),
             "working": min(working, available), "paused": 0, "failed": 0} for queue, size in depths.items()]
