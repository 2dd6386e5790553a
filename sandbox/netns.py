"""Network namespace: only `lo`, brought up so programs may talk to each other on 127.0.0.1.

This is one SIOCSIFFLAGS ioctl from the standard library. pyroute2 is the tool for anything
richer (the doctor and the tests inspect the namespace with it), but importing it would grow the
spawner by 25 MB, and fork cost grows with the forking process's size.
"""

from __future__ import annotations

import _socket  # not `socket`, whose enums would grow the forker by 1 MB
import fcntl
import struct

SIOCSIFFLAGS = 0x8914
IFF_UP = 0x1
IFF_LOOPBACK = 0x8


def bring_up_loopback() -> None:
    control = _socket.socket(_socket.AF_INET, _socket.SOCK_DGRAM)
    try:
        fcntl.ioctl(control, SIOCSIFFLAGS, struct.pack("16sH14x", b"lo", IFF_UP | IFF_LOOPBACK))
    finally:
        control.close()
