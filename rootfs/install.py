"""Install a tree built elsewhere (the Dockerfile's rootfs stage) into the store:

    python -m rootfs.install SOURCE [--store /var/lib/judge/rootfs]

The tree is post-processed exactly as `judge rootfs build` does, moved into the store under the
recipe's hash (or left where it is when it is already in the store: a directory cannot be renamed
across the layers of an image), and made `current`."""

from __future__ import annotations

import argparse
import os
from datetime import UTC, datetime
from pathlib import Path

from rootfs.postprocess import postprocess
from rootfs.recipe import load_recipe
from rootfs.store import DEFAULT_STORE, point_current


def install(source: Path, store: Path) -> Path:
    recipe = load_recipe()
    postprocess(source, recipe.hash, recipe.suite, {t.name: t.package for t in recipe.toolchains})
    store.mkdir(parents=True, exist_ok=True)
    tree = source
    if source.resolve().parent != store.resolve():
        tree = store / f"{recipe.hash[:16]}-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S')}"
        os.rename(source, tree)
    point_current(store, tree)
    return tree


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("source", type=Path)
    parser.add_argument("--store", type=Path, default=DEFAULT_STORE)
    arguments = parser.parse_args()
    print(install(arguments.source, arguments.store))
