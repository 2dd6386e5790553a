"""Building and finding trees: idempotent, atomic, and clear when something is missing or wrong."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import rootfs
from judge.config import settings
from rootfs.recipe import RecipeError, load_recipe
from rootfs.store import point_current

JUDGE = [sys.executable, "-m", "judge.cli"]


def fake_store(tmp_path: Path, recipe_hash: str) -> Path:
    """A store holding one (hollow) tree built from `recipe_hash`."""
    tree = tmp_path / f"{recipe_hash[:16]}-20260101T000000"
    (tree / "etc").mkdir(parents=True)
    (tree / "etc/judge-rootfs.json").write_text(json.dumps({"recipe_hash": recipe_hash}))
    point_current(tmp_path, tree)
    return tree


def test_current_tree_found_and_checked(tmp_path: Path) -> None:
    tree = fake_store(tmp_path, "a" * 64)
    assert rootfs.current_tree(tmp_path, "a" * 64) == tree.resolve()
    with pytest.raises(rootfs.RootfsError, match=r"older recipe.*judge rootfs build"):
        rootfs.current_tree(tmp_path, "b" * 64)
    with pytest.raises(rootfs.RootfsError, match=r"no root filesystem is built.*judge rootfs build"):
        rootfs.current_tree(tmp_path / "empty", "a" * 64)


def test_build_is_a_no_op_when_current(rootfs_tree: Path) -> None:
    done = subprocess.run([*JUDGE, "rootfs", "build"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "nothing to do" in done.stdout
    assert rootfs.active_tree(settings().rootfs) == rootfs_tree


def test_failed_build_leaves_the_tree_untouched(tmp_path: Path) -> None:
    """A package the mirror does not have: the build fails, says why, and `current` stays put."""
    recipe_file = tmp_path / "recipe.toml"
    recipe_file.write_text(Path(rootfs.recipe.RECIPE_FILE).read_text().replace(
        'packages = ["bash"', 'packages = ["no-such-package-judge", "bash"'))
    recipe = load_recipe(recipe_file)
    store = tmp_path / "store"
    tree = fake_store(store, "c" * 64)
    cause = r"mmdebstrap failed \(exit 25\): Unable to locate package no-such-package-judge"
    with pytest.raises(rootfs.RootfsError, match=cause):
        rootfs.build(store, recipe)
    assert rootfs.active_tree(store) == tree.resolve()
    assert sorted(p.name for p in store.iterdir()) == sorted([tree.name, "current"])


def test_missing_mmdebstrap_is_named(tmp_path: Path) -> None:
    env = {**os.environ, "PATH": str(tmp_path), "JUDGE_ROOTFS": str(tmp_path / "store")}
    done = subprocess.run([*JUDGE, "rootfs", "build"], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 2
    assert "mmdebstrap is not installed: apt-get install mmdebstrap" in done.stderr


def test_bad_recipe_names_the_field(tmp_path: Path) -> None:
    recipe_file = tmp_path / "recipe.toml"
    recipe_file.write_text('suite = "bookworm"\nvariant = "minbase"\npackages = "gcc"\n')
    with pytest.raises(RecipeError, match="packages"):
        load_recipe(recipe_file)


def test_verify_passes_on_the_built_tree(rootfs_tree: Path) -> None:
    done = subprocess.run([*JUDGE, "rootfs", "verify"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "every toolchain starts" in done.stdout


def test_info_prints_the_manifest(rootfs_tree: Path) -> None:
    done = subprocess.run([*JUDGE, "rootfs", "info"], capture_output=True, text=True, timeout=60)
    info = json.loads(done.stdout)
    assert info["tree"] == str(rootfs_tree) and info["recipe_hash"] == load_recipe().hash
