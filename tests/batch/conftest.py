"""The service fixtures, shared with tests/service."""

from tests.service.conftest import shared_service

__all__ = ["shared_service"]
