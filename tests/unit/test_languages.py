"""The registry: Judge0 ids, lookups, argv built item by item (never through a shell)."""

from __future__ import annotations

import pytest

from judge.languages import LANGUAGES, UnknownLanguage, find


def test_judge0_ids() -> None:
    assert {language.id: language.name for language in LANGUAGES.values()} == {
        50: "C", 54: "C++", 71: "Python", 46: "Bash"}


@pytest.mark.parametrize(("key", "language_id"), [(71, 71), ("71", 71), ("python", 71), ("python3", 71),
                                                   ("main.py", 71), ("x.cpp", 54), ("a.cc", 54), ("c", 50),
                                                   ("sol.c", 50), ("run.sh", 46), ("Bash", 46), ("g++", 54)])
def test_find(key: str | int, language_id: int) -> None:
    assert find(key).id == language_id


def test_unknown_language_lists_the_known_ones() -> None:
    with pytest.raises(UnknownLanguage, match=r"unknown language 'cobol'.*71 Python"):
        find("cobol")


def test_options_and_arguments_are_argv_items() -> None:
    c = LANGUAGES[50]
    assert c.compile_argv(("-O2", "-DX=$(id)\nrm -rf /")) == [
        "/usr/bin/gcc", "-O2", "-DX=$(id)\nrm -rf /", "main.c", "-o", "a.out", "-lm"]
    assert LANGUAGES[71].run_argv(("a b", ";ls")) == ["/usr/bin/python3", "script.py", "a b", ";ls"]
    assert LANGUAGES[71].compile_argv(()) is None


def test_display_names_and_judge0_commands() -> None:
    assert LANGUAGES[71].display_name({"python3": "3.11.2"}) == "Python (3.11.2)"
    assert LANGUAGES[50].display_name({"gcc": "12.2.0"}) == "C (GCC 12.2.0)"
    assert LANGUAGES[50].command_line(LANGUAGES[50].compile) == "/usr/bin/gcc %s main.c -o a.out -lm"
