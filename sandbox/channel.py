"""Length-prefixed messages over a pipe, between trusted processes of ours.

Messages are tuples of plain values encoded with `marshal`, which is built in: the inits that send
them must not import `pickle` (see `sandbox._forker`).
"""

from __future__ import annotations

import marshal
import os
import struct

TYPE_CHECKING = False  # the inits use this module: `typing` stays out of the forker
if TYPE_CHECKING:
    from typing import Any, TypeAlias

HEADER = struct.Struct("<I")
Message: TypeAlias = "tuple[Any, ...]"


def send(fd: int, message: Message) -> None:
    payload = marshal.dumps(message)
    data = memoryview(HEADER.pack(len(payload)) + payload)
    while data:
        data = data[os.write(fd, data):]


def receive(fd: int) -> Message | None:
    """The next message, or None at end of file."""
    header = _read_exactly(fd, HEADER.size)
    if header is None:
        return None
    payload = _read_exactly(fd, HEADER.unpack(header)[0])
    if payload is None:
        raise EOFError("the other side closed in the middle of a message")
    return _decode(payload)


def _decode(payload: bytes) -> Message:
    message = marshal.loads(payload)
    if not isinstance(message, tuple):
        raise ValueError(f"a message is a tuple, not {type(message).__name__}")
    return message


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

    def feed(self, data: bytes) -> list[Message]:
        self._data += data
        messages = []
        while len(self._data) >= HEADER.size:
            (size,) = HEADER.unpack_from(self._data)
            if len(self._data) < HEADER.size + size:
                break
            messages.append(_decode(bytes(self._data[HEADER.size:HEADER.size + size])))
            del self._data[:HEADER.size + size]
        return messages
