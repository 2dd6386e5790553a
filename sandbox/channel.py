"""Length-prefixed pickled messages over a pipe or socket, between trusted processes of ours."""

from __future__ import annotations

import os
import pickle
import struct
from typing import Any

HEADER = struct.Struct("<I")


def send(fd: int, message: Any) -> None:
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    data = memoryview(HEADER.pack(len(payload)) + payload)
    while data:
        data = data[os.write(fd, data):]


def receive(fd: int) -> Any:
    """The next message, or None at end of file."""
    header = _read_exactly(fd, HEADER.size)
    if header is None:
        return None
    payload = _read_exactly(fd, HEADER.unpack(header)[0])
    if payload is None:
        raise EOFError("the other side closed in the middle of a message")
    return pickle.loads(payload)


def _read_exactly(fd: int, size: int) -> bytes | None:
    chunks = bytearray()
    while len(chunks) < size:
        chunk = os.read(fd, size - len(chunks))
        if not chunk:
            return None if not chunks else bytes(chunks)
        chunks += chunk
    return bytes(chunks)


class FrameBuffer:
    """Collects bytes read without blocking and yields complete messages."""

    def __init__(self) -> None:
        self._data = bytearray()

    def feed(self, data: bytes) -> list[Any]:
        self._data += data
        messages = []
        while len(self._data) >= HEADER.size:
            (size,) = HEADER.unpack_from(self._data)
            if len(self._data) < HEADER.size + size:
                break
            messages.append(pickle.loads(bytes(self._data[HEADER.size:HEADER.size + size])))
            del self._data[:HEADER.size + size]
        return messages
