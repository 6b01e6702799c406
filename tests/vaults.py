"""Real vault files made for a test and opened again after it (SQLCipher, the test
passphrase, the coach "Sam Coach")."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from coachdesk.store import participants
from coachdesk.store.vault import Vault
from tests.conftest import PASSPHRASE, person


@contextmanager
def created(vault_dir: Path) -> Iterator[Vault]:
    """A new vault, closed again when the block ends."""
    vault = Vault.create(vault_dir, PASSPHRASE, "Sam Coach")
    try:
        yield vault
    finally:
        vault.close()


@contextmanager
def reopened(vault_dir: Path) -> Iterator[Vault]:
    """The vault opened again (after the app closed it), closed when the block ends."""
    vault = Vault.open(vault_dir, PASSPHRASE)
    try:
        yield vault
    finally:
        vault.close()


def seeded(vault_dir: Path, *aliases: str) -> list[str]:
    """A new vault holding one participant a given alias; their ids, in that order."""
    with created(vault_dir) as vault:
        return [participants.create(vault, person(alias)) for alias in aliases]
