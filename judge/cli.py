"""The `judge` command line: one parser, sub-commands registered by `judge.commands`."""

from __future__ import annotations

import argparse
import sys

import httpx
import redis

from judge.client import ServerError
from judge.commands import api_cmd, batch_cmd, doctor_cmd, rootfs_cmd, run_cmd, up_cmd, worker_cmd
from judge.redis_server import RedisServerError
from rootfs import RecipeError, RootfsError
from sandbox import SandboxError

USAGE_ERROR = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="judge", description="compile, run and grade untrusted code")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for module in (rootfs_cmd, run_cmd, batch_cmd, worker_cmd, api_cmd, up_cmd, doctor_cmd):
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        status: int = args.handler(args)
    except (RootfsError, RecipeError, SandboxError, RedisServerError, ValueError, OSError, ServerError) as error:
        print(f"error: {error}", file=sys.stderr)
        return USAGE_ERROR
    except redis.RedisError as error:
        print(f"error: Redis: {error} (JUDGE_REDIS_URL)", file=sys.stderr)
        return USAGE_ERROR
    except httpx.HTTPError as error:
        print(f"error: cannot reach the server: {error}", file=sys.stderr)
        return USAGE_ERROR
    return status


if __name__ == "__main__":
    sys.exit(main())
