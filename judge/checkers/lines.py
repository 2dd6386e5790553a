"""Judge0's rule, the default: trailing whitespace on each line and trailing blank lines are ignored."""

from judge.checkers.base import CheckResult, first_difference

PARAMS: dict[str, float] = {}


def check(output: bytes, expected: bytes) -> CheckResult:
    return first_difference(normalise(output), normalise(expected), "line")


def normalise(text: bytes) -> list[str]:
    lines = [line.rstrip() for line in text.decode("utf-8", "replace").split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines
