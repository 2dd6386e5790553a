"""Solutions to grade: source files, or one directory per student holding one source file."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from judge.languages import LANGUAGES, UnknownLanguage, find

EXTENSIONS = tuple(ext for language in LANGUAGES.values() for ext in language.extensions)


@dataclass(frozen=True)
class Solution:
    name: str  # the file, or the student's directory
    path: str
    source: bytes
    language_id: int
    problem: str = ""  # why it cannot be graded, if it cannot

    @property
    def source_hash(self) -> str:
        return hashlib.sha256(self.source + b"\0" + str(self.language_id).encode()).hexdigest()


def discover(paths: list[Path], language: str | None = None) -> list[Solution]:
    return [_one(path, language) for path in paths]


def _one(path: Path, language: str | None) -> Solution:
    if path.is_dir():
        sources = sorted(p for p in path.iterdir() if p.is_file() and p.name.endswith(EXTENSIONS))
        if len(sources) != 1:
            found = ", ".join(p.name for p in sources) or "none"
            return Solution(path.name, str(path), b"", 0, f"expected one source file in {path}, found {found}")
        name, source_file = path.name, sources[0]
    elif path.is_file():
        name, source_file = path.name, path
    else:
        return Solution(path.name, str(path), b"", 0, f"no such file or directory: {path}")
    try:
        language_id = find(language or source_file.name).id
    except UnknownLanguage as error:
        return Solution(name, str(source_file), b"", 0, str(error))
    return Solution(name, str(source_file), source_file.read_bytes(), language_id)
