"""Problems as JSON, for upload and for the content-addressed problem store (bytes as base64)."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import tempfile
import zipfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

from judge import checkers
from judge.checkers import CheckerError
from judge.jobs import decode_base64, unzip
from judge.models import CheckerSpec, Group, TestCase
from judge.problems import Problem, ProblemError, load_problem, natural_key, parse_limits


def to_json(problem: Problem) -> dict[str, Any]:
    checker = problem.checker
    return {
        "name": problem.name,
        "tests": [{"name": t.name, "stdin": _b64(t.stdin), "expected_output": _b64(t.expected)} for t in problem.tests],
        "limits": asdict(problem.limits),
        "checker": {"name": checker.name, "params": checker.params, "source": _b64(checker.source),
                    "source_name": checker.source_name},
        "groups": [{"name": g.name, "points": g.points, "tests": list(g.tests)} for g in problem.groups],
        "stop_on_first_failure": problem.stop_on_first_failure,
    }


def content_hash(problem: Problem) -> str:
    return hashlib.sha256(json.dumps(to_json(problem), sort_keys=True).encode()).hexdigest()


def from_json(data: Any) -> Problem:
    """An uploaded problem: inline tests, or a zip laid out as a problem directory.

    Raises:
        ProblemError: the message names the field.
    """
    if not isinstance(data, dict):
        raise ProblemError("the problem must be a JSON object")
    if data.get("zip"):
        return _from_zip(_bytes(data["zip"], "zip"))
    tests = data.get("tests")
    if not isinstance(tests, list) or not tests:
        raise ProblemError("tests must be a non-empty list of {name, stdin, expected_output}")
    cases = tuple(_test(index, item) for index, item in enumerate(tests))
    names = [case.name for case in cases]
    if len(set(names)) != len(names):
        raise ProblemError("tests: test names must be unique")
    return Problem(str(data.get("name") or "inline"), cases, parse_limits(data.get("limits") or {}),
                   _checker(data.get("checker") or {}), _groups(data.get("groups") or [], names),
                   bool(data.get("stop_on_first_failure", False)))


def _test(index: int, item: Any) -> TestCase:
    if not isinstance(item, dict):
        raise ProblemError(f"tests[{index}] must be an object")
    expected = item.get("expected_output")
    return TestCase(str(item.get("name") or index + 1), _bytes(item.get("stdin") or "", f"tests[{index}].stdin"),
                    None if expected is None else _bytes(expected, f"tests[{index}].expected_output"))


def _checker(table: Any) -> CheckerSpec:
    if not isinstance(table, dict):
        raise ProblemError("checker must be an object")
    source = table.get("source")
    params = table["params"] if "params" in table else {
        key: value for key, value in table.items() if key not in ("name", "source", "source_name")}
    spec = CheckerSpec(str(table.get("name", "lines")), params, _bytes(source, "checker.source") if source else None,
                       table.get("source_name"))
    try:
        return checkers.validate(spec)
    except CheckerError as error:
        raise ProblemError(f"checker: {error}") from None


def _groups(entries: Any, names: list[str]) -> tuple[Group, ...]:
    if not isinstance(entries, list):
        raise ProblemError("groups must be a list")
    groups = []
    for index, entry in enumerate(entries):
        members = entry.get("tests") if isinstance(entry, dict) else None
        if not isinstance(members, list) or not isinstance(entry.get("points"), (int, float)):
            raise ProblemError(f"groups[{index}] needs points (a number) and tests (a list of test names)")
        unknown = [str(name) for name in members if str(name) not in names]
        if unknown:
            raise ProblemError(f"groups[{index}].tests names unknown tests: {', '.join(unknown)}")
        groups.append(Group(str(entry.get("name", f"group{index + 1}")), float(entry["points"]),
                            tuple(sorted((str(n) for n in members), key=natural_key))))
    return tuple(groups)


def _from_zip(data: bytes) -> Problem:
    files = unzip(data)
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        for name, content in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(content)
        return load_problem(root)


def _bytes(value: Any, field: str) -> bytes:
    try:
        return decode_base64(str(value))
    except ValueError:
        raise ProblemError(f"{field} is not valid base64") from None


def _b64(data: bytes | None) -> str | None:
    return None if data is None else base64.b64encode(data).decode()


def zip_of(directory: Path) -> bytes:
    """A problem directory as the zip `from_json` accepts (for clients uploading from disk)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(directory.rglob("*")):
            if path.is_file() and not path.is_symlink():
                archive.write(path, path.relative_to(directory).as_posix())
    return buffer.getvalue()
