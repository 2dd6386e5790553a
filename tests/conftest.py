"""Shared fixtures. Tests needing a feature the host lacks skip with the reason, except under
CI (CI=true), where a skip counts as a failure."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

import rootfs
import sandbox
from judge.config import settings
from judge.pipeline import Judge
from sandbox import Limits, Result, Spec

SANDBOX_ID = 65534


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    if report.skipped and os.environ.get("CI") == "true" and not item.get_closest_marker("allow_skip"):
        report.outcome = "failed"
        report.longrepr = f"skipped under CI, which counts as a failure: {report.longrepr}"


@pytest.fixture(scope="session")
def rootfs_tree() -> Path:
    """The built root filesystem matching the recipe (`make test` builds it first)."""
    if os.geteuid() != 0:
        pytest.skip("sandbox tests need root")
    try:
        return rootfs.current_tree(settings().rootfs, rootfs.load_recipe().hash)
    except rootfs.RootfsError as error:
        pytest.skip(str(error))


@pytest.fixture(scope="session")
def pool() -> Iterator[sandbox.SandboxPool]:
    spawners = sandbox.SandboxPool()
    yield spawners
    spawners.close()


def make_workdir(parent: Path | None = None) -> Path:
    """A fresh work directory the sandboxed program (nobody) may write to."""
    path = Path(tempfile.mkdtemp(prefix="judge-test-", dir=parent))
    os.chown(path, SANDBOX_ID, SANDBOX_ID)
    return path


@pytest.fixture
def workdir() -> Iterator[Path]:
    path = make_workdir()
    yield path
    shutil.rmtree(path)


class Box:
    """Runs commands in the sandbox over the test rootfs and one work directory."""

    def __init__(self, pool: sandbox.SandboxPool, tree: Path, workdir: Path) -> None:
        self.pool, self.tree, self.workdir = pool, tree, workdir

    def run(self, *argv: str, stdin: bytes | None = None, env: dict[str, str] | None = None,
            **limits: float) -> Result:
        return self.pool.run(Spec(list(argv), self.tree, self.workdir, stdin=stdin, env=env,
                                  limits=Limits(**limits)))  # type: ignore[arg-type]

    def sh(self, script: str, **limits: float) -> Result:
        return self.run("/bin/sh", "-c", script, **limits)

    def python(self, code: str, stdin: bytes | None = None, **limits: float) -> Result:
        return self.run("/usr/bin/python3", "-c", code, stdin=stdin, **limits)

    def compile_c(self, source: str, name: str = "prog", *flags: str) -> str:
        """Compile C inside the sandbox; returns the program's path inside (/box/NAME)."""
        (self.workdir / f"{name}.c").write_text(source)
        result = self.run("/usr/bin/gcc", "-O2", "-o", name, f"{name}.c", *flags, cpu_time=20, wall_time=40,
                          memory=512 << 20)
        assert result.status == "OK", result
        return f"/box/{name}"


@pytest.fixture
def box(pool: sandbox.SandboxPool, rootfs_tree: Path, workdir: Path) -> Box:
    return Box(pool, rootfs_tree, workdir)


@pytest.fixture(scope="session")
def judge(rootfs_tree: Path, pool: sandbox.SandboxPool, tmp_path_factory: pytest.TempPathFactory) -> Judge:
    """The pipeline over the test rootfs, with work directories in a temporary place."""
    return Judge(rootfs_tree, tmp_path_factory.mktemp("work"), pool)
