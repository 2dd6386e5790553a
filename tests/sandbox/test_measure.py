"""Measurement accuracy: CPU against the same program natively, wall kills, memory peak."""

from __future__ import annotations

import os
import shutil
import statistics
import time

from tests.conftest import Box

MiB = 1 << 20
BURN = """
#include <stdio.h>
int main(void) {
    volatile unsigned long x = 0;
    for (unsigned long i = 0; i < 1500000000UL; i++) x += i;
    printf("%lu\\n", x);
    return 0;
}
"""
TOUCH_100_MIB = """
#include <stdlib.h>
int main(void) {
    volatile char *p = malloc(100 << 20);
    for (long i = 0; i < (100 << 20); i += 4096) p[i] = 7;
    return p[12288] != 7;
}
"""


def native_cpu(program: str) -> float:
    pid = os.posix_spawn(program, [program], {})
    _, _, usage = os.wait4(pid, 0)
    return usage.ru_utime + usage.ru_stime


def test_cpu_time_matches_native(box: Box) -> None:
    """Same static binary, interleaved runs, medians within 5% (or 10 ms)."""
    inside = box.compile_c(BURN, "burn", "-static")
    outside = str(box.workdir / "burn-native")
    shutil.copy(box.workdir / "burn", outside)
    ours, native = [], []
    for _ in range(5):
        result = box.run(inside, cpu_time=10, wall_time=20)
        assert result.status == "OK"
        ours.append(result.cpu_time)
        native.append(native_cpu(outside))
    ours_median, native_median = statistics.median(ours), statistics.median(native)
    assert abs(ours_median - native_median) <= max(0.05 * native_median, 0.010), (ours, native)


def test_wall_kill_lands_within_100_ms(box: Box) -> None:
    for limit in (0.3, 1.0):
        started = time.monotonic()
        result = box.sh("sleep 30", wall_time=limit)
        elapsed = time.monotonic() - started
        assert result.status == "TLE"
        assert limit <= result.wall_time <= limit + 0.1, result.wall_time
        assert elapsed <= limit + 0.25, elapsed


def test_memory_of_100_mib_program(box: Box) -> None:
    program = box.compile_c(TOUCH_100_MIB, "touch")
    result = box.run(program, memory=256 * MiB)
    assert result.status == "OK", result
    assert 100 * MiB <= result.memory <= 110 * MiB, result.memory / MiB


def test_small_program_reports_small_figures(box: Box) -> None:
    result = box.run("/bin/true")
    assert result.status == "OK"
    assert result.cpu_time < 0.01 and result.wall_time < 0.05
    assert 0 < result.memory < 8 * MiB
