"""The read-only root filesystem every sandboxed run sees: recipe, build, store and checks."""

from rootfs.build import BuildOutcome, build
from rootfs.recipe import Recipe, RecipeError, Toolchain, load_recipe
from rootfs.store import DEFAULT_STORE, RootfsError, active_tree, current_tree, read_manifest

__all__ = [
    "DEFAULT_STORE",
    "BuildOutcome",
    "Recipe",
    "RecipeError",
    "RootfsError",
    "Toolchain",
    "active_tree",
    "build",
    "current_tree",
    "load_recipe",
    "read_manifest",
]
