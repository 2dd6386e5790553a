"""A batch's results as CSV (a row per solution, a column per test), JSON (everything) or JUnit XML
(a testsuite per solution, a testcase per test), and as tables on the terminal."""

from __future__ import annotations

import csv
import io
import json
import os
import xml.etree.ElementTree as ElementTree
from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.table import Table

from judge.batch.outcome import Outcome, describe
from judge.batch.solutions import Solution
from judge.languages import LANGUAGES

Results = list[tuple[Solution, Outcome]]
FORMATS = (".csv", ".json", ".xml")


def write(path: Path, results: Results, tests: list[str]) -> None:
    """Raises: ValueError: the extension is not one of FORMATS."""
    writers = {".csv": to_csv, ".json": to_json, ".xml": to_junit}
    if path.suffix not in writers:
        raise ValueError(f"--out must end in {', '.join(FORMATS)}, got {path.name}")
    temporary = path.with_suffix(path.suffix + f".tmp{os.getpid()}")
    temporary.write_text(writers[path.suffix](results, tests))
    os.replace(temporary, path)


def to_csv(results: Results, tests: list[str]) -> str:
    out = io.StringIO()
    table = csv.writer(out)
    table.writerow(["solution", "language", "verdict", "score", "max_score", "time", "memory_kb", *tests])
    for solution, outcome in results:
        verdicts = {test.name: test.verdict for test in outcome.tests}
        table.writerow([solution.name, _language(solution), outcome.verdict, outcome.score, outcome.max_score,
                        outcome.time, outcome.memory, *(verdicts.get(test, "") for test in tests)])
    return out.getvalue()


def to_json(results: Results, tests: list[str]) -> str:
    return json.dumps({"tests": tests, "solutions": [
        {"name": solution.name, "path": solution.path, "language": _language(solution), **outcome.to_json()}
        for solution, outcome in results]}, indent=2)


def to_junit(results: Results, tests: list[str]) -> str:
    root = ElementTree.Element("testsuites", name="judge batch")
    for solution, outcome in results:
        failures = sum(test.verdict not in ("AC", "IE") for test in outcome.tests)
        errors = sum(test.verdict == "IE" for test in outcome.tests)
        suite = ElementTree.SubElement(root, "testsuite", name=solution.name, tests=str(max(len(outcome.tests), 1)),
                                       failures=str(failures), errors=str(errors), time=f"{outcome.time:.3f}")
        if not outcome.tests:  # compilation error, or not graded at all
            case = ElementTree.SubElement(suite, "testcase", name="compile", classname=solution.name)
            ElementTree.SubElement(case, "error" if outcome.verdict in ("IE", "ERROR") else "failure",
                                   message=describe(outcome.verdict)).text = outcome.compile_output or outcome.message
        for test in outcome.tests:
            case = ElementTree.SubElement(suite, "testcase", name=test.name, classname=solution.name,
                                          time=f"{test.time:.3f}")
            if test.verdict != "AC":
                ElementTree.SubElement(case, "error" if test.verdict == "IE" else "failure",
                                       message=describe(test.verdict)).text = test.message or ""
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="unicode", xml_declaration=True)


def _language(solution: Solution) -> str:
    language = LANGUAGES.get(solution.language_id)
    return language.name if language else ""


def summary(console: Console, results: Results, tests: list[str]) -> None:
    per_solution = Table(title="solutions")
    for column in ("solution", "verdict", "score", "time"):
        per_solution.add_column(column, justify="right" if column in ("score", "time") else "left")
    for solution, outcome in results:
        per_solution.add_row(solution.name, describe(outcome.verdict), f"{outcome.score:g}/{outcome.max_score:g}",
                             f"{outcome.time:.3f} s")
    console.print(per_solution)
    per_test = Table(title="tests")
    per_test.add_column("test")
    per_test.add_column("passed", justify="right")
    graded = [outcome for _, outcome in results if outcome.tests]
    for test in tests:
        passed = sum(any(t.name == test and t.verdict == "AC" for t in outcome.tests) for outcome in graded)
        per_test.add_row(test, f"{passed}/{len(graded)}" + (f" ({passed / len(graded):.0%})" if graded else ""))
    console.print(per_test)
    console.print(histogram(results))


def histogram(results: Results, width: int = 40) -> str:
    """Scores as a fraction of the maximum, in tenths."""
    buckets: Counter[int] = Counter()
    for _, outcome in results:
        buckets[min(int(10 * outcome.score / outcome.max_score), 9) if outcome.max_score else 0] += 1
    top = max(buckets.values(), default=1)
    lines = ["scores (share of the maximum)"]
    for tenth in range(10):
        count = buckets[tenth]
        lines.append(f"{tenth * 10:3d}-{tenth * 10 + 10:3d}% {'█' * round(width * count / top):{width}} {count}")
    return "\n".join(lines)
