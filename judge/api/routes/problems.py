"""Our extension: problems uploaded once (content-addressed) and gradings against them."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from judge.api.auth import authenticated

router = APIRouter(dependencies=[Depends(authenticated)])
