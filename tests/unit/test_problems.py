"""Problem directories load, or fail naming the file and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from judge.problems import ProblemError, load_problem, natural_key


def make(tmp_path: Path, tests: dict[str, tuple[str | None, str | None]], config: str | None = None) -> Path:
    (tmp_path / "tests").mkdir()
    for name, (given, expected) in tests.items():
        if given is not None:
            (tmp_path / "tests" / f"{name}.in").write_text(given)
        if expected is not None:
            (tmp_path / "tests" / f"{name}.out").write_text(expected)
    if config is not None:
        (tmp_path / "problem.toml").write_text(config)
    return tmp_path


def test_defaults_without_config(tmp_path: Path) -> None:
    problem = load_problem(make(tmp_path, {"10": ("b", "B"), "2": ("a", "A")}))
    assert [t.name for t in problem.tests] == ["2", "10"]
    assert problem.tests[0].stdin == b"a" and problem.tests[0].expected == b"A"
    assert problem.checker.name == "lines" and problem.groups == ()


def test_full_config(tmp_path: Path) -> None:
    config = """
stop_on_first_failure = true
[limits]
cpu_time = 0.5
memory = "64M"
output = 1024
[checker]
name = "float"
abs_tol = 0.001
[[groups]]
name = "small"
points = 40
tests = ["s*"]
[[groups]]
points = 60
tests = ["big"]
"""
    problem = load_problem(make(tmp_path, {"s1": ("", ""), "s2": ("", ""), "big": ("", "")}, config))
    assert problem.limits.cpu_time == 0.5 and problem.limits.memory == 64 << 20 and problem.limits.output == 1024
    assert problem.checker.name == "float" and problem.checker.params == {"abs_tol": 0.001}
    assert [(g.name, g.points, g.tests) for g in problem.groups] == [("small", 40, ("s1", "s2")),
                                                                     ("group2", 60, ("big",))]
    assert problem.stop_on_first_failure


@pytest.mark.parametrize(("tests", "config", "message"), [
    ({}, None, "no tests"),
    ({"1": ("x", None)}, None, "test '1' has no 1.out"),
    ({"1": (None, "x")}, None, "test '1' has no 1.in"),
    ({"1": ("", "")}, "[limits]\ncpu = 1", "limits.cpu is not a limit"),
    ({"1": ("", "")}, "[limits]\nmemory = \"lots\"", "limits.memory: not a size"),
    ({"1": ("", "")}, "[limits]\ncpu_time = -1", "Limits.cpu_time must be positive"),
    ({"1": ("", "")}, "[checker]\nname = \"fuzzy\"", "checker: unknown checker 'fuzzy'"),
    ({"1": ("", "")}, "[checker]\nname = \"custom\"\nsource = \"nope.cpp\"",
     "checker.source 'nope.cpp' does not exist"),
    ({"1": ("", "")}, "[[groups]]\npoints = 5\ntests = [\"9\"]", r"groups\[0\].tests \['9'\] match no test"),
    ({"1": ("", "")}, "[[groups]]\ntests = [\"1\"]", r"groups\[0\]: needs points"),
    ({"1": ("", "")}, "limit = 3", "unknown field"),
    ({"1": ("", "")}, "[limits", "not valid TOML"),
])
def test_errors_name_file_and_field(tmp_path: Path, tests: dict[str, tuple[str | None, str | None]],
                                    config: str | None, message: str) -> None:
    with pytest.raises(ProblemError, match=message) as raised:
        load_problem(make(tmp_path, tests, config))
    assert str(tmp_path) in str(raised.value)


def test_natural_order() -> None:
    assert sorted(["10", "9", "1b", "1a", "100"], key=natural_key) == ["1a", "1b", "9", "10", "100"]
