"""Byte for byte."""

from judge.checkers.base import CheckResult

PARAMS: dict[str, float] = {}


def check(output: bytes, expected: bytes) -> CheckResult:
    if output == expected:
        return CheckResult(True)
    at = next((i for i, (a, b) in enumerate(zip(output, expected, strict=False)) if a != b),
              min(len(output), len(expected)))
    return CheckResult(False, f"outputs differ from byte {at + 1}")
