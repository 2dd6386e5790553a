"""Turn a freshly installed Debian tree into the sandbox's root filesystem.

Standard library only: the Docker image runs this same file on its rootfs stage.
Each step is idempotent; `rootfs.rules` checks the result.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
from datetime import UTC, datetime
from pathlib import Path

MANIFEST_PATH = "etc/judge-rootfs.json"
DEVICES = ("null", "zero", "full", "random", "urandom")
DEV_LINKS = {"fd": "/proc/self/fd", "stdin": "/proc/self/fd/0", "stdout": "/proc/self/fd/1",
             "stderr": "/proc/self/fd/2"}
CLUTTER = ("var/cache/apt", "var/lib/apt/lists", "usr/share/doc", "usr/share/man", "usr/share/info",
           "usr/share/locale", "usr/share/lintian", "var/log", "var/cache/debconf", "root")
PASSWD = "root:x:0:0:root:/root:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/box:/usr/sbin/nologin\n"
GROUP = "root:x:0:\nnogroup:x:65534:\n"
SECRETS = ("etc/shadow", "etc/gshadow", "etc/shadow-", "etc/gshadow-", "etc/passwd-", "etc/group-")


def postprocess(root: Path, recipe_hash: str, suite: str, toolchains: dict[str, str]) -> dict[str, object]:
    """Apply every step to `root` and write the manifest; returns the manifest.

    `toolchains` maps a toolchain name to the Debian package whose version it reports.
    """
    strip_special_bits(root)
    write_accounts(root)
    remove_clutter(root)
    make_mount_points(root)
    write_network_files(root)
    subprocess.run(["ldconfig", "-r", str(root)], check=True)
    manifest = make_manifest(root, recipe_hash, suite, toolchains)
    (root / MANIFEST_PATH).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def strip_special_bits(root: Path) -> None:
    """Clear setuid and setgid on every file and directory (links are left alone)."""
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            mode = os.lstat(path).st_mode
            if not stat.S_ISLNK(mode) and mode & (stat.S_ISUID | stat.S_ISGID):
                os.chmod(path, stat.S_IMODE(mode) & ~(stat.S_ISUID | stat.S_ISGID))


def write_accounts(root: Path) -> None:
    """Only root and nobody exist; no password hashes anywhere."""
    (root / "etc/passwd").write_text(PASSWD)
    (root / "etc/group").write_text(GROUP)
    for name in SECRETS:
        (root / name).unlink(missing_ok=True)


def remove_clutter(root: Path) -> None:
    """Drop apt caches and lists, documentation, logs and root's home contents."""
    for name in CLUTTER:
        directory = root / name
        if directory.is_dir() and not directory.is_symlink():
            for child in directory.iterdir():
                if child.is_dir() and not child.is_symlink():
                    shutil.rmtree(child)
                else:
                    child.unlink()


def make_mount_points(root: Path) -> None:
    """Create /box, /tmp, /proc and a /dev holding only mount points for the allowed devices."""
    for name, mode in (("box", 0o755), ("tmp", 0o1777), ("proc", 0o555)):
        (root / name).mkdir(exist_ok=True)
        os.chmod(root / name, mode)
    dev = root / "dev"
    if dev.is_dir():
        shutil.rmtree(dev)
    dev.mkdir(mode=0o755)
    for name in DEVICES:
        (dev / name).touch(mode=0o666)
    for name, target in DEV_LINKS.items():
        (dev / name).symlink_to(target)


def write_network_files(root: Path) -> None:
    """Loopback only: localhost resolves, nothing else does."""
    (root / "etc/hostname").write_text("sandbox\n")
    (root / "etc/hosts").write_text("127.0.0.1 localhost sandbox\n::1 localhost\n")
    resolv = root / "etc/resolv.conf"
    if resolv.is_symlink():
        resolv.unlink()
    resolv.write_text("")


def make_manifest(root: Path, recipe_hash: str, suite: str, toolchains: dict[str, str]) -> dict[str, object]:
    versions = installed_versions(root)
    return {
        "recipe_hash": recipe_hash,
        "built_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "suite": suite,
        "toolchains": {
            name: {"package": package, "version": versions[package], "upstream": upstream(versions[package])}
            for name, package in toolchains.items()
        },
        "packages": len(versions),
    }


def installed_versions(root: Path) -> dict[str, str]:
    """Package name -> exact Debian version, read from the tree's dpkg database."""
    versions: dict[str, str] = {}
    for stanza in (root / "var/lib/dpkg/status").read_text().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in stanza.splitlines() if ": " in line and line[0] != " ")
        if "installed" in fields.get("Status", "") and "Package" in fields:
            versions[fields["Package"].split(":")[0]] = fields["Version"]
    return versions


def upstream(debian_version: str) -> str:
    """'4:12.2.0-3' -> '12.2.0': drop the epoch and the Debian revision."""
    version = debian_version.split(":", 1)[-1]
    return version.rsplit("-", 1)[0] if "-" in version else version
