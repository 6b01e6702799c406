"""Every page of a vault file (and its WAL) decrypted by hand, as an attacker holding the
key would read the raw file: live rows, freed pages and old WAL frames alike. Used to show
that removed text is really gone (secure_delete), not only unreachable by SQL.

SQLCipher 4 with a raw key: each page is AES-256-CBC over its first page_size - 80 bytes
(page 1 after its 16-byte salt), the 16-byte IV at page_size - 80, then the HMAC.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

RESERVE = 80  # IV (16) + HMAC-SHA512 (64)
WAL_HEADER = 32
FRAME_HEADER = 24


def _decrypt(page: bytes, key: bytes, first: bool) -> bytes:
    size = len(page)
    start = 16 if first else 0
    iv = page[size - RESERVE:size - RESERVE + 16]
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return decryptor.update(page[start:size - RESERVE]) + decryptor.finalize()


def pages(path: Path, key_hex: str, page_size: int = 4096) -> Iterator[bytes]:
    """Every page of the vault file and of its WAL (each frame), decrypted."""
    key = bytes.fromhex(key_hex)
    data = path.read_bytes()
    for number, at in enumerate(range(0, len(data) - page_size + 1, page_size)):
        yield _decrypt(data[at:at + page_size], key, number == 0)
    wal = path.with_name(path.name + "-wal")
    if wal.exists():
        frames = wal.read_bytes()[WAL_HEADER:]
        step = FRAME_HEADER + page_size
        for at in range(0, len(frames) - step + 1, step):
            number = int.from_bytes(frames[at:at + 4], "big")
            yield _decrypt(frames[at + FRAME_HEADER:at + step], key, number == 1)


def first_page_is_sqlite(path: Path, key_hex: str) -> bool:
    """Page 1 decrypts to an SQLite header (its page size at bytes 16-17 of the file)."""
    first = next(pages(path, key_hex))
    return first[:2] == (4096).to_bytes(2, "big")
