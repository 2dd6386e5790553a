"""Bad input to the sandbox's types is refused with the field named."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from sandbox import Limits, Result, Spec
from sandbox.channel import FrameBuffer, send
from sandbox.units import parse_size


@pytest.mark.parametrize(("field", "value"), [("cpu_time", 0), ("memory", -1), ("processes", 1.5),
                                              ("wall_time", float("nan")), ("output", True), ("open_files", 2)])
def test_bad_limits_name_the_field(field: str, value: object) -> None:
    with pytest.raises(ValueError, match=f"Limits.{field}"):
        Limits(**{field: value})  # type: ignore[arg-type]


def test_spec_normalises_and_validates() -> None:
    spec = Spec(["/bin/echo", "x"], "/r", "/w", stdin="/in", env={"A": "1"})
    assert spec.argv == ("/bin/echo", "x") and spec.rootfs == Path("/r") and spec.stdin == Path("/in")
    assert Spec(["/bin/true"], "/r", "/w", stdin=b"data").stdin == b"data"
    with pytest.raises(ValueError, match="argv"):
        Spec([], "/r", "/w")
    with pytest.raises(ValueError, match="NUL"):
        Spec(["/bin/echo", "a\0b"], "/r", "/w")
    with pytest.raises(ValueError, match="env"):
        Spec(["/bin/true"], "/r", "/w", env={"A=B": "1"})


def test_spec_and_result_survive_pickling() -> None:
    spec = Spec(["/bin/true"], "/r", "/w", stdin=b"x", limits=Limits(memory=1 << 20))
    assert pickle.loads(pickle.dumps(spec)) == spec
    result = Result("OK", 0, None, b"out", b"", 0.1, 0.2, 3)
    assert pickle.loads(pickle.dumps(result)) == result


@pytest.mark.parametrize(("text", "size"), [("256M", 256 << 20), ("64K", 65536), ("1G", 1 << 30), ("1024", 1024),
                                            ("1.5M", 3 << 19), ("64KiB", 65536), ("2mb", 2 << 20)])
def test_parse_size(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "M", "12Q", "-5M", "0"])
def test_parse_size_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_size(text)


def test_frames_split_and_join(tmp_path: Path) -> None:
    import os

    read, write = os.pipe()
    for message in (("a", 1), ("b", b"x" * 10000), ("c",)):
        send(write, message)
    os.close(write)
    data = b""
    while chunk := os.read(read, 777):
        data += chunk
    frames = FrameBuffer()
    received = []
    for start in range(0, len(data), 100):
        received += frames.feed(data[start:start + 100])
    assert received == [("a", 1), ("b", b"x" * 10000), ("c",)]
