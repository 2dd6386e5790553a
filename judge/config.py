"""Settings, read once from the environment (JUDGE_*); every variable is listed in the README."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

from judge.store import Store
from rootfs.store import DEFAULT_STORE


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="JUDGE_", frozen=True)

    rootfs: Path = DEFAULT_STORE  # store of built root filesystems; `current` is the active tree
    work_dir: Path = Path("/var/lib/judge/work")  # per-run work directories (mounted at /box)
    state_dir: Path = Path("/var/lib/judge/state")  # `judge up`: the embedded Redis's data and config
    redis_url: str = "redis://127.0.0.1:6379/0"  # broker and submission store (or sentinel://...)
    redis_sentinel_master: str = ""  # with a sentinel:// URL: the name of the monitored master
    retention_seconds: int = 24 * 3600  # how long a submission and its result are kept
    max_job_seconds: int = 900  # longest a job may take (compile + every test); bounds visibility timeout
    max_tasks_per_child: int = 1000  # worker processes are recycled after this many jobs
    callback_allow: str = "127.0.0.1 localhost ::1"  # hosts callbacks may be sent to (space-separated)


    def store(self) -> Store:
        return Store(self.redis_url, self.retention_seconds, self.redis_sentinel_master)


@lru_cache(maxsize=1)
def settings() -> Settings:
    return Settings()
