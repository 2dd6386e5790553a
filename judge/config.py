"""Settings, read once from the environment (JUDGE_*); every variable is listed in the README."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

from rootfs.store import DEFAULT_STORE


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="JUDGE_", frozen=True)

    rootfs: Path = DEFAULT_STORE  # store of built root filesystems; `current` is the active tree
    work_dir: Path = Path("/var/lib/judge/work")  # per-run work directories (mounted at /box)


@lru_cache(maxsize=1)
def settings() -> Settings:
    return Settings()
