"""`judge rootfs build|info|verify`."""

from __future__ import annotations

import argparse
import json

from rich.console import Console

import rootfs
from judge.config import settings

console = Console(soft_wrap=True)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("rootfs", help="build, show or check the sandbox's root filesystem")
    actions = parser.add_subparsers(dest="action", required=True)
    build = actions.add_parser("build", help="build the tree from rootfs/recipe.toml (no-op when current)")
    build.add_argument("--force", action="store_true", help="rebuild even when the tree matches the recipe")
    build.set_defaults(handler=_build)
    actions.add_parser("info", help="print the active tree's manifest").set_defaults(handler=_info)
    actions.add_parser("verify", help="check the tree: recipe hash, rules, toolchains").set_defaults(
        handler=_verify)


def _build(args: argparse.Namespace) -> int:
    recipe = rootfs.load_recipe()
    store = settings().rootfs
    with console.status(f"building the root filesystem in {store} (about 30 s)"):
        outcome = rootfs.build(store, recipe, force=args.force)
    if outcome.built:
        console.print(f"built {outcome.tree} in {outcome.seconds:.1f} s, {outcome.size_bytes / 2**20:.0f} MiB")
    else:
        console.print(f"{outcome.tree} matches the recipe ({recipe.hash[:12]}); nothing to do")
    return 0


def _info(args: argparse.Namespace) -> int:
    tree = rootfs.active_tree(settings().rootfs)
    print(json.dumps({"tree": str(tree), **rootfs.read_manifest(tree)}, indent=2))
    return 0


def _verify(args: argparse.Namespace) -> int:
    from rootfs.verify import verify

    problems = verify(settings().rootfs, rootfs.load_recipe())
    for problem in problems:
        console.print(f"[red]✗[/red] {problem}")
    if not problems:
        console.print("[green]✓[/green] the root filesystem matches the recipe and every toolchain starts")
    return 1 if problems else 0
