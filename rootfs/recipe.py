"""The rootfs recipe: which Debian suite and packages, and its content hash."""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

RECIPE_FILE = Path(__file__).with_name("recipe.toml")
POSTPROCESS_FILE = Path(__file__).with_name("postprocess.py")


class RecipeError(ValueError):
    """The recipe file is malformed; the message names the field."""


@dataclass(frozen=True)
class Toolchain:
    name: str
    package: str
    command: tuple[str, ...]


@dataclass(frozen=True)
class Recipe:
    suite: str
    variant: str
    packages: tuple[str, ...]
    toolchains: tuple[Toolchain, ...]
    hash: str


def recipe_hash(recipe_file: Path = RECIPE_FILE) -> str:
    """Hash of everything that shapes the tree: the recipe data and the post-processing code."""
    digest = hashlib.sha256()
    for path in (recipe_file, POSTPROCESS_FILE):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def load_recipe(recipe_file: Path = RECIPE_FILE) -> Recipe:
    """Read and validate the recipe.

    Raises:
        RecipeError: a field is missing or has the wrong type.
    """
    data = tomllib.loads(recipe_file.read_text())
    suite = _require(data, "suite", str)
    variant = _require(data, "variant", str)
    packages = _require(data, "packages", list)
    if not packages or not all(isinstance(p, str) and p for p in packages):
        raise RecipeError(f"{recipe_file}: 'packages' must be a non-empty list of package names")
    toolchains = []
    for name, table in _require(data, "toolchains", dict).items():
        package = _require(table, "package", str, f"toolchains.{name}")
        command = _require(table, "command", list, f"toolchains.{name}")
        if package not in packages:
            raise RecipeError(f"{recipe_file}: toolchains.{name}.package {package!r} is not in 'packages'")
        toolchains.append(Toolchain(name, package, tuple(command)))
    return Recipe(suite, variant, tuple(packages), tuple(toolchains), recipe_hash(recipe_file))


def _require(table: dict[str, Any], key: str, kind: type[T], where: str = "") -> T:
    value = table.get(key)
    if not isinstance(value, kind):
        field = f"{where}.{key}" if where else key
        raise RecipeError(f"recipe field '{field}' must be a {kind.__name__}, got {value!r}")
    return value
