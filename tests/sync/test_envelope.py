"""The header of a bundle: addressed to its readers, signed by its sender. Every change
to it after signing, every sender outside the team, every removed sender is refused with
one line, and the vault stays as it was."""

from __future__ import annotations

import json
import struct
from pathlib import Path
from typing import Any

import pytest

from coachdesk import identity
from coachdesk.errors import CoachdeskError
from coachdesk.store import participants
from coachdesk.sync import envelope, merge, peers, service, team
from tests.conftest import person
from tests.sync.syncutil import everything, make_vault, make_vaults


def rewrite(source: Path, target: Path, change: Any, *, sign_with: Any = None) -> None:
    """Copy a bundle, changing its header body with `change(body)`; the old signature is
    kept unless `sign_with` (the keys of someone else) signs the new body."""
    data = source.read_bytes()
    start = len(envelope.MAGIC)
    (length,) = struct.unpack(">I", data[start:start + 4])
    outer = json.loads(data[start + 4:start + 4 + length])
    change(outer["body"])
    if sign_with is not None:
        outer["signature"] = identity.b64(identity.sign(sign_with, identity.canonical(outer["body"])))
    header = identity.canonical(outer)
    target.write_bytes(envelope.MAGIC + struct.pack(">I", len(header)) + header
                       + data[start + 4 + length:])


def refused(vault: Any, path: Path, match: str) -> None:
    before = everything(vault)
    with pytest.raises(CoachdeskError, match=match) as caught:
        merge.import_bundle(vault, path)
    assert "\n" not in str(caught.value)
    assert everything(vault) == before


@pytest.fixture
def team3(tmp_path: Path):
    sup, ann, bob = make_vaults(tmp_path, "sue", "ann", "bob")
    participants.create(sup, person("Header Test"))
    path = service.export_bundle(sup, tmp_path / "good.cdbundle").path
    yield sup, ann, bob, path
    for vault in (sup, ann, bob):
        vault.close()


def _set(name: str, value: Any):  # type: ignore[no-untyped-def]
    return lambda body: body.__setitem__(name, value)


def _stanza(field: str):  # type: ignore[no-untyped-def]
    def change(body: dict[str, Any]) -> None:
        stanza = body["recipients"][0]
        raw = bytearray(identity.unb64(stanza[field]))
        raw[0] ^= 1
        stanza[field] = identity.b64(bytes(raw))
    return change


HEADER_CHANGES = {
    "created": (_set("created", "2020-01-01T00:00:00.000+00:00"), "signature is not valid"),
    "sender": (_set("sender", "0" * 16), "do not match its header"),  # not the manifest's
    "manifest": (_set("manifest_sha256", "0" * 64), "signature is not valid|do not match"),
    "payload digest": (_set("payload_sha256", "0" * 64), "do not match its header"),
    "payload size": (_set("payload_bytes", 10), "do not match its header"),
    "format": (_set("format", 4), "malformed"),
    "extra field": (_set("note", "hello"), "malformed"),
    "a reader dropped": (lambda body: body["recipients"].pop(1), "signature is not valid"),
    "stanza key": (_stanza("key"), "not addressed to this vault"),
    "stanza ephemeral key": (_stanza("eph"), "not addressed to this vault"),
}


@pytest.mark.parametrize("field", list(HEADER_CHANGES))
def test_every_header_field_changed_after_signing_is_refused(team3, tmp_path: Path,
                                                             field: str) -> None:
    _, ann, _, good = team3
    change, message = HEADER_CHANGES[field]
    first = envelope.read(good).recipients[0]
    reader = ann if first == ann.device else team3[2]
    bad = tmp_path / "bad.cdbundle"
    rewrite(good, bad, change)
    refused(reader, bad, message)
    assert merge.import_bundle(reader, good).new_records == 2  # a person + its caseload


def test_a_changed_signature_and_a_signature_by_another_member_are_refused(
        team3, tmp_path: Path) -> None:
    sup, ann, bob, good = team3
    bad = tmp_path / "sig.cdbundle"
    data = bytearray(good.read_bytes())
    at = data.index(b'"signature":"') + len(b'"signature":"')
    data[at] = ord("A") if data[at] != ord("A") else ord("B")
    bad.write_bytes(bytes(data))
    refused(ann, bad, "signature is not valid|malformed")
    # Bob re-signs Sue's bundle as if Sue had sent it: Bob's key is not Sue's.
    rewrite(good, bad, lambda body: None, sign_with=bob.keys)
    refused(ann, bad, "signature is not valid")


def test_an_unknown_or_removed_sender_is_refused(team3, tmp_path: Path) -> None:
    sup, ann, bob, _ = team3
    participants.create(bob, person("Written By Bob"))
    before_removal = service.export_bundle(bob, tmp_path / "bob-1.cdbundle").path
    with sup.transaction() as conn:
        team.remove_member(conn, sup.keys, sup.identity(), bob.device,
                           peers.seq_prefix(conn, bob.device))
    after = service.export_bundle(sup, tmp_path / "sue-2.cdbundle", peer="ann").path
    assert merge.import_bundle(ann, after).new_ops > 0  # brings the new team file
    held = team.current(ann.conn)
    assert held is not None and held.member(bob.device).removed  # type: ignore[union-attr]
    refused(ann, before_removal, "Bob was removed from the team")
    # An outsider: a vault of another team, even one addressing Ann's keys.
    stranger, friend = make_vault(tmp_path, "zed"), make_vault(tmp_path, "fay")
    from tests.sync.syncutil import make_team

    make_team(stranger, friend, name="Another team")
    with stranger.transaction() as conn:
        team.add_member(conn, stranger.keys, stranger.identity(), ann.identity())
    participants.create(stranger, person("From Outside"))
    outside = service.export_bundle(stranger, tmp_path / "zed.cdbundle", peer="ann").path
    refused(ann, outside, "not a member of the team")
    stranger.close()
    friend.close()


def test_a_forged_change_under_another_members_id_is_refused_direct_and_relayed(
        tmp_path: Path) -> None:
    from coachdesk.store import chain
    from tests.sync.syncutil import forge

    sue, ann, bob = make_vaults(tmp_path, "sue", "ann", "bob")
    participants.create(ann, person("Ann Wrote This"))
    merge.import_bundle(sue, service.export_bundle(ann, tmp_path / "a1.cdbundle").path)
    relayed = service.export_bundle(sue, tmp_path / "s1.cdbundle", peer="bob").path
    # Ann's ops, relayed by Sue: the person and its caseload record
    assert merge.import_bundle(bob, relayed).new_records == 2
    # Direct: Bob adds a change under Ann's device id to his own bundle, chained as well
    # as he can (he knows the hashes, not Ann's key); he signs the header himself.
    participants.create(bob, person("Bob Wrote This"))
    direct = service.export_bundle(bob, tmp_path / "b1.cdbundle", peer="sue").path
    row_id = ann.conn.execute("SELECT id FROM participant").fetchone()[0]
    top = ann.conn.execute("SELECT max(seq) FROM ops WHERE device = ?", (ann.device,)).fetchone()[0]
    stop, prev = ann.conn.execute("SELECT sseq, chain FROM ops WHERE device = ? AND scope = ? "
                                  "ORDER BY sseq DESC LIMIT 1", (ann.device, row_id)).fetchone()
    values = (f"{ann.device}:{top + 1}", ann.device, top + 1, "9" * 16 + ".000000",
              "participant", row_id, "phone", '"555 0666"', "[]", "Ann", row_id, stop + 1)
    forge(direct, (f"INSERT INTO ops VALUES ({', '.join('?' * 14)})",
                   (*values, prev, chain.link(prev, values))))
    refused(sue, direct, "not signed by that device")
    # Relayed: Sue changes the value of one of Ann's new changes on its way to Bob.
    participants.create(ann, person("Ann Again"))
    merge.import_bundle(sue, service.export_bundle(ann, tmp_path / "a2.cdbundle").path)
    onward = service.export_bundle(sue, tmp_path / "s2.cdbundle", peer="bob").path
    forge(onward, ("UPDATE ops SET value = ? WHERE device = ? AND field = 'alias' AND value = ?",
                   ('"Sue Wrote This"', ann.device, '"Ann Again"')))
    refused(bob, onward, "does not match its chain")
    for vault in (sue, ann, bob):
        vault.close()
