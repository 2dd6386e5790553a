"""The pipeline on this machine, no queue: the current rootfs, the work directory, a sandbox pool."""

from __future__ import annotations

import rootfs
from judge.config import Settings
from judge.pipeline import Judge
from sandbox import SandboxPool


def local_judge(config: Settings, pool: SandboxPool | None = None) -> Judge:
    """Raises: RootfsError: no current tree (the message names `judge rootfs build`)."""
    tree = rootfs.current_tree(config.rootfs, rootfs.load_recipe().hash)
    return Judge(tree, config.work_dir, pool or SandboxPool())
