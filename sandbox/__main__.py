"""`python -m sandbox [options] -- CMD ARGS...` runs one command and prints the Result as JSON;
`python -m sandbox doctor` checks the host. Exit status: 0 when the sandbox worked (whatever the
program did), 1 when doctor finds a problem, 2 on a usage error or a sandbox failure."""

from __future__ import annotations

import argparse
import base64
import json
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

from sandbox import Limits, Result, SandboxError, Spec, run
from sandbox.units import parse_size
from sandbox.workdir import WorkDir

DEFAULT_ROOTFS = Path("/var/lib/judge/rootfs/current")


def size(text: str) -> int:
    try:
        return parse_size(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def parser() -> argparse.ArgumentParser:
    cli = argparse.ArgumentParser(prog="python -m sandbox", description=__doc__)
    cli.add_argument("--rootfs", type=Path, default=DEFAULT_ROOTFS, help=f"root filesystem (default {DEFAULT_ROOTFS})")
    cli.add_argument("--workdir", type=Path, help="host directory mounted at /box (default: a fresh one)")
    cli.add_argument("--cpu-time", type=float, default=Limits.cpu_time, help="seconds")
    cli.add_argument("--wall-time", type=float, default=Limits.wall_time, help="seconds")
    cli.add_argument("--memory", type=size, default=Limits.memory, help="e.g. 256M")
    cli.add_argument("--processes", type=int, default=Limits.processes)
    cli.add_argument("--output", type=size, default=Limits.output, help="per stream, e.g. 64K")
    cli.add_argument("--file-size", type=size, default=Limits.file_size)
    cli.add_argument("--stack", type=size, default=Limits.stack)
    cli.add_argument("--open-files", type=int, default=Limits.open_files)
    cli.add_argument("--tmp-size", type=size, default=Limits.tmp_size)
    cli.add_argument("--stdin", type=Path, help="file to feed on standard input")
    cli.add_argument("--env", action="append", default=[], metavar="NAME=VALUE")
    cli.add_argument("command", nargs="+", help="the command (put it after --), or 'doctor'")
    return cli


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == ["doctor"]:
        from sandbox.doctor import report, run_checks

        checks = run_checks(args.rootfs)
        print(report(checks))
        return 0 if all(check.ok for check in checks) else 1
    try:
        limits = Limits(args.cpu_time, args.wall_time, args.memory, args.processes, args.output, args.file_size,
                        args.stack, args.open_files, args.tmp_size)
        env = dict(item.split("=", 1) for item in args.env)
        result = _run_in(args.workdir, lambda workdir: Spec(args.command, args.rootfs, workdir, args.stdin, env,
                                                             limits))
    except (ValueError, SandboxError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(json.dumps(as_json(result)))
    return 2 if result.status == "XX" else 0


def _run_in(workdir: Path | None, make_spec):  # type: ignore[no-untyped-def]
    if workdir is not None:
        return run(make_spec(workdir))
    with WorkDir(Path(tempfile.gettempdir())) as fresh:
        return run(make_spec(fresh.path))


def as_json(result: Result) -> dict[str, object]:
    """The Result with stdout and stderr as text where valid UTF-8, else base64 (flagged)."""
    data: dict[str, object] = asdict(result)
    for stream in ("stdout", "stderr"):
        raw: bytes = getattr(result, stream)
        try:
            data[stream], data[f"{stream}_encoding"] = raw.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            data[stream], data[f"{stream}_encoding"] = base64.b64encode(raw).decode(), "base64"
    return data


if __name__ == "__main__":
    sys.exit(main())
