"""The official Judge0 Python SDK (PyPI `judge0` 0.0.8), pointed at our server, unchanged."""

from __future__ import annotations

import judge0
import pytest

from tests.service.conftest import Api

C_HELLO = '#include <stdio.h>\nint main(void) { char name[10]; scanf("%s", name); printf("hello, %s\\n", name); }\n'
CPP_SUM = "#include <iostream>\nint main() { long a, b; std::cin >> a >> b; std::cout << a + b << std::endl; }\n"
PYTHON_ECHO = "print(input().upper())\n"


@pytest.fixture
def client(shared_service: Api) -> judge0.Client:
    return judge0.Client(shared_service.url)


@pytest.mark.parametrize(("language", "source", "stdin", "stdout"), [
    (50, C_HELLO, "Judge0", "hello, Judge0\n"),
    (54, CPP_SUM, "40 2", "42\n"),
    (71, PYTHON_ECHO, "judge", "JUDGE\n"),
])
def test_run_in_each_language(client: judge0.Client, language: int, source: str, stdin: str, stdout: str) -> None:
    result = judge0.run(client=client, source_code=source, language=language, stdin=stdin)
    assert result.stdout == stdout
    assert result.status == judge0.Status.ACCEPTED


def test_language_aliases_work(client: judge0.Client) -> None:
    """/about says 1.13.1, so the SDK's alias table resolves judge0.PYTHON and friends."""
    assert client.get_language_id(judge0.LanguageAlias.PYTHON) == 71
    assert client.get_language_id(judge0.LanguageAlias.C) == 50


def test_batch(client: judge0.Client) -> None:
    submissions = [judge0.Submission(source_code=PYTHON_ECHO, language=71, stdin=word)
                   for word in ("a", "b", "c", "d")]
    results = judge0.run(client=client, submissions=submissions)
    assert [result.stdout for result in results] == ["A\n", "B\n", "C\n", "D\n"]


def test_compile_error(client: judge0.Client) -> None:
    result = judge0.run(client=client, source_code="int main( {", language=50)
    assert result.status == judge0.Status.COMPILATION_ERROR
    assert "expected" in result.compile_output


def test_wrong_answer_with_expected_output(client: judge0.Client) -> None:
    result = judge0.run(client=client, source_code=PYTHON_ECHO, language=71, stdin="x", expected_output="y")
    assert result.status == judge0.Status.WRONG_ANSWER
    accepted = judge0.run(client=client, source_code=PYTHON_ECHO, language=71, stdin="x", expected_output="X")
    assert accepted.status == judge0.Status.ACCEPTED
