"""Our own operational endpoints: GET /health and GET /metrics (Prometheus)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily
from prometheus_client.registry import Collector, CollectorRegistry

from judge import judge0
from judge.api.services import Services, services

router = APIRouter()
DURATION_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0)


@router.get("/health")
def health(found: Services = Depends(services)) -> Any:
    try:
        redis_ok = found.store.ping()
        workers = len(found.workers())
    except Exception as error:
        return JSONResponse({"status": "unhealthy", "redis": False, "workers": 0, "error": str(error)}, 503)
    healthy = redis_ok and workers > 0
    return JSONResponse({"status": "healthy" if healthy else "unhealthy", "redis": redis_ok, "workers": workers},
                        status_code=200 if healthy else 503)


@router.get("/metrics")
def metrics(found: Services = Depends(services)) -> Response:
    registry = CollectorRegistry()
    registry.register(StoreCollector(found))
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)


class StoreCollector(Collector):
    """Computed from the store at scrape time: it is shared by every API process and worker."""

    def __init__(self, found: Services) -> None:
        self.found = found

    def collect(self) -> Iterator[Any]:
        records = self.found.store.records_since(self.found.settings.retention_seconds)
        submissions = GaugeMetricFamily("judge_submissions", "Stored submissions by status and language",
                                        labels=["status", "language"])
        counts: dict[tuple[str, str], int] = {}
        durations: list[float] = []
        for record in records:
            language = self.found.language_name(int(record.request.get("language_id", 0)))
            key = (judge0.STATUSES.get(record.status, str(record.status)), language)
            counts[key] = counts.get(key, 0) + 1
            if record.result and record.result.get("wall_time") is not None:
                durations.append(float(record.result["wall_time"]))
        for (status, language), count in sorted(counts.items()):
            submissions.add_metric([status, language], count)
        yield submissions
        queue = GaugeMetricFamily("judge_queue_depth", "Jobs waiting per queue", labels=["queue"])
        for name, depth in self.found.store.queue_depths().items():
            queue.add_metric([name], depth)
        yield queue
        yield _histogram(durations)
        errors = sum(count for (status, _), count in counts.items() if status == judge0.STATUSES[13])
        yield GaugeMetricFamily("judge_internal_errors", "Stored submissions that ended in Internal Error",
                                value=errors)


def _histogram(values: list[float]) -> HistogramMetricFamily:
    buckets = [(str(bound), sum(value <= bound for value in values)) for bound in DURATION_BUCKETS]
    buckets.append(("+Inf", len(values)))
    return HistogramMetricFamily("judge_run_wall_seconds", "Wall time of judged runs", buckets=buckets,
                                 sum_value=sum(values))
