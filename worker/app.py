"""The Celery app. Redis is the broker; results live in the judge's own store, not Celery's."""

from __future__ import annotations

from urllib.parse import urlsplit

from celery import Celery
from kombu.entity import Exchange, Queue

from judge.config import Settings, settings
from judge.store import QUEUES


def make_app(config: Settings) -> Celery:
    app = Celery("judge", broker=config.redis_url, include=["worker.tasks"])
    app.conf.update(
        # The job's result goes to the submission store, written by the task itself.
        task_ignore_result=True,
        # Acknowledge a job only once it is done, so that a job whose worker dies is delivered again...
        task_acks_late=True,
        # ...also when only the worker process running it is killed (the parent would otherwise ack it).
        task_reject_on_worker_lost=True,
        # One job at a time per process: a long job never holds others back in a local buffer.
        worker_prefetch_multiplier=1,
        broker_transport_options={
            # An unacknowledged job is redelivered after this long: longer than any job may take,
            # or a job still running would be judged twice.
            "visibility_timeout": config.max_job_seconds + 120,
            # Read the queues in the order the worker lists them: interactive before batch.
            "queue_order_strategy": "priority",
        },
        # Above the longest job (the API refuses longer ones), so a limit means something is stuck.
        task_soft_time_limit=config.max_job_seconds + 30,
        task_time_limit=config.max_job_seconds + 60,
        # Worker processes are recycled now and then (memory fragmentation, leaks in libraries).
        worker_max_tasks_per_child=config.max_tasks_per_child,
        # Events on, so Flower works unchanged.
        worker_send_task_events=True,
        task_send_sent_event=True,
        task_queues=[Queue(name, Exchange(name), routing_key=name) for name in QUEUES],
        task_default_queue=QUEUES[0],
        task_serializer="json",
        accept_content=["json"],
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
    )
    if config.redis_url.startswith("sentinel://"):
        # Celery's own Sentinel transport follows the master through failovers.
        app.conf.broker_transport_options["master_name"] = config.redis_sentinel_master
        password = urlsplit(config.redis_url.split(";")[0]).password
        if password:
            app.conf.broker_transport_options["sentinel_kwargs"] = {"password": password}
    return app


app = make_app(settings())
