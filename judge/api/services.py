"""What the routes share: settings, the store, the queue, and the languages the workers offer."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request

from judge.api.config import ApiSettings, Judge0Config
from judge.api.requests import Rules
from judge.config import Settings
from judge.judge0 import language_json
from judge.languages import LANGUAGES
from judge.local import current_rootfs, toolchain_versions
from judge.queueing import TaskSender
from judge.store import LANGUAGES as LANGUAGES_KEY
from judge.store import Store
from rootfs import RootfsError

LANGUAGE_CACHE_SECONDS = 5.0


@dataclass
class Services:
    settings: Settings
    judge0: Judge0Config
    api: ApiSettings
    store: Store
    sender: TaskSender
    _languages: tuple[float, dict[int, dict[str, Any]]] = field(default=(0.0, {}))

    def languages(self) -> dict[int, dict[str, Any]]:
        """The languages workers published (name with version, commands), else the registry's."""
        fetched_at, cached = self._languages
        if time.monotonic() - fetched_at < LANGUAGE_CACHE_SECONDS and cached:
            return cached
        published = {int(key): json.loads(value) for key, value in self.store.redis.hgetall(LANGUAGES_KEY).items()}
        languages = published or self._registry()
        self._languages = (time.monotonic(), languages)
        return languages

    def _registry(self) -> dict[int, dict[str, Any]]:
        try:
            versions = toolchain_versions(current_rootfs(self.settings))
        except RootfsError:
            versions = {}
        return {language.id: language_json(language, versions) for language in LANGUAGES.values()}

    def language_name(self, language_id: int) -> str:
        entry = self.languages().get(language_id)
        return str(entry["name"]) if entry else f"Unknown language {language_id}"

    def workers(self) -> list[dict[str, Any]]:
        return self.store.workers()

    def rules(self) -> Rules:
        return Rules(self.judge0, self.api, set(self.languages()), set(self.settings.callback_allow.split()),
                     self.settings.max_job_seconds)


def services(request: Request) -> Services:
    found: Services = request.app.state.services
    return found
