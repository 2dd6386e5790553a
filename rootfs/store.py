"""Where built trees live: `<store>/<hash>-<time>/` trees and a `current` symlink to the active one.

Workers resolve `current` once when they start, so a rebuild (which swaps the symlink
atomically) never changes the tree under a running worker.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from rootfs.postprocess import MANIFEST_PATH

DEFAULT_STORE = Path("/var/lib/judge/rootfs")
CURRENT = "current"


class RootfsError(RuntimeError):
    """A rootfs is missing, outdated or could not be built; the message says what to do."""


def active_tree(store: Path) -> Path:
    """The tree `current` points at, resolved to its real path.

    Raises:
        RootfsError: there is no built tree.
    """
    link = store / CURRENT
    if not link.is_symlink() or not (store / os.readlink(link) / MANIFEST_PATH).is_file():
        raise RootfsError(f"no root filesystem is built in {store}: run `judge rootfs build`")
    return (store / os.readlink(link)).resolve()


def read_manifest(tree: Path) -> dict[str, object]:
    manifest: dict[str, object] = json.loads((tree / MANIFEST_PATH).read_text())
    return manifest


def current_tree(store: Path, recipe_hash: str) -> Path:
    """The active tree, checked against the recipe.

    Raises:
        RootfsError: missing, or built from another recipe.
    """
    tree = active_tree(store)
    built_from = read_manifest(tree).get("recipe_hash")
    if built_from != recipe_hash:
        raise RootfsError(f"the root filesystem in {tree} was built from an older recipe "
                          f"({str(built_from)[:12]}, recipe is {recipe_hash[:12]}): run `judge rootfs build`")
    return tree


def point_current(store: Path, tree: Path) -> None:
    """Atomically make `current` point at `tree`."""
    temporary = store / f".{CURRENT}-{os.getpid()}"
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(tree.name)
    os.rename(temporary, store / CURRENT)


def trees(store: Path) -> list[Path]:
    """Built trees, oldest first."""
    found = [p for p in store.iterdir() if p.is_dir() and not p.is_symlink() and not p.name.startswith(".")]
    return sorted(found, key=lambda p: p.name.split("-", 1)[-1])


def remove_tree(path: Path) -> None:
    """Delete a tree, first detaching anything still mounted under it (a crashed build leaves
    /proc and /dev mounted there, and deleting through those would reach the host).

    Raises:
        RootfsError: a mount under `path` could not be detached.
    """
    for mountpoint in mounts_under(path):
        subprocess.run(["umount", "--lazy", mountpoint], check=False, capture_output=True)
    if left := mounts_under(path):
        raise RootfsError(f"cannot delete {path}: still mounted: {', '.join(left)}")
    subprocess.run(["rm", "-rf", "--one-file-system", "--", str(path)], check=True)


def mounts_under(path: Path) -> list[str]:
    prefix = str(path.resolve())
    with open("/proc/self/mountinfo") as mountinfo:
        points = [line.split()[4].replace("\\040", " ") for line in mountinfo]
    return sorted((p for p in points if p == prefix or p.startswith(prefix + "/")), reverse=True)
