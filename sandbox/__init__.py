"""The isolation engine: run one command in fresh namespaces over a read-only rootfs, with
tree-wide limits and exact measurements. Knows nothing of Celery, HTTP, languages or verdicts.

The pool is imported on first use only: the spawner process imports this package too, and
everything it imports makes each of its forks slower.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sandbox.spec import STATUSES, Limits, Result, SandboxError, Spec, Status

if TYPE_CHECKING:
    from sandbox.pool import SandboxPool


def run(spec: Spec) -> Result:
    """Run `spec` in a fresh sandbox and return what happened.

    Safe to call from many threads at once; each concurrent call gets its own spawner process.

    Raises:
        SandboxError: the host lacks a feature or privilege the sandbox needs; nothing was run.
        ValueError: the spec is invalid (the message names the field).
    """
    from sandbox.pool import default_pool

    return default_pool().run(spec)


def __getattr__(name: str) -> Any:
    if name == "SandboxPool":
        from sandbox.pool import SandboxPool

        return SandboxPool
    raise AttributeError(f"module 'sandbox' has no attribute {name!r}")


__all__ = ["STATUSES", "Limits", "Result", "SandboxError", "SandboxPool", "Spec", "Status", "run"]
