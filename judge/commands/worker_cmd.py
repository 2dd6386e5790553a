"""`judge worker`: a Celery worker judging queued submissions on this machine."""

from __future__ import annotations

import argparse
import os
import warnings

from judge.config import settings
from judge.local import current_rootfs
from judge.store import QUEUES


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("worker", help="judge queued submissions (a Celery worker)")
    parser.add_argument("--concurrency", type=int, default=os.cpu_count() or 1, help="parallel jobs (default: CPUs)")
    parser.add_argument("--queues", default=",".join(QUEUES), help="queues to take jobs from, in priority order")
    parser.add_argument("--hostname", help="node name, distinct per worker (default: celery@<host>)")
    parser.add_argument("--loglevel", default="INFO")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    current_rootfs(settings())  # fail now, naming `judge rootfs build`, rather than at the first job
    from celery.platforms import SecurityWarning

    from worker.app import app

    # Celery warns against running as root; the sandbox needs root for namespaces and cgroups, and the
    # judged programs themselves run as nobody with no capabilities.
    warnings.filterwarnings("ignore", category=SecurityWarning)

    argv = ["worker", f"--concurrency={args.concurrency}", f"--queues={args.queues}", f"--loglevel={args.loglevel}",
            "--without-gossip", "--without-mingle"]
    if args.hostname:
        argv += ["--hostname", args.hostname]
    app.worker_main(argv)
    return 0
