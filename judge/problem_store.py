"""Problems in Redis, content-addressed: uploaded once, kept until deleted, cached by each process."""

from __future__ import annotations

import json
from collections import OrderedDict

import redis

from judge import problem_codec
from judge.problems import Problem

PREFIX = "judge:problem:"
CACHE_SIZE = 32


class ProblemStore:
    def __init__(self, client: redis.Redis) -> None:
        self.redis = client
        self._cache: OrderedDict[str, Problem] = OrderedDict()

    def put(self, problem: Problem) -> str:
        """Store (or find) the problem; returns its content hash, the id clients use."""
        identifier = problem_codec.content_hash(problem)
        self.redis.set(PREFIX + identifier, json.dumps(problem_codec.to_json(problem)), nx=True)
        return identifier

    def get(self, identifier: str) -> Problem | None:
        if identifier in self._cache:
            self._cache.move_to_end(identifier)
            return self._cache[identifier]
        data = self.redis.get(PREFIX + identifier)
        if data is None:
            return None
        problem = problem_codec.from_json(json.loads(data))
        self._cache[identifier] = problem
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return problem

    def size(self, identifier: str) -> int:
        return int(self.redis.strlen(PREFIX + identifier))

    def delete(self, identifier: str) -> bool:
        self._cache.pop(identifier, None)
        return bool(self.redis.delete(PREFIX + identifier))
