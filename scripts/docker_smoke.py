"""Smoke test inside the built image: `judge up`, then a C and a Python submission through the worker.

    docker run --rm --privileged IMAGE python3 /opt/judge/scripts/docker_smoke.py
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import httpx

URL = "http://127.0.0.1:2358"
PROGRAMS = {
    50: ('#include <stdio.h>\nint main(void) { int a, b; scanf("%d %d", &a, &b); printf("%d\\n", a + b); }\n', "3\n"),
    71: ("a, b = map(int, input().split())\nprint(a + b)\n", "3\n"),
}


def main() -> int:
    up = subprocess.Popen(["judge", "up", "--workers", "2"])
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{URL}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or up.poll() is not None:
                print("smoke: judge up did not become healthy", file=sys.stderr)
                return 1
            time.sleep(0.5)
        for language, (source, expected) in PROGRAMS.items():
            result = httpx.post(f"{URL}/submissions?wait=true", timeout=120,
                                json={"source_code": source, "language_id": language, "stdin": "1 2",
                                      "expected_output": expected}).json()
            print(f"smoke: language {language}: {result['status']['description']}, stdout {result['stdout']!r}")
            if result["status"]["id"] != 3 or result["stdout"] != expected:
                return 1
        print("smoke: OK")
        return 0
    finally:
        up.send_signal(signal.SIGTERM)
        up.wait(timeout=60)


if __name__ == "__main__":
    sys.exit(main())
