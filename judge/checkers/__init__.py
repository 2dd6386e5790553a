"""Checkers chosen by name. The built-in ones are pure: `check(output, expected, **params)`.
`custom` runs a testlib-style program in the sandbox (see `judge.checkers.custom`)."""

from __future__ import annotations

from collections.abc import Callable

from judge.checkers import exact, floats, lines, tokens
from judge.checkers.base import CheckResult
from judge.models import CheckerSpec

CheckFunction = Callable[..., CheckResult]
BUILTIN: dict[str, tuple[CheckFunction, dict[str, float]]] = {
    "exact": (exact.check, exact.PARAMS),
    "lines": (lines.check, lines.PARAMS),
    "tokens": (tokens.check, tokens.PARAMS),
    "float": (floats.check, floats.PARAMS),
}
NAMES = (*BUILTIN, "custom")


class CheckerError(ValueError):
    """A checker named or configured wrongly; the message names the field."""


def validate(spec: CheckerSpec) -> CheckerSpec:
    """The spec itself when it is sound.

    Raises:
        CheckerError: unknown name, unknown or non-numeric parameter, custom without a program.
    """
    if spec.name not in NAMES:
        raise CheckerError(f"unknown checker {spec.name!r}; choose one of {', '.join(NAMES)}")
    if spec.name == "custom":
        if not spec.source or not spec.source_name:
            raise CheckerError("the custom checker needs its program (checker.source)")
        return spec
    allowed = BUILTIN[spec.name][1]
    for key, value in spec.params.items():
        if key not in allowed:
            raise CheckerError(f"checker {spec.name!r} has no parameter {key!r}"
                               + (f"; it takes {', '.join(allowed)}" if allowed else ""))
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise CheckerError(f"checker parameter {key!r} must be a non-negative number, got {value!r}")
    return spec


def check(spec: CheckerSpec, output: bytes, expected: bytes) -> CheckResult:
    """Run a built-in checker (the spec is validated)."""
    function, _ = BUILTIN[spec.name]
    return function(output, expected, **spec.params)


__all__ = ["NAMES", "CheckResult", "CheckerError", "check", "validate"]
