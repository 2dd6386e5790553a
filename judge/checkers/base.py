"""What every checker returns."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    message: str = ""


def first_difference(output: list[str], expected: list[str], unit: str) -> CheckResult:
    """Compare two sequences and name the first place they differ."""
    for index, (got, want) in enumerate(zip(output, expected, strict=False), start=1):
        if got != want:
            return CheckResult(False, f"{unit} {index} differs: expected {_short(want)}, got {_short(got)}")
    if len(output) != len(expected):
        return CheckResult(False, f"expected {len(expected)} {unit}s, got {len(output)}")
    return CheckResult(True)


def _short(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "…")
