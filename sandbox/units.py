"""Human sizes for command lines: '256M', '64K', '1G', '1048576'."""

from __future__ import annotations

SUFFIXES = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}


def parse_size(text: str) -> int:
    """Bytes from '256M' (binary units; a trailing 'B' or 'iB' is allowed).

    Raises:
        ValueError: not a size.
    """
    cleaned = text.strip().upper().removesuffix("IB").removesuffix("B")
    if not cleaned:
        raise ValueError(f"not a size: {text!r} (examples: 256M, 64K, 1G, 1048576)")
    number, suffix = (cleaned[:-1], cleaned[-1]) if cleaned[-1:] in SUFFIXES else (cleaned, "")
    try:
        value = float(number) * SUFFIXES[suffix]
    except ValueError:
        raise ValueError(f"not a size: {text!r} (examples: 256M, 64K, 1G, 1048576)") from None
    if value <= 0:
        raise ValueError(f"a size must be positive, got {text!r}")
    return int(value)
