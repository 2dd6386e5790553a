"""The read-only root filesystem every sandboxed run sees: recipe, build, store and checks."""

from rootfs.build import BuildOutcome, build
from rootfs.recipe import Recipe, RecipeError, Toolchain, load_recipe
from rootfs.store import RootfsError, active_tree, current_tree, read_manifest, store_dir

__all__ = [
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
    "store_dir",
]
