"""Caseload scope (issue 17): a coach's vault receives and keeps only its own people;
a supervisor's holds the whole team; a transfer moves a person, history and all, and
leaves nothing readable behind; no finalized note is lost on the way."""

from __future__ import annotations

from pathlib import Path

import pytest

from coachdesk.store import notes, participants, search
from coachdesk.store.vault import Vault
from coachdesk.sync import caseload, merge, service
from tests.conftest import person
from tests.sync.syncutil import final_note, make_vaults, sync_to


@pytest.fixture
def team(tmp_path: Path):
    """Robin supervises Ann and Bob; each coach adds one person and sends to Robin."""
    robin, ann, bob = make_vaults(tmp_path, "robin", "ann", "bob", scoped=True)
    yield robin, ann, bob
    for v in (robin, ann, bob):
        v.close()



def people(vault: Vault) -> set[str]:
    return {r[0] for r in vault.conn.execute("SELECT alias FROM participant")}


def scopes(vault: Vault) -> set[str]:
    return {r[0] for r in vault.conn.execute("SELECT DISTINCT scope FROM ops")}



def test_each_coach_receives_only_its_people_and_the_supervisor_everyone(team, tmp_path) -> None:
    robin, ann, bob = team
    a = participants.create(ann, person("Ada Ann-Only"))
    b = participants.create(bob, person("Bea Bob-Only"))
    final_note(ann, a, "Ada talked about her sister's wedding")
    final_note(bob, b, "Bea found a meeting near work")
    sync_to(ann, robin, tmp_path)
    sync_to(bob, robin, tmp_path)
    assert people(robin) == {"Ada Ann-Only", "Bea Bob-Only"}
    sync_to(robin, ann, tmp_path)
    sync_to(robin, bob, tmp_path)
    assert people(ann) == {"Ada Ann-Only"}
    assert people(bob) == {"Bea Bob-Only"}
    assert b not in scopes(ann) and a not in scopes(bob)
    # A bundle written for both coaches at once is still one per coach.
    result = service.export_bundle(robin, tmp_path, full=True)
    assert len(result.written) == 2
    for coach, other in ((ann, b), (bob, a)):
        merge.import_bundle(coach, result.for_reader(coach.device))
        assert other not in scopes(coach)


def test_a_transfer_moves_the_whole_history_and_leaves_nothing_behind(team, tmp_path) -> None:
    robin, ann, bob = team
    kit = participants.create(ann, person("Kit Canary", phone="555 0199"))
    final_note(ann, kit, "Kit mentioned the zebra quilt project")
    sync_to(ann, robin, tmp_path)
    caseload.transfer(robin, kit, bob.device, "Kit prefers mornings; call first.")
    # Before hearing of it, Ann finalizes one more note and starts a draft.
    late = final_note(ann, kit, "Kit asked about the okapi shelter")
    draft = notes.start(ann, kit, "")
    notes.save_draft(ann, draft, "half a thought about the narwhal group")
    asked: list[list[str]] = []

    def confirm(gone) -> bool:
        asked.append([g.alias for g in gone])
        return True

    summary = merge.import_bundle(ann, service.export_bundle(robin, tmp_path,
                                                             peer=ann.device).path,
                                  confirm_leaving=confirm)
    assert asked == [["Kit Canary"]]
    assert summary.left == 1 and summary.drafts_carried == 1
    assert "left this vault's caseload" in summary.line()
    # The canary: nothing of Kit is readable in Ann's vault any more.
    conn = ann.conn
    assert conn.execute("PRAGMA secure_delete").fetchone()[0] == 1
    for word in ("Kit Canary", "zebra", "okapi", "narwhal", "555 0199", "mornings"):
        for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND "
                                     "name NOT IN ('ops_outbox', 'audit') AND name NOT LIKE "
                                     "'search_text_%'").fetchall():
            rows = conn.execute(f"SELECT * FROM \"{table}\"").fetchall()
            assert word not in repr(rows), (word, table)
    assert search.search(ann, "zebra") == [] and search.search(ann, "okapi") == []
    assert kit not in scopes(ann)
    assert conn.execute("SELECT action, detail FROM audit WHERE action = "
                        "'person removed from this vault'").fetchone()[1].startswith("why=now coached by Bob")
    # The late note and the draft wait in the outbox, and reach Robin (then leave Ann).
    assert conn.execute("SELECT count(*) FROM ops_outbox").fetchone()[0] > 0
    sync_to(ann, robin, tmp_path)
    bodies = {r[0] for r in robin.conn.execute("SELECT body FROM note WHERE participant_id = ?", (kit,))}
    assert "Kit asked about the okapi shelter" in bodies
    assert "half a thought about the narwhal group" in bodies
    assert late in {r[0] for r in robin.conn.execute("SELECT id FROM note")}
    sync_to(robin, ann, tmp_path)
    assert conn.execute("SELECT count(*) FROM ops_outbox").fetchone()[0] == 0
    # Bob receives Kit's whole history, Ann's notes and the handoff note included.
    sync_to(robin, bob, tmp_path)
    assert people(bob) == {"Kit Canary"}
    bob_bodies = {r[0] for r in bob.conn.execute("SELECT body FROM note WHERE participant_id = ?",
                                                 (kit,))}
    assert {"Kit mentioned the zebra quilt project", "Kit asked about the okapi shelter"} <= bob_bodies
    assert [h.note for h in caseload.handoffs(bob, kit)] == ["Kit prefers mornings; call first."]


def test_a_share_brings_the_history_and_an_unshare_takes_it_away(team, tmp_path) -> None:
    robin, ann, bob = team
    rosa = participants.create(ann, person("Rosa Shared"))
    final_note(ann, rosa, "Rosa starts a new job on Monday")
    sync_to(ann, robin, tmp_path)
    sync_to(robin, bob, tmp_path)
    assert people(bob) == set()
    caseload.share(robin, rosa, bob.device)
    sync_to(robin, bob, tmp_path)
    assert people(bob) == {"Rosa Shared"}
    assert "Rosa starts a new job on Monday" in {r[0] for r in bob.conn.execute("SELECT body FROM note")}
    # Bob writes for Rosa; Ann hears of it through Robin.
    final_note(bob, rosa, "Bob met Rosa at the library")
    sync_to(bob, robin, tmp_path)
    sync_to(robin, ann, tmp_path)
    assert "Bob met Rosa at the library" in {r[0] for r in ann.conn.execute("SELECT body FROM note")}
    caseload.unshare(robin, rosa)
    summary = sync_to(robin, bob, tmp_path)
    assert summary.left == 1 and people(bob) == set() and rosa not in scopes(bob)
    # Shared again later: the whole history comes back.
    caseload.share(robin, rosa, bob.device)
    sync_to(robin, bob, tmp_path)
    assert {"Rosa starts a new job on Monday", "Bob met Rosa at the library"} <= {
        r[0] for r in bob.conn.execute("SELECT body FROM note")}


def test_declining_the_leaving_question_imports_nothing(team, tmp_path) -> None:
    robin, ann, bob = team
    kit = participants.create(ann, person("Kit Stays"))
    sync_to(ann, robin, tmp_path)
    caseload.transfer(robin, kit, bob.device, "over to Bob")
    draft = notes.start(ann, kit, "")
    notes.save_draft(ann, draft, "unsent words")
    before = ann.conn.execute("SELECT count(*) FROM ops").fetchone()[0]
    path = service.export_bundle(robin, tmp_path, peer=ann.device).path
    with pytest.raises(merge.Cancelled, match="nothing changed"):
        merge.import_bundle(ann, path, confirm_leaving=lambda gone: False)
    assert people(ann) == {"Kit Stays"}
    assert ann.conn.execute("SELECT count(*) FROM ops").fetchone()[0] == before


def test_the_canary_leaves_no_readable_byte_in_the_old_coachs_vault_file(team, tmp_path) -> None:
    """Every page of Ann's vault file and WAL, decrypted with its key, as one holding the
    key would read the raw file: Kit's words are there before the transfer, gone after."""
    from coachdesk.store import keyslot
    from coachdesk.store.vault import slot_path, vault_path
    from tests.vault_pages import first_page_is_sqlite, pages

    robin, ann, bob = team
    kit = participants.create(ann, person("Kit Canary", phone="555 0199"))
    final_note(ann, kit, "Kit mentioned the zebra quilt project")
    final_note(ann, kit, "Kit asked about the okapi shelter")
    sync_to(ann, robin, tmp_path)
    sync_to(robin, ann, tmp_path)
    directory = tmp_path / "ann"
    _, key = keyslot.read(slot_path(directory), "passphrase ann")
    assert first_page_is_sqlite(vault_path(directory), key)
    words = (b"Kit Canary", b"zebra quilt", b"okapi shelter", b"555 0199")

    def readable() -> set[bytes]:
        blob = b"".join(pages(vault_path(directory), key))
        return {w for w in words if w in blob}

    assert readable() == set(words)  # the check can see them while they are there
    caseload.transfer(robin, kit, bob.device, "Kit moves to Bob")
    summary = sync_to(robin, ann, tmp_path)
    assert summary.left == 1
    assert readable() == set(), "removed text is still readable in the vault file"
    ann.close()
    assert readable() == set()


def test_every_synced_table_has_a_scope_rule(team) -> None:
    from coachdesk.store import scope as op_scope

    robin, ann, _ = team
    assert op_scope.rule_gaps() == []
    with ann.transaction() as conn:
        assert op_scope.scope_of(conn, "training_entry", "t1", {"coach": ann.device},
                                 ann.device) == "@" + ann.device
        assert op_scope.scope_of(conn, "supervision_session", "s1", {"coach": ann.device},
                                 robin.device) == "@" + ann.device
        assert op_scope.scope_of(conn, "resource", "r1", {}, ann.device) == ""
        assert op_scope.scope_of(conn, "crisis_event", "e1", {"participant_id": ""},
                                 ann.device) == "@" + ann.device
