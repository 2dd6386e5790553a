"""Checks of a built tree: each returns the list of violations, empty when the rule holds."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from pathlib import Path

from rootfs.postprocess import CLUTTER, DEVICES, MANIFEST_PATH


def setuid_files(root: Path) -> list[str]:
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            mode = os.lstat(path).st_mode
            if not stat.S_ISLNK(mode) and mode & (stat.S_ISUID | stat.S_ISGID):
                found.append(f"setuid/setgid bit on {path}")
    return found


def accounts(root: Path) -> list[str]:
    problems = []
    for name, expected in (("passwd", {"root": 0, "nobody": 65534}), ("group", {"root": 0, "nogroup": 65534})):
        entries = {line.split(":")[0]: int(line.split(":")[2])
                   for line in (root / "etc" / name).read_text().splitlines() if line}
        if entries != expected:
            problems.append(f"/etc/{name} holds {entries}, expected {expected}")
    for name in ("shadow", "gshadow"):
        path = root / "etc" / name
        if path.exists() and path.stat().st_size:
            problems.append(f"/etc/{name} has content")
    return problems


def clutter(root: Path) -> list[str]:
    return [f"/{name} is not empty" for name in CLUTTER
            if (root / name).is_dir() and any((root / name).iterdir())]


def mount_points(root: Path) -> list[str]:
    problems = [f"/{name} is missing" for name in ("box", "tmp", "proc") if not (root / name).is_dir()]
    for name in DEVICES:
        path = root / "dev" / name
        if not path.is_file() or path.is_symlink():
            problems.append(f"/dev/{name} is not an empty mount-point file")
    devices = (root / "dev").iterdir() if (root / "dev").is_dir() else iter(())
    problems += [f"device node /dev/{p.name} in the tree" for p in devices
                 if stat.S_ISCHR(p.lstat().st_mode) or stat.S_ISBLK(p.lstat().st_mode)]
    return problems


def linker_cache(root: Path) -> list[str]:
    cache = root / "etc/ld.so.cache"
    return [] if cache.is_file() and cache.stat().st_size > 0 else ["/etc/ld.so.cache is missing or empty"]


def manifest(root: Path, recipe_hash: str) -> list[str]:
    path = root / MANIFEST_PATH
    if not path.is_file():
        return [f"/{MANIFEST_PATH} is missing"]
    found = json.loads(path.read_text()).get("recipe_hash")
    return [] if found == recipe_hash else [f"tree built from recipe {found}, recipe is now {recipe_hash}"]


Rule = Callable[[Path], list[str]]
TREE_RULES: tuple[Rule, ...] = (setuid_files, accounts, clutter, mount_points, linker_cache)


def check_tree(root: Path, recipe_hash: str) -> list[str]:
    """Every rule's violations, the recipe hash first."""
    problems = manifest(root, recipe_hash)
    for rule in TREE_RULES:
        problems += rule(root)
    return problems
