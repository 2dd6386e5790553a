"""A language's self-test: its echo program, compiled and run, must copy its input exactly.
A worker offers only the languages that pass."""

from __future__ import annotations

from judge.languages import Language
from judge.models import CheckerSpec, Submission, TestCase, Verdict
from judge.pipeline import Judge

PROBE = b"judge self-test: 42 \xc3\xa9\n\tand a second line without newline"


def self_test(judge: Judge, language: Language) -> str:
    """Empty when the language works; otherwise why not."""
    submission = Submission(language.self_test.encode(), language.id, (TestCase("self-test", PROBE, PROBE),),
                            checker=CheckerSpec("exact"))
    report = judge.judge(submission)
    if report.verdict is Verdict.ACCEPTED:
        return ""
    detail = report.message or report.compile_output.decode("utf-8", "replace")[:300]
    if report.tests:
        test = report.tests[0]
        detail = detail or test.message or test.stderr.decode("utf-8", "replace")[:300]
    return f"{language.name} failed its self-test ({report.verdict.description}): {detail}".rstrip(": ")


def working_languages(judge: Judge, languages: list[Language]) -> tuple[list[Language], dict[str, str]]:
    """(the languages that pass, {name: why} for those that do not)."""
    problems = {language.name: self_test(judge, language) for language in languages}
    return [language for language in languages if not problems[language.name]], {
        name: problem for name, problem in problems.items() if problem}
