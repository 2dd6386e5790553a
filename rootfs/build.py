"""Build the tree with mmdebstrap from the host's apt sources, then install it atomically."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from rootfs.postprocess import postprocess
from rootfs.recipe import Recipe
from rootfs.store import RootfsError, active_tree, point_current, read_manifest, remove_tree, trees

APT_SOURCES = Path("/etc/apt")
EXCLUDED_PATHS = ("/usr/share/doc/*", "/usr/share/man/*", "/usr/share/info/*", "/usr/share/locale/*")
KEEP_TREES = 2


@dataclass(frozen=True)
class BuildOutcome:
    tree: Path
    built: bool
    seconds: float
    size_bytes: int


def build(store: Path, recipe: Recipe, force: bool = False) -> BuildOutcome:
    """Build the tree unless the current one already matches the recipe (or `force`).

    A failed build leaves the installed tree untouched.

    Raises:
        RootfsError: mmdebstrap is missing or failed; the message carries its last lines.
    """
    started = time.monotonic()
    if not force and (existing := _matching_tree(store, recipe)):
        return BuildOutcome(existing, False, 0.0, tree_size(existing))
    if not shutil.which("mmdebstrap"):
        raise RootfsError("mmdebstrap is not installed: apt-get install mmdebstrap")
    store.mkdir(parents=True, exist_ok=True)
    _remove_stale_builds(store)
    staging = store / f".build-{recipe.hash[:16]}-{os.getpid()}"
    log = store / f"{staging.name}.log"
    try:
        _mmdebstrap(recipe, staging, log)
        postprocess(staging, recipe.hash, recipe.suite, {t.name: t.package for t in recipe.toolchains})
        tree = store / f"{recipe.hash[:16]}-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S')}"
        os.rename(staging, tree)
    finally:
        log.unlink(missing_ok=True)
        if staging.exists():
            remove_tree(staging)
    point_current(store, tree)
    _prune(store, tree)
    return BuildOutcome(tree, True, time.monotonic() - started, tree_size(tree))


def _matching_tree(store: Path, recipe: Recipe) -> Path | None:
    try:
        tree = active_tree(store)
    except RootfsError:
        return None
    return tree if read_manifest(tree).get("recipe_hash") == recipe.hash else None


def _mmdebstrap(recipe: Recipe, target: Path, log: Path) -> None:
    command = ["mmdebstrap", f"--variant={recipe.variant}", f"--include={','.join(recipe.packages)}",
               *(f"--dpkgopt=path-exclude={p}" for p in EXCLUDED_PATHS),
               recipe.suite, str(target), *host_sources(recipe.suite)]
    with open(log, "w") as out:
        status = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    if status.returncode:
        lines = log.read_text(errors="replace").splitlines()
        cause = next((line for line in lines if line.startswith("E: ")), "no error line")
        tail = "\n".join(lines[-15:])
        raise RootfsError(f"mmdebstrap failed (exit {status.returncode}): {cause.removeprefix('E: ')}. The old tree "
                          f"is untouched. Its last lines:\n{tail}")


def host_sources(suite: str) -> list[str]:
    """The host's apt source files that serve `suite`, so the build uses the mirror apt uses."""
    candidates = [APT_SOURCES / "sources.list", *sorted((APT_SOURCES / "sources.list.d").glob("*.list")),
                  *sorted((APT_SOURCES / "sources.list.d").glob("*.sources"))]
    return [str(path) for path in candidates if path.is_file() and _serves(path.read_text(), suite)]


def _serves(text: str, suite: str) -> bool:
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return any(suite in line.split() or (line.startswith("Suites:") and suite in line.split()[1:])
               for line in lines)


def _remove_stale_builds(store: Path) -> None:
    for path in store.glob(".build-*"):
        pid = path.name.rsplit("-", 1)[-1].removesuffix(".log")
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            path.unlink() if path.is_file() else remove_tree(path)


def _prune(store: Path, keep: Path) -> None:
    """Keep the newest trees (running workers may still use the previous one)."""
    for tree in trees(store)[:-KEEP_TREES]:
        if tree != keep:
            remove_tree(tree)


def tree_size(tree: Path) -> int:
    total = 0
    for dirpath, _, filenames in os.walk(tree):
        for name in filenames:
            total += os.lstat(os.path.join(dirpath, name)).st_blocks * 512
    return total
