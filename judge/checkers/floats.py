"""Tokens, where numbers match within an absolute or a relative tolerance (either suffices)."""

from __future__ import annotations

import math

from judge.checkers.base import CheckResult

PARAMS = {"abs_tol": 1e-6, "rel_tol": 1e-6}


def check(output: bytes, expected: bytes, abs_tol: float = PARAMS["abs_tol"],
          rel_tol: float = PARAMS["rel_tol"]) -> CheckResult:
    got, want = output.decode("utf-8", "replace").split(), expected.decode("utf-8", "replace").split()
    if len(got) != len(want):
        return CheckResult(False, f"expected {len(want)} tokens, got {len(got)}")
    for index, (a, b) in enumerate(zip(got, want, strict=True), start=1):
        if not _matches(a, b, abs_tol, rel_tol):
            return CheckResult(False, f"token {index}: expected {b}, got {a[:40]}")
    return CheckResult(True)


def _matches(got: str, want: str, abs_tol: float, rel_tol: float) -> bool:
    try:
        a, b = float(got), float(want)
    except ValueError:
        return got == want
    if math.isnan(b):
        return math.isnan(a)
    return math.isclose(a, b, rel_tol=rel_tol, abs_tol=abs_tol)
