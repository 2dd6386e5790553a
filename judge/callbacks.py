"""Judge0's webhook: PUT the submission (default fields, base64) to callback_url after every final
status; up to 3 tries, 5 s each, retrying only when no HTTP answer came back. Sent by the worker
from the host network, never from the sandbox, and only to hosts the operator allows."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

import httpx

TRIES = 3
TIMEOUT = 5.0
log = logging.getLogger(__name__)


def allowed(url: str, hosts: set[str]) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and (parts.hostname or "") in hosts


def send(url: str, body: dict[str, object]) -> bool:
    """True once any HTTP response arrives (4xx and 5xx count as delivered, as in Judge0)."""
    for attempt in range(1, TRIES + 1):
        try:
            httpx.put(url, json=body, timeout=TIMEOUT)
            return True
        except httpx.HTTPError as error:
            log.warning("callback to %s failed (try %d of %d): %s", url, attempt, TRIES, error)
    return False
