"""Inits are cloned ahead of their runs: each run still gets its own tree, work directory and limits."""

from __future__ import annotations

import shutil
from pathlib import Path

import sandbox
from sandbox import Limits, Spec
from tests.conftest import Box, make_workdir
from tests.sandbox.test_cleanup import run_cgroups

TINY_HELLO = '#include <stdio.h>\nint main(void) { puts("tiny tree"); return 0; }\n'


def tiny_tree(parent: Path, program: Path) -> Path:
    """A root filesystem of one static program and the mount points the sandbox needs."""
    tree = parent / "tiny"
    for directory in ("proc", "tmp", "box", "dev"):
        (tree / directory).mkdir(parents=True)
    for device in ("null", "zero", "full", "random", "urandom"):
        (tree / "dev" / device).touch()
    shutil.copy(program, tree / "hello")
    return tree


def test_a_run_over_another_rootfs_gets_an_init_of_its_own(box: Box, rootfs_tree: Path, tmp_path: Path) -> None:
    """The init set up ahead over one tree is not used for a run over another, in either direction."""
    box.compile_c(TINY_HELLO, "hello", "-static")
    tree = tiny_tree(tmp_path, box.workdir / "hello")
    workdir = make_workdir(tmp_path)
    before = set(run_cgroups())
    pool = sandbox.SandboxPool()
    try:
        for rootfs, argv, expected in [(tree, ["/hello"], b"tiny tree\n"),
                                       (rootfs_tree, ["/bin/sh", "-c", "test -x /hello || echo full tree"], b"full tree\n"),
                                       (tree, ["/hello"], b"tiny tree\n")]:
            result = pool.run(Spec(argv, rootfs, workdir))
            assert (result.status, result.stdout) == ("OK", expected), result
    finally:
        pool.close()
    assert set(run_cgroups()) - before == set()


def test_consecutive_runs_see_only_their_own_work_directory(box: Box, tmp_path: Path) -> None:
    first, second = make_workdir(tmp_path), make_workdir(tmp_path)
    written = box.pool.run(Spec(["/bin/sh", "-c", "echo mine > /box/note"], box.tree, first))
    assert written.status == "OK" and (first / "note").read_text() == "mine\n"
    looked = box.pool.run(Spec(["/bin/sh", "-c", "ls -A /box; test ! -e /box/note"], box.tree, second))
    assert (looked.status, looked.stdout) == ("OK", b""), looked


def test_each_run_gets_its_own_limits(box: Box) -> None:
    """The init waits with no limits of its own; each run's come with it."""
    small = box.sh("ulimit -n; ulimit -s", open_files=16, stack=1 << 20)
    large = box.sh("ulimit -n; ulimit -s", open_files=64, stack=8 << 20)
    assert small.stdout.split() == [b"16", b"1024"], small
    assert large.stdout.split() == [b"64", b"8192"], large
    tight = box.python("x = bytearray(96 << 20)", memory=64 << 20)
    roomy = box.python("x = bytearray(96 << 20)", memory=Limits().memory)
    assert (tight.status, roomy.status) == ("MLE", "OK"), (tight, roomy)
