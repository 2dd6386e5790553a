"""Bash scripts."""

from judge.languages.base import ARGS, Language

LANGUAGE = Language(
    id=46, name="Bash", label="Bash ({version})", toolchain="bash", source_file="script.sh", extensions=(".sh",),
    run=("/bin/bash", "script.sh", ARGS),
    self_test="cat\n")
