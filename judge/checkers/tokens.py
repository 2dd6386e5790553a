"""Whitespace-insensitive: the same tokens in the same order."""

from judge.checkers.base import CheckResult, first_difference

PARAMS: dict[str, float] = {}


def check(output: bytes, expected: bytes) -> CheckResult:
    return first_difference(output.decode("utf-8", "replace").split(),
                            expected.decode("utf-8", "replace").split(), "token")
