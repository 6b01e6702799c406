"""Identifiers: UUIDv7 for records (time-ordered), random ids for devices."""

import os
import secrets
import threading
import time
import uuid

_lock = threading.Lock()
_last = 0
_RAND_A_SHIFT = 64
_RAND_B_MASK = (1 << 62) - 1


def _uuid7_int(ns: int, rand: int) -> int:
    ms = ns // 1_000_000
    sub_ms = (ns % 1_000_000) * 4096 // 1_000_000  # RFC 9562 method 3: finer clock in rand_a
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76  # version
    value |= sub_ms << _RAND_A_SHIFT  # rand_a, 12 bits
    value |= 0b10 << 62  # variant
    value |= rand & _RAND_B_MASK  # rand_b, 62 bits
    return value


def uuid7() -> str:
    """A UUIDv7 (RFC 9562) as text: Unix ms, a sub-ms fraction, then random bits.

    Ids made by one process strictly increase, even within the same clock tick (or when
    the clock steps back): two records made in one millisecond still sort in the order
    they were made, as "newest first" lists assume.
    """
    global _last
    value = _uuid7_int(time.time_ns(), int.from_bytes(os.urandom(8), "big") >> 3)
    with _lock:
        if value <= _last:
            # Same tick or a clock step back: one past the last id. rand_b starts below
            # 2**61 of its 2**62, so the count never carries into the variant bits.
            value = _last + 1
        _last = value
    return str(uuid.UUID(int=value))


def device_id() -> str:
    return secrets.token_hex(8)
