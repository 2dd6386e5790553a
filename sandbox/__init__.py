"""The isolation engine: run one command in fresh namespaces over a read-only rootfs, with
tree-wide limits and exact measurements. Knows nothing of Celery, HTTP, languages or verdicts.

Names are imported on first use: the forker process imports this package too, and every module
it holds makes each of its clones slower.
"""

from __future__ import annotations

import importlib

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: the forker must not import `typing`
if TYPE_CHECKING:
    from typing import Any

    from sandbox.pool import SandboxPool
    from sandbox.spec import STATUSES, Limits, Result, SandboxError, Spec, Status

EXPORTS = {"STATUSES": "sandbox.spec", "Limits": "sandbox.spec", "Result": "sandbox.spec",
           "SandboxError": "sandbox.spec", "Spec": "sandbox.spec", "Status": "sandbox.spec",
           "SandboxPool": "sandbox.pool"}


def run(spec: Spec) -> Result:
    """Run `spec` in a fresh sandbox and return what happened.

    Safe to call from many threads at once; each concurrent call gets its own forker process.

    Raises:
        SandboxError: the host lacks a feature or privilege the sandbox needs; nothing was run.
        ValueError: the spec is invalid (the message names the field).
    """
    from sandbox.pool import default_pool

    return default_pool().run(spec)


def __getattr__(name: str) -> Any:
    if name in EXPORTS:
        return getattr(importlib.import_module(EXPORTS[name]), name)
    raise AttributeError(f"module 'sandbox' has no attribute {name!r}")


__all__ = ["STATUSES", "Limits", "Result", "SandboxError", "SandboxPool", "Spec", "Status", "run"]
