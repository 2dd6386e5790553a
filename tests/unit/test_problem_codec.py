"""Problems survive their JSON form unchanged, whichever way they came."""

from __future__ import annotations

from pathlib import Path

import pytest

from judge import problem_codec
from judge.problems import ProblemError, load_problem

PROBLEMS = Path(__file__).parent.parent / "judge" / "problems"


@pytest.mark.parametrize("name", ["circle-area", "two-summands"])
def test_round_trip(name: str) -> None:
    problem = load_problem(PROBLEMS / name)
    again = problem_codec.from_json(problem_codec.to_json(problem))
    assert again == problem
    assert problem_codec.content_hash(again) == problem_codec.content_hash(problem)


def test_zip_upload_equals_the_directory() -> None:
    from_zip = problem_codec.from_json({"zip": __import__("base64").b64encode(
        problem_codec.zip_of(PROBLEMS / "two-summands")).decode()})
    assert from_zip.tests == load_problem(PROBLEMS / "two-summands").tests
    assert from_zip.checker.source == (PROBLEMS / "two-summands" / "checker.py").read_bytes()


def test_inline_errors_name_the_field() -> None:
    with pytest.raises(ProblemError, match="tests must be a non-empty list"):
        problem_codec.from_json({"tests": []})
    with pytest.raises(ProblemError, match=r"tests\[0\].stdin is not valid base64"):
        problem_codec.from_json({"tests": [{"stdin": "!!"}]})
    with pytest.raises(ProblemError, match="names unknown tests: 9"):
        problem_codec.from_json({"tests": [{"stdin": ""}], "groups": [{"points": 1, "tests": ["9"]}]})
