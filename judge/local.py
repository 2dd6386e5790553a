"""The pipeline on this machine, no queue: the current rootfs, the work directory, a sandbox pool."""

from __future__ import annotations

from pathlib import Path

import rootfs
from judge.config import Settings
from judge.pipeline import Judge
from sandbox import SandboxPool


def current_rootfs(config: Settings) -> Path:
    """Raises: RootfsError: no current tree, or an outdated one (the message names `judge rootfs build`)."""
    return rootfs.current_tree(config.rootfs, rootfs.load_recipe().hash)


def toolchain_versions(tree: Path) -> dict[str, str]:
    toolchains = rootfs.read_manifest(tree).get("toolchains", {})
    assert isinstance(toolchains, dict)
    return {name: str(entry["upstream"]) for name, entry in toolchains.items()}


def local_judge(config: Settings, pool: SandboxPool | None = None) -> Judge:
    """Raises: RootfsError, as `current_rootfs`."""
    return Judge(current_rootfs(config), config.work_dir, pool or SandboxPool())
