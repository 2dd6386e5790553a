"""What a batch has graded so far, next to its report (`<out>.state.json`), so that a rerun skips
what is done. Keyed by the problem's content hash and the solution's: changed tests regrade all."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any

from judge.batch.outcome import Outcome
from judge.batch.solutions import Solution


class BatchState:
    def __init__(self, path: Path, problem_hash: str) -> None:
        self.path, self.problem_hash = path, problem_hash
        self.entries: dict[str, dict[str, Any]] = json.loads(path.read_text()) if path.exists() else {}

    def key(self, solution: Solution) -> str:
        return f"{self.problem_hash}:{solution.source_hash}"

    def done(self, solution: Solution) -> Outcome | None:
        entry = self.entries.get(self.key(solution))
        return Outcome.from_json(entry["outcome"]) if entry else None

    def record(self, solution: Solution, outcome: Outcome) -> None:
        """Kept at once, atomically: an interrupted batch loses nothing it finished."""
        self.entries[self.key(solution)] = {
            "name": solution.name, "path": solution.path, "language_id": solution.language_id,
            "source": base64.b64encode(solution.source).decode(), "outcome": outcome.to_json()}
        temporary = self.path.with_suffix(f".tmp{os.getpid()}")
        temporary.write_text(json.dumps(self.entries, indent=1))
        os.replace(temporary, self.path)

    def stored_solutions(self) -> list[Solution]:
        """Every solution graded before, whichever version of the problem (for a rejudge)."""
        unique = {entry["path"]: entry for entry in self.entries.values()}
        return [Solution(entry["name"], entry["path"], base64.b64decode(entry["source"]), entry["language_id"])
                for entry in unique.values()]

    def outcomes(self) -> list[tuple[Solution, Outcome]]:
        """This problem's results, in the order they were recorded."""
        prefix = f"{self.problem_hash}:"
        return [(Solution(e["name"], e["path"], base64.b64decode(e["source"]), e["language_id"]),
                 Outcome.from_json(e["outcome"])) for key, e in self.entries.items() if key.startswith(prefix)]
