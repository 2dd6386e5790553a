"""Judge0's access control: X-Auth-Token (header or query parameter) for everything when tokens are
configured; X-Auth-User for the protected calls, which answer 403 when no user token is configured.
Failures have empty bodies. Tokens are compared in constant time."""

from __future__ import annotations

import hmac

from fastapi import Depends, Request

from judge.api.services import Services, services


class EmptyResponse(Exception):
    """Answer with this status and no body."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def _presented(request: Request, header: str) -> str:
    return request.headers.get(header) or request.query_params.get(header) or ""


def _matches(given: str, tokens: str) -> bool:
    return any(hmac.compare_digest(given.encode(), token.encode()) for token in tokens.split())


def authenticated(request: Request, found: Services = Depends(services)) -> None:
    tokens = found.api.authn_token
    if tokens and not _matches(_presented(request, found.api.authn_header), tokens):
        raise EmptyResponse(401)


def authorized(request: Request, found: Services = Depends(services), _: None = Depends(authenticated)) -> None:
    tokens = found.api.authz_token
    if not tokens or not _matches(_presented(request, found.api.authz_header), tokens):
        raise EmptyResponse(403)
