"""The built-in checkers, and their validation."""

from __future__ import annotations

import pytest

from judge import checkers
from judge.checkers import CheckerError
from judge.models import CheckerSpec


def ok(name: str, output: bytes, expected: bytes, **params: float) -> bool:
    return checkers.check(CheckerSpec(name, params), output, expected).ok


def test_exact() -> None:
    assert ok("exact", b"1 2\n", b"1 2\n")
    assert not ok("exact", b"1 2", b"1 2\n")
    assert "byte 3" in checkers.check(CheckerSpec("exact"), b"1 2\n", b"1 3\n").message


def test_lines_is_judge0s_rule() -> None:
    assert ok("lines", b"1 2  \n3\t\n\n\n", b"1 2\n3")
    assert ok("lines", b"", b"\n\n")
    assert not ok("lines", b" 1 2\n", b"1 2\n")  # leading whitespace matters
    assert not ok("lines", b"1\n\n2\n", b"1\n2\n")  # blank lines inside matter
    result = checkers.check(CheckerSpec("lines"), b"1\n5\n", b"1\n4\n")
    assert result.message == "line 2 differs: expected '4', got '5'"


def test_tokens_ignore_whitespace() -> None:
    assert ok("tokens", b"1   2\n\n3", b"1 2 3\n")
    assert not ok("tokens", b"1 2", b"1 2 3")
    assert checkers.check(CheckerSpec("tokens"), b"1 2", b"1 2 3").message == "expected 3 tokens, got 2"


def test_float_tolerances() -> None:
    assert ok("float", b"3.1415927", b"3.14159265")
    assert not ok("float", b"3.1416", b"3.14159265")
    assert ok("float", b"3.1416", b"3.14159265", abs_tol=1e-3)
    assert ok("float", b"1000001", b"1000000", rel_tol=1e-6, abs_tol=0)
    assert not ok("float", b"1000002", b"1000000", rel_tol=1e-6, abs_tol=0)
    assert ok("float", b"yes 1.0", b"yes 1")
    assert not ok("float", b"no 1.0", b"yes 1")
    assert ok("float", b"nan", b"nan") and not ok("float", b"1", b"nan")


def test_validation_names_the_problem() -> None:
    with pytest.raises(CheckerError, match="unknown checker 'fuzzy'"):
        checkers.validate(CheckerSpec("fuzzy"))
    with pytest.raises(CheckerError, match=r"no parameter 'eps'.*abs_tol, rel_tol"):
        checkers.validate(CheckerSpec("float", {"eps": 0.1}))
    with pytest.raises(CheckerError, match="non-negative number"):
        checkers.validate(CheckerSpec("float", {"abs_tol": -1}))
    with pytest.raises(CheckerError, match="needs its program"):
        checkers.validate(CheckerSpec("custom"))
    assert checkers.validate(CheckerSpec("float", {"abs_tol": 1e-3})).params == {"abs_tol": 1e-3}
