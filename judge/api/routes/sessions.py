"""Judge0's POST /authenticate and POST /authorize: 200, or the auth dependencies' 401/403."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Response

from judge.api.auth import authenticated, authorized

router = APIRouter()


@router.post("/authenticate", dependencies=[Depends(authenticated)])
def authenticate() -> Response:
    return Response(status_code=200)


@router.post("/authorize", dependencies=[Depends(authorized)])
def authorize() -> Response:
    return Response(status_code=200)
