"""A problem on disk: `tests/NAME.in` + `tests/NAME.out` pairs and an optional `problem.toml`
(limits, checker and its parameters, groups with points). Validated when loaded."""

from __future__ import annotations

import fnmatch
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from judge import checkers
from judge.checkers import CheckerError
from judge.models import CheckerSpec, Group, TestCase
from sandbox import Limits
from sandbox.units import parse_size

SIZE_LIMITS = {"memory", "output", "file_size", "stack", "tmp_size"}
CONFIG = "problem.toml"


class ProblemError(ValueError):
    """The problem directory is malformed; the message names the file and the field."""


@dataclass(frozen=True)
class Problem:
    name: str
    tests: tuple[TestCase, ...]
    limits: Limits = field(default_factory=Limits)
    checker: CheckerSpec = field(default_factory=CheckerSpec)
    groups: tuple[Group, ...] = ()
    stop_on_first_failure: bool = False


def load_problem(directory: Path) -> Problem:
    """Read and validate a problem directory.

    Raises:
        ProblemError: names the file and the field at fault.
    """
    tests = _load_tests(directory)
    config_file = directory / CONFIG
    config: dict[str, Any] = {}
    if config_file.exists():
        try:
            config = tomllib.loads(config_file.read_text())
        except tomllib.TOMLDecodeError as error:
            raise ProblemError(f"{config_file}: not valid TOML: {error}") from error
    unknown = set(config) - {"limits", "checker", "groups", "stop_on_first_failure"}
    if unknown:
        raise ProblemError(f"{config_file}: unknown field(s) {', '.join(sorted(unknown))}")
    stop = config.get("stop_on_first_failure", False)
    if not isinstance(stop, bool):
        raise ProblemError(f"{config_file}: stop_on_first_failure must be true or false")
    return Problem(directory.resolve().name, tests, _limits(config.get("limits", {}), config_file),
                   _checker(config.get("checker", {}), directory, config_file),
                   _groups(config.get("groups", []), tests, config_file), stop)


def _load_tests(directory: Path) -> tuple[TestCase, ...]:
    folder = directory / "tests"
    if not folder.is_dir():
        raise ProblemError(f"{directory}: no tests/ directory (expected tests/NAME.in and tests/NAME.out pairs)")
    inputs = {path.stem: path for path in folder.glob("*.in")}
    outputs = {path.stem: path for path in folder.glob("*.out")}
    for name in sorted(inputs.keys() ^ outputs.keys()):
        missing = f"{name}.out" if name in inputs else f"{name}.in"
        raise ProblemError(f"{folder}: test {name!r} has no {missing}")
    if not inputs:
        raise ProblemError(f"{folder}: no tests (expected NAME.in and NAME.out pairs)")
    return tuple(TestCase(name, inputs[name].read_bytes(), outputs[name].read_bytes())
                 for name in sorted(inputs, key=natural_key))


def natural_key(name: str) -> list[object]:
    """'2' before '10'."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def parse_limits(table: Any) -> Limits:
    """A `[limits]` table: seconds as numbers, sizes as bytes or "256M".

    Raises:
        ProblemError: names the limit at fault.
    """
    if not isinstance(table, dict):
        raise ProblemError("limits must be a table of limits")
    names = {spec.name for spec in fields(Limits)}
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in names:
            raise ProblemError(f"limits.{key} is not a limit; known: {', '.join(sorted(names))}")
        try:
            values[key] = parse_size(value) if key in SIZE_LIMITS and isinstance(value, str) else value
        except ValueError as error:
            raise ProblemError(f"limits.{key}: {error}") from None
    try:
        return Limits(**values)
    except ValueError as error:
        raise ProblemError(str(error)) from None


def _limits(table: Any, source: Path) -> Limits:
    try:
        return parse_limits(table)
    except ProblemError as error:
        raise ProblemError(f"{source}: {error}") from None


def _checker(table: dict[str, Any], directory: Path, source: Path) -> CheckerSpec:
    params = {key: value for key, value in table.items() if key not in ("name", "source")}
    name = table.get("name", "lines")
    program = None
    if "source" in table:
        program_path = directory / str(table["source"])
        if not program_path.is_file():
            raise ProblemError(f"{source}: checker.source {table['source']!r} does not exist in {directory}")
        program = program_path.read_bytes()
    try:
        return checkers.validate(CheckerSpec(name, params, program, str(table.get("source") or "") or None))
    except CheckerError as error:
        raise ProblemError(f"{source}: checker: {error}") from error


def _groups(entries: list[Any], tests: tuple[TestCase, ...], source: Path) -> tuple[Group, ...]:
    names = [test.name for test in tests]
    groups = []
    for index, entry in enumerate(entries):
        where = f"{source}: groups[{index}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("points"), (int, float)):
            raise ProblemError(f"{where}: needs points (a number) and tests (names or patterns)")
        patterns = entry.get("tests")
        if not isinstance(patterns, list) or not patterns:
            raise ProblemError(f"{where}.tests must be a non-empty list of test names or patterns")
        members = tuple(name for name in names if any(fnmatch.fnmatchcase(name, str(p)) for p in patterns))
        if not members:
            raise ProblemError(f"{where}.tests {patterns} match no test")
        groups.append(Group(str(entry.get("name", f"group{index + 1}")), float(entry["points"]), members))
    return tuple(groups)
