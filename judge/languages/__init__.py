"""The language registry: one module per language, each defining LANGUAGE.

Adding a language: one new file here, listed in MODULES, and its toolchain in rootfs/recipe.toml.
"""

from __future__ import annotations

from judge.languages import bash, c, cpp, python3
from judge.languages.base import ARGS, COMPILE_LIMITS, OPTIONS, Language

MODULES = (bash, c, cpp, python3)
LANGUAGES: dict[int, Language] = {module.LANGUAGE.id: module.LANGUAGE for module in MODULES}


class UnknownLanguage(ValueError):
    """No language has that id, name or file extension."""


def find(key: str | int) -> Language:
    """By Judge0 id (`71`), by name (`python`) or toolchain (`python3`), or by a file name's
    extension (`main.py`).

    Raises:
        UnknownLanguage: nothing matches; the message lists what exists.
    """
    text = str(key).strip().lower()
    for language in LANGUAGES.values():
        if text in (str(language.id), language.name.lower(), language.toolchain) or text.endswith(language.extensions):
            return language
    known = ", ".join(f"{language.id} {language.name}" for language in LANGUAGES.values())
    raise UnknownLanguage(f"unknown language {key!r}; known: {known}")


__all__ = ["ARGS", "COMPILE_LIMITS", "LANGUAGES", "OPTIONS", "Language", "UnknownLanguage", "find"]
