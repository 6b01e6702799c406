"""Identifiers: UUIDv7 for records (time-ordered), random ids for devices."""

import os
import secrets
import threading
import time
import uuid

_lock = threading.Lock()
_last = 0


def uuid7() -> str:
    """A UUIDv7 (RFC 9562) as text: Unix ms, a sub-ms fraction, then random bits.

    Ids made by one process strictly increase, even within the same clock tick (or when
    the clock steps back): two records made in one millisecond still sort in the order
    they were made, as "newest first" lists assume.
    """
    global _last
    ns = time.time_ns()
    value = (ns // 1_000_000 & ((1 << 48) - 1)) << 80  # Unix ms
    value |= 0x7 << 76  # version
    value |= (ns % 1_000_000) * 4096 // 1_000_000 << 64  # rand_a: the sub-ms fraction (method 3)
    value |= 0b10 << 62  # variant
    value |= int.from_bytes(os.urandom(8), "big") >> 3  # rand_b: 61 random bits of its 62
    with _lock:
        if value <= _last:
            # Same tick or a clock step back: one past the last id. rand_b starts below
            # 2**61 of its 2**62, so the count never carries into the variant bits.
            value = _last + 1
        _last = value
    return str(uuid.UUID(int=value))


def device_id() -> str:
    return secrets.token_hex(8)
