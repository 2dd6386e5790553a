"""`judge rootfs verify`: the recipe hash, every post-processing rule, and each toolchain starting
inside the sandbox."""

from __future__ import annotations

import tempfile
from pathlib import Path

from rootfs.recipe import Recipe
from rootfs.rules import check_tree
from rootfs.store import RootfsError, active_tree, read_manifest


def verify(store: Path, recipe: Recipe) -> list[str]:
    """Every problem found, empty when the tree is sound."""
    try:
        tree = active_tree(store)
    except RootfsError as error:
        return [str(error)]
    problems = check_tree(tree, recipe.hash)
    return problems + toolchain_problems(tree, recipe)


def toolchain_problems(tree: Path, recipe: Recipe) -> list[str]:
    from sandbox import Limits, SandboxError, SandboxPool, Spec
    from sandbox.workdir import WorkDir

    versions = read_manifest(tree).get("toolchains", {})
    assert isinstance(versions, dict)
    workdir = WorkDir(Path(tempfile.gettempdir()))
    pool = SandboxPool()
    problems: list[str] = []
    try:
        for toolchain in recipe.toolchains:
            try:
                result = pool.run(Spec(list(toolchain.command), tree, workdir.path, limits=Limits(wall_time=20)))
            except SandboxError as error:
                return [*problems, f"cannot run toolchains in the sandbox: {error}"]
            expected = versions.get(toolchain.name, {}).get("upstream", "?")
            if result.status != "OK" or expected.encode() not in result.stdout + result.stderr:
                problems.append(f"toolchain {toolchain.name}: `{' '.join(toolchain.command)}` ended {result.status} "
                                f"{result.message} without printing version {expected}")
    finally:
        pool.close()
        workdir.remove()
    return problems
