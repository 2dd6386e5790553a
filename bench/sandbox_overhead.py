"""Per-run cost of the sandbox against natively, unshare(1) and bwrap, measured interleaved.

    .venv/bin/python bench/sandbox_overhead.py [--rounds 100] [--back-to-back-runs 100] [--throughput-runs 200]

For /bin/true, a static C hello and `python3 -c pass` it times each way in turn, round after round
(the machine is shared and noisy: interleaving makes every way see the same noise), then prints
medians, the overhead over native, and our overhead as a multiple of unshare's; then the same for
/bin/true run many times in a row per way; finally the throughput of /bin/true runs with 2 in
parallel, ours and unshare's in turns, after a warm-up.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import rootfs
from judge.config import settings
from sandbox import Limits, SandboxPool, Spec

HELLO = '#include <stdio.h>\nint main(void) { puts("hello"); return 0; }\n'
NAMESPACES = ["unshare", "-U", "-r", "-p", "-f", "-m", "-n", "-i", "-u"]


def spawn(argv: list[str]) -> None:
    quiet = [(os.POSIX_SPAWN_OPEN, 1, "/dev/null", os.O_WRONLY, 0)]
    pid = os.posix_spawnp(argv[0], argv, {"PATH": "/usr/bin:/bin"}, file_actions=quiet)
    os.waitpid(pid, 0)


def bwrap(tree: Path, workdir: Path, argv: list[str]) -> list[str]:
    return ["bwrap", "--unshare-all", "--ro-bind", str(tree), "/", "--bind", str(workdir), "/box", "--proc",
            "/proc", "--dev", "/dev", "--tmpfs", "/tmp", *argv]


def build_hello(pool: SandboxPool, tree: Path, workdir: Path) -> None:
    (workdir / "hello.c").write_text(HELLO)
    result = pool.run(Spec(["/usr/bin/gcc", "-static", "-O2", "-o", "hello", "hello.c"], tree, workdir,
                           limits=Limits(cpu_time=20, wall_time=40, memory=512 << 20)))
    assert result.status == "OK", result


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--rounds", type=int, default=100)
    options.add_argument("--back-to-back-runs", type=int, default=100)
    options.add_argument("--throughput-runs", type=int, default=200)
    args = options.parse_args()
    tree = rootfs.current_tree(settings().rootfs, rootfs.load_recipe().hash)
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    os.chown(workdir, 65534, 65534)
    workdir.chmod(0o755)  # unshare's and bwrap's root must reach the programs in it too
    pool = SandboxPool()
    try:
        build_hello(pool, tree, workdir)
        native_hello = str(workdir / "hello-native")
        shutil.copy(workdir / "hello", native_hello)
        programs = {"/bin/true": (["/bin/true"], ["/bin/true"]),
                    "static C hello": ([native_hello], ["/box/hello"]),
                    "python3 -c pass": (["/usr/bin/python3", "-c", "pass"], ["/usr/bin/python3", "-c", "pass"])}
        ways: dict[str, Callable[[list[str], list[str]], object]] = {
            "native": lambda host, inside: spawn(host),
            "ours": lambda host, inside: pool.run(Spec(inside, tree, workdir)),
            "unshare": lambda host, inside: spawn(NAMESPACES + host),
            "bwrap": lambda host, inside: spawn(bwrap(tree, workdir, inside)),
        }
        report_latency(programs, ways, args.rounds)
        report_back_to_back(ways, args.back_to_back_runs)
        report_throughput(pool, tree, workdir, args.throughput_runs)
    finally:
        pool.close()
        shutil.rmtree(workdir)


def report_latency(programs: dict[str, tuple[list[str], list[str]]],
                   ways: dict[str, Callable[[list[str], list[str]], object]], rounds: int) -> None:
    times: dict[tuple[str, str], list[float]] = {(p, w): [] for p in programs for w in ways}
    for _ in range(rounds):
        for program, (host, inside) in programs.items():
            for way, call in ways.items():
                started = time.perf_counter()
                call(host, inside)
                times[(program, way)].append(time.perf_counter() - started)
    print(f"median wall time per run, ms ({rounds} interleaved rounds)")
    print(f"{'program':18} {'native':>8} {'ours':>8} {'unshare':>8} {'bwrap':>8}   {'ours-native':>11} "
          f"{'unshare-native':>14} {'overhead ratio':>14}")
    for program in programs:
        medians = {way: statistics.median(times[(program, way)]) * 1000 for way in ways}
        ours, floor = medians["ours"] - medians["native"], medians["unshare"] - medians["native"]
        print(f"{program:18} {medians['native']:8.2f} {medians['ours']:8.2f} {medians['unshare']:8.2f} "
              f"{medians['bwrap']:8.2f}   {ours:+11.2f} {floor:+14.2f} {ours / floor:13.2f}x")


def report_back_to_back(ways: dict[str, Callable[[list[str], list[str]], object]], runs: int,
                        turns: int = 9) -> None:
    """/bin/true `runs` times in a row, each way in turn: no other program between two of ours, so
    nothing hides the work an init leaves for after its result (its exit, reaped in the background)."""
    times: dict[str, list[float]] = {way: [] for way in ("native", "ours", "unshare")}
    for _ in range(turns):
        for way in times:
            started = time.perf_counter()
            for _ in range(runs):
                ways[way](["/bin/true"], ["/bin/true"])
            times[way].append((time.perf_counter() - started) / runs * 1000)
    native, ours, unshare = (statistics.median(times[way]) for way in ("native", "ours", "unshare"))
    print(f"\nback to back, /bin/true {runs} times in a row (median of {turns} turns): native {native:.2f} ms, "
          f"ours {ours:.2f} ms, unshare {unshare:.2f} ms; overhead ratio {(ours - native) / (unshare - native):.2f}x")


def report_throughput(pool: SandboxPool, tree: Path, workdir: Path, runs: int, rounds: int = 3) -> None:
    """Runs per second of `runs` /bin/true runs, 2 in parallel, ours and unshare's in turn; the median
    of `rounds` turns each (one turn is half a second: a neighbour's burst would decide it alone)."""
    spec = Spec(["/bin/true"], tree, workdir)
    rates: dict[str, list[float]] = {"ours": [], "unshare": []}
    with ThreadPoolExecutor(max_workers=2) as threads:
        list(threads.map(lambda _: pool.run(spec), range(20)))  # both slots up, their inits cloned ahead
        for _ in range(rounds):
            started = time.perf_counter()
            statuses = list(threads.map(lambda _: pool.run(spec).status, range(runs)))
            rates["ours"].append(runs / (time.perf_counter() - started))
            assert set(statuses) == {"OK"}, statuses
            started = time.perf_counter()
            list(threads.map(lambda _: spawn([*NAMESPACES, "/bin/true"]), range(runs)))
            rates["unshare"].append(runs / (time.perf_counter() - started))
    ours, unshare = (statistics.median(rates[way]) for way in ("ours", "unshare"))
    print(f"\nthroughput, {runs} /bin/true runs, 2 in parallel (median of {rounds}): ours {ours:.0f} runs/s, "
          f"unshare {unshare:.0f} runs/s")


if __name__ == "__main__":
    main()
