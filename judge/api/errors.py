"""Errors the routes raise and how each is answered, the way Judge0 answers them."""

from __future__ import annotations

import logging

import redis
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response

from judge.api.auth import EmptyResponse
from judge.api.requests import RequestErrors
from judge.judge0 import NotUtf8Error
from judge.queueing import QueueUnavailable

log = logging.getLogger(__name__)


class ApiError(Exception):
    """Answered as {"error": message} with this status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_: Request, error: ApiError) -> Response:
        return JSONResponse({"error": error.message}, status_code=error.status)

    @app.exception_handler(EmptyResponse)
    async def empty(_: Request, error: EmptyResponse) -> Response:
        return Response(status_code=error.status)

    @app.exception_handler(RequestErrors)
    async def unprocessable(_: Request, error: RequestErrors) -> Response:
        return JSONResponse(error.errors, status_code=422)

    @app.exception_handler(NotUtf8Error)
    async def not_utf8(_: Request, error: NotUtf8Error) -> Response:
        return JSONResponse({"error": str(error)}, status_code=400)

    @app.exception_handler(QueueUnavailable)
    async def queue_down(_: Request, error: QueueUnavailable) -> Response:
        log.error("%s", error)
        return JSONResponse({"error": str(error)}, status_code=503)

    @app.exception_handler(redis.RedisError)
    async def redis_down(_: Request, error: redis.RedisError) -> Response:
        log.error("Redis: %s", error)
        return JSONResponse({"error": f"the store is unavailable (Redis: {error})"}, status_code=503)

    @app.exception_handler(RequestValidationError)
    async def query_invalid(_: Request, error: RequestValidationError) -> Response:
        errors: dict[str, list[str]] = {}
        for item in error.errors():
            errors.setdefault(str(item["loc"][-1]), []).append(str(item["msg"]))
        return JSONResponse(errors, status_code=422)
