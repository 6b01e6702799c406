"""Identifiers: UUIDv7 for records (time-ordered), random ids for devices."""

import os
import secrets
import time
import uuid


def uuid7() -> str:
    """A UUIDv7 (RFC 9562) as text: 48 bits of Unix ms, then random bits."""
    ms = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76  # version
    value |= ((rand >> 62) & 0xFFF) << 64  # rand_a, 12 bits
    value |= 0b10 << 62  # variant
    value |= rand & ((1 << 62) - 1)  # rand_b, 62 bits
    return str(uuid.UUID(int=value))


def device_id() -> str:
    return secrets.token_hex(8)
