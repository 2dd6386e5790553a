"""The built tree obeys every post-processing rule, and its toolchains start in the sandbox."""

from __future__ import annotations

from pathlib import Path

import pytest

import rootfs
from rootfs import rules
from tests.conftest import Box


@pytest.mark.parametrize("rule", rules.TREE_RULES, ids=lambda rule: rule.__name__)
def test_rule_holds(rootfs_tree: Path, rule: rules.Rule) -> None:
    assert rule(rootfs_tree) == []


def test_manifest_matches_recipe(rootfs_tree: Path) -> None:
    recipe = rootfs.load_recipe()
    assert rules.manifest(rootfs_tree, recipe.hash) == []
    manifest = rootfs.read_manifest(rootfs_tree)
    toolchains = manifest["toolchains"]
    assert isinstance(toolchains, dict)
    assert set(toolchains) == {t.name for t in recipe.toolchains}
    assert toolchains["python3"]["upstream"].startswith("3.")


def test_dynamic_programs_start(box: Box) -> None:
    """ldconfig's cache is valid: a dynamically linked program runs."""
    assert box.run("/usr/bin/python3", "-c", "import ssl, sqlite3; print('ok')").stdout == b"ok\n"


@pytest.mark.parametrize("toolchain", rootfs.load_recipe().toolchains, ids=lambda t: t.name)
def test_toolchain_starts(box: Box, toolchain: rootfs.Toolchain) -> None:
    result = box.run(*toolchain.command)
    assert result.status == "OK", result
    version = rootfs.read_manifest(box.tree)["toolchains"][toolchain.name]["upstream"]  # type: ignore[index]
    assert version.encode() in result.stdout + result.stderr


def test_violations_are_found(tmp_path: Path) -> None:
    """The rules do catch what they look for."""
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc/passwd").write_text("root:x:0:0::/:/bin/sh\nalice:x:1000:1000::/:/bin/sh\n")
    (tmp_path / "etc/group").write_text("root:x:0:\n")
    (tmp_path / "etc/shadow").write_text("root:$6$hash:1::::::\n")
    suid = tmp_path / "su"
    suid.write_text("")
    suid.chmod(0o4755)
    assert rules.setuid_files(tmp_path) == [f"setuid/setgid bit on {suid}"]
    assert len(rules.accounts(tmp_path)) == 3
    assert rules.mount_points(tmp_path)
    assert rules.linker_cache(tmp_path)
    assert rules.manifest(tmp_path, "abc") == ["/etc/judge-rootfs.json is missing"]
