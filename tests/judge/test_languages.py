"""Every language the registry offers passes its self-test on the built rootfs."""

from __future__ import annotations

import pytest

from judge.languages import LANGUAGES, Language
from judge.pipeline import Judge
from judge.selftest import self_test


@pytest.mark.parametrize("language", LANGUAGES.values(), ids=lambda language: language.name)
def test_self_test_passes(judge: Judge, language: Language) -> None:
    assert self_test(judge, language) == ""


def test_broken_language_is_reported(judge: Judge) -> None:
    """A self-test that fails names the language and why."""
    from dataclasses import replace

    broken = replace(LANGUAGES[71], self_test="import sys; sys.stdout.write(sys.stdin.read().upper())")
    assert self_test(judge, broken).startswith("Python failed its self-test (Wrong Answer)")
