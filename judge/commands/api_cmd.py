"""`judge api`: the HTTP API (uvicorn)."""

from __future__ import annotations

import argparse
import ipaddress
import logging

import uvicorn

from judge.api.config import api_settings

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("api", help="serve the HTTP API (Judge0-compatible)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=2358)
    parser.add_argument("--workers", type=int, default=1, help="API processes")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    warn_if_exposed(args.host)
    uvicorn.run("judge.api.app:default_app", factory=True, host=args.host, port=args.port, workers=args.workers,
                log_level="info")
    return 0


def warn_if_exposed(host: str) -> None:
    if not api_settings().authn_token and not _loopback(host):
        log.warning("the API listens on %s without an auth token: anyone who reaches it can run code here; "
                    "set JUDGE_AUTHN_TOKEN", host)


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"
