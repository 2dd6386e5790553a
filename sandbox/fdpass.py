"""Descriptors received over a Unix socket (SCM_RIGHTS), on `_socket` alone.

`socket.recv_fds` does the same, but the forker and its inits must not import `socket`: its enums
would add about 1 MB to the forker, and every page it owns makes each clone slower.
"""

from __future__ import annotations

import _socket
import struct

FD = struct.Struct("i")


def receive(sock: _socket.socket, size: int, max_fds: int) -> tuple[bytes, list[int]]:
    """One message of at most `size` bytes and the descriptors that came with it."""
    data, ancillary, _, _ = sock.recvmsg(size, _socket.CMSG_LEN(max_fds * FD.size))
    fds: list[int] = []
    for level, kind, payload in ancillary:
        if level == _socket.SOL_SOCKET and kind == _socket.SCM_RIGHTS:
            whole = len(payload) - len(payload) % FD.size
            fds += (fd for (fd,) in FD.iter_unpack(payload[:whole]))
    return data, fds
