"""Python 3, interpreted."""

from judge.languages.base import ARGS, Language

LANGUAGE = Language(
    id=71, name="Python", label="Python ({version})", toolchain="python3", source_file="script.py",
    extensions=(".py",),
    run=("/usr/bin/python3", "script.py", ARGS),
    self_test="import sys\nsys.stdout.write(sys.stdin.read())\n")
