"""PID namespace: a fresh tree with our init as PID 1; nothing of a run outlives it."""

from __future__ import annotations

import subprocess
import time

from tests.conftest import Box


def sandboxed_host_processes() -> list[str]:
    found = subprocess.run(["pgrep", "-u", "65534", "-a"], capture_output=True, text=True).stdout
    return [line for line in found.splitlines() if line]


def test_program_sees_only_its_tree(box: Box) -> None:
    result = box.sh("ls /proc | grep -E '^[0-9]+$' | sort -n | tr '\\n' ' '; echo; cat /proc/1/cmdline | tr '\\0' ' '")
    pids, init = result.stdout.decode().split("\n")[:2]
    numbers = [int(pid) for pid in pids.split()]
    assert numbers[0] == 1
    assert len(numbers) <= 7 and max(numbers) < 20, pids  # the init, sh and the pipeline: nothing else
    assert "python" in init and "sandbox" in init


def test_init_reaps_orphaned_zombies(box: Box) -> None:
    """Orphans are re-parented to PID 1, which must reap them rather than let zombies pile up."""
    code = ("import os, time\n"
            "for _ in range(20):\n"
            "    if os.fork() == 0:\n"
            "        if os.fork() == 0: os._exit(0)\n"
            "        os._exit(0)\n"
            "    os.wait()\n"
            "time.sleep(0.3)\n"
            "states = [open(f'/proc/{p}/stat').read().split()[2] for p in os.listdir('/proc') if p.isdigit()]\n"
            "print(states.count('Z'))")
    result = box.python(code)
    assert result.stdout == b"0\n", result


def test_setsid_daemon_dies_with_the_run(box: Box) -> None:
    code = ("import os, time\n"
            "if os.fork() == 0:\n"
            "    os.setsid()\n"
            "    if os.fork() == 0:\n"
            "        os.close(1); os.close(2)\n"
            "        time.sleep(60)\n"
            "    os._exit(0)\n"
            "print('parent done')")
    result = box.python(code)
    assert result.status == "OK" and result.stdout == b"parent done\n"
    deadline = time.monotonic() + 2
    while sandboxed_host_processes() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sandboxed_host_processes() == []


def test_killed_run_leaves_no_process(box: Box) -> None:
    result = box.sh("sleep 60 & sleep 60 & (setsid sleep 60 &) ; sleep 60", wall_time=0.5)
    assert result.status == "TLE"
    time.sleep(0.2)
    assert sandboxed_host_processes() == []


def test_leftovers_are_dead_when_the_result_is(box: Box) -> None:
    """The init kills and reaps what the program left running before it reports: no polling."""
    marker = "61.2345"
    result = box.sh(f"(setsid sleep {marker} > /dev/null 2>&1 &) ; sleep {marker} > /dev/null 2>&1 & echo started")
    assert result.status == "OK" and result.stdout == b"started\n"
    found = subprocess.run(["pgrep", "-f", f"sleep {marker}"], capture_output=True, text=True).stdout
    assert found == ""
