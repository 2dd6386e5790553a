"""Tree-wide limits: each one is exceeded on purpose and must end the run with its status."""

from __future__ import annotations

import signal
import time

from tests.conftest import Box

MiB = 1 << 20


def test_cpu_limit_is_tle(box: Box) -> None:
    result = box.python("while True: pass", cpu_time=0.5, wall_time=5)
    assert result.status == "TLE" and "CPU" in result.message
    assert 0.5 <= result.cpu_time < 0.7


def test_cpu_burnt_in_children_counts(box: Box) -> None:
    code = ("import os\nfor _ in range(4):\n if os.fork() == 0:\n  while True: pass\n"
            "import time; time.sleep(30)")
    result = box.python(code, cpu_time=1.0, wall_time=10)
    assert result.status == "TLE" and "CPU" in result.message
    assert result.wall_time < 1.5  # four burners on two cores use a second of CPU in about half a second


def test_sleeping_program_hits_the_wall_limit(box: Box) -> None:
    started = time.monotonic()
    result = box.sh("sleep 30", wall_time=0.5)
    assert result.status == "TLE" and "wall" in result.message
    assert time.monotonic() - started < 1.5


def test_memory_limit_is_mle(box: Box) -> None:
    result = box.python("x = [b'x' * (1 << 20) for _ in range(200)]", memory=64 * MiB)
    assert result.status == "MLE", result
    assert result.memory >= 64 * MiB


def test_tmpfs_counts_as_memory(box: Box) -> None:
    """Files in /tmp live in memory: filling it past the memory limit is MLE, whatever tmp_size says."""
    result = box.run("/bin/dd", "if=/dev/zero", "of=/tmp/fill", "bs=1M", "count=100", memory=64 * MiB,
                     tmp_size=512 * MiB, file_size=512 * MiB)
    assert result.status == "MLE", result


def test_memory_over_the_limit_without_a_kill_is_still_mle(box: Box) -> None:
    """Verdicts come from measurement: a peak above the limit is MLE even if the hard wall (set with
    slack) never fired."""
    source = ("#include <stdlib.h>\n"
              "int main(void) { volatile char *p = malloc(66 << 20);\n"
              "  for (long i = 0; i < (66 << 20); i += 4096) p[i] = 1; return 0; }")
    program = box.compile_c(source)
    result = box.run(program, memory=64 * MiB)
    assert result.status == "MLE", result


def test_page_cache_left_by_an_earlier_run_does_not_raise_the_wall(box: Box) -> None:
    """A run that writes 300 MiB of files leaves that much page cache behind; the next program in the
    same place must still be stopped near its own wall, not at its wall plus the cache."""
    source = ("#include <stdio.h>\n#include <stdlib.h>\n"
              "int main(void) { volatile char *p = malloc(200 << 20);\n"
              "  for (long i = 0; i < (200 << 20); i += 4096) p[i] = 1; puts(\"held\"); return 0; }")
    program = box.compile_c(source)
    writer = box.run("/bin/dd", "if=/dev/zero", "of=/box/cache", "bs=1M", "count=300", memory=512 * MiB,
                     file_size=512 * MiB, wall_time=20)
    assert writer.status == "OK", writer
    result = box.run(program, memory=64 * MiB)
    assert result.status == "MLE" and b"held" not in result.stdout, result


def test_fork_bomb_is_contained(box: Box) -> None:
    result = box.python("import os\nwhile True:\n try: os.fork()\n except OSError: pass", processes=16,
                        wall_time=2)
    assert result.status in ("TLE", "RE", "OK"), result
    assert box.sh("echo still fine").stdout == b"still fine\n"


def test_thread_bomb_is_contained(box: Box) -> None:
    code = ("import threading, time\nn = 0\ntry:\n while True:\n  threading.Thread(target=time.sleep, args=(5,),"
            " daemon=True).start(); n += 1\nexcept RuntimeError: print('stopped at', n)")
    result = box.python(code, processes=16, wall_time=3)
    assert b"stopped at" in result.stdout
    assert int(result.stdout.split()[-1]) <= 16


def test_stdout_flood_is_ole(box: Box) -> None:
    result = box.sh("yes", output=64 << 10)
    assert result.status == "OLE"
    assert len(result.stdout) == 64 << 10


def test_stderr_flood_is_ole(box: Box) -> None:
    result = box.sh("yes >&2", output=64 << 10)
    assert result.status == "OLE" and len(result.stderr) == 64 << 10


def test_both_pipes_full_do_not_deadlock(box: Box) -> None:
    code = ("import sys\nfor _ in range(64):\n sys.stdout.write('o' * 16384); sys.stdout.flush()\n"
            " sys.stderr.write('e' * 16384); sys.stderr.flush()")
    result = box.python(code, output=2 * MiB)
    assert result.status == "OK"
    assert len(result.stdout) == len(result.stderr) == MiB


def test_output_exactly_at_the_limit_is_fine(box: Box) -> None:
    result = box.sh("head -c 65536 /dev/zero", output=65536)
    assert result.status == "OK" and len(result.stdout) == 65536


def test_file_size_limit_is_ole(box: Box) -> None:
    result = box.run("/bin/dd", "if=/dev/zero", "of=/tmp/big", "bs=1M", "count=2", file_size=MiB)
    assert result.status == "OLE" and result.signal == signal.SIGXFSZ


def test_open_files_limit(box: Box) -> None:
    code = ("import os\nn = 0\ntry:\n while True: os.open('/dev/null', 0); n += 1\n"
            "except OSError as e: print(e.errno, n)")
    result = box.python(code, open_files=32)
    errno_, count = result.stdout.split()
    assert errno_ == b"24" and int(count) < 32


def test_stack_limit(box: Box) -> None:
    result = box.sh("ulimit -s", stack=8 * MiB)
    assert result.stdout == b"8192\n"
    source = "int f(int n) { volatile char pad[1024]; pad[0] = n; return n ? f(n - 1) + pad[0] : 0; }\n" \
             "int main(void) { return f(1 << 20) & 1; }"
    program = box.compile_c(source, "deep", "-O0")
    result = box.run(program, stack=8 * MiB)
    assert result.status == "SG" and result.signal == signal.SIGSEGV


def test_exit_code_and_signals(box: Box) -> None:
    assert (box.sh("exit 3").status, box.sh("exit 3").exit_code) == ("RE", 3)
    result = box.sh("kill -SEGV $$")
    assert (result.status, result.signal) == ("SG", signal.SIGSEGV)
    result = box.python("import os; os.abort()")
    assert (result.status, result.signal) == ("SG", signal.SIGABRT)


def test_missing_program_is_a_sandbox_failure(box: Box) -> None:
    result = box.run("/usr/bin/does-not-exist")
    assert result.status == "XX"
    assert "No such file or directory" in result.message and "does-not-exist" in result.message
