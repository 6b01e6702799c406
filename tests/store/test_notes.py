"""Notes: drafts autosave locally, finalize locks (store and SQL), addenda, action items, search."""

from __future__ import annotations

import datetime as dt

import pytest

from coachdesk.errors import CoachdeskError, ValidationFailed
from coachdesk.store import action_items, notes, participants, plans, reindex, search
from coachdesk.store.vault import Vault
from tests.conftest import PASSPHRASE, person

TODAY = dt.date(2026, 3, 10)


def ops_count(vault: Vault) -> int:
    return vault.conn.execute("SELECT count(*) FROM ops").fetchone()[0]


def test_autosave_writes_no_ops_and_survives_reopen(vault: Vault, vault_dir) -> None:  # type: ignore[no-untyped-def]
    pid = participants.create(vault, person())
    note_id = notes.start(vault, pid, "first words")
    before = ops_count(vault)
    for n in range(20):
        notes.save_draft(vault, note_id, "typing " * n)
    assert ops_count(vault) == before
    vault.close()
    again = Vault.open(vault_dir, PASSPHRASE)
    [draft] = notes.drafts(again)
    assert draft.id == note_id and draft.text == "typing " * 19
    assert draft.body == ""  # the synced record has no draft body
    again.close()


def test_finalize_locks_the_note_and_creates_action_items(vault: Vault) -> None:
    pid = participants.create(vault, person())
    note_id = notes.start(vault, pid)
    body = ("Met at the clinic.\n- [ ] call housing @coach due:tomorrow\n"
            "- [ ] bring ID @participant due:2026-03-01\n- [x] water bottle\n")
    ids = notes.finalize(vault, note_id, body, today=TODAY)
    assert len(ids) == 3
    note = notes.get(vault, note_id)
    # the relative date is written as the date (issue 13): the text keeps its meaning
    assert note.is_final and note.body == body.replace("due:tomorrow", "due:2026-03-11")
    assert note.draft_body is None
    body = note.body
    with pytest.raises(notes.NoteIsFinal):
        notes.save_draft(vault, note_id, "changed")
    with pytest.raises(notes.NoteIsFinal):
        notes.save_header(vault, note_id, {"duration_min": 5})
    with pytest.raises(notes.NoteIsFinal):
        notes.finalize(vault, note_id, "again", today=TODAY)
    assert notes.get(vault, note_id).body == body
    assert action_items.overdue_counts(vault, TODAY) == {pid: 1}
    listed = action_items.everything(vault, TODAY)
    assert [x.group(TODAY) for x in listed] == ["overdue", "upcoming", "done"]
    action_items.mark_done(vault, listed[0].item.id)
    assert action_items.overdue_counts(vault, TODAY) == {}


def test_sql_refuses_to_update_a_finalized_note(vault: Vault) -> None:
    pid = participants.create(vault, person())
    note_id = notes.start(vault, pid)
    notes.finalize(vault, note_id, "Talked about work.", today=TODAY)
    with pytest.raises(Exception, match="finalized note"):
        vault.conn.execute("UPDATE note SET body = 'rewritten' WHERE id = ?", (note_id,))
    with pytest.raises(Exception, match="finalized note"):
        vault.conn.execute("UPDATE note SET status = 'draft' WHERE id = ?", (note_id,))
    assert notes.get(vault, note_id).body == "Talked about work."


def test_addenda_are_append_only_and_searchable(vault: Vault) -> None:
    pid = participants.create(vault, person())
    note_id = notes.start(vault, pid)
    with pytest.raises(CoachdeskError, match="draft"):
        notes.add_addendum(vault, note_id, "too early")
    notes.finalize(vault, note_id, "Walked to the pantry.", today=TODAY)
    with pytest.raises(ValidationFailed):
        notes.add_addendum(vault, note_id, "   ")
    add_id = notes.add_addendum(vault, note_id, "Correction: it was the library.")
    [addendum] = notes.addenda(vault, note_id)
    assert addendum.id == add_id and addendum.at
    with pytest.raises(Exception, match="append-only"):
        vault.conn.execute("UPDATE addendum SET body = 'x'")
    with pytest.raises(Exception, match="never deleted"):
        vault.conn.execute("DELETE FROM addendum")
    assert [h.kind for h in search.search(vault, "library")] == ["addendum"]


def test_bad_input_is_refused_and_nothing_is_lost(vault: Vault) -> None:
    pid = participants.create(vault, person())
    note_id = notes.start(vault, pid)
    with pytest.raises(ValidationFailed, match="empty"):
        notes.finalize(vault, note_id, "  \n ", today=TODAY)
    body = "Good talk.\n- [ ] call court due:2026-02-30"
    notes.save_draft(vault, note_id, body)
    with pytest.raises(ValidationFailed, match="line 2.*not a real date"):
        notes.finalize(vault, note_id, body, today=TODAY)
    assert notes.get(vault, note_id).text == body and not notes.get(vault, note_id).is_final
    for bad in (-5, 100000, "ten"):
        with pytest.raises(ValidationFailed, match="duration"):
            notes.save_header(vault, note_id, {"duration_min": bad})
    with pytest.raises(ValidationFailed, match="setting"):
        notes.save_header(vault, note_id, {"setting": "moon"})
    assert notes.save_header(vault, note_id, {"duration_min": 25}) == ["duration_min"]
    participants.update(vault, pid, {"status": "closed"})
    with pytest.raises(CoachdeskError, match="closed"):
        notes.start(vault, pid)
    with pytest.raises(CoachdeskError, match="closed"):
        notes.finalize(vault, note_id, "Good talk.", today=TODAY)
    assert notes.get(vault, note_id).text == body


def test_search_finds_new_words_and_not_deleted_notes(vault: Vault) -> None:
    pid = participants.create(vault, person())
    keep = notes.start(vault, pid)
    notes.finalize(vault, keep, "We talked about the bicycle repair course.", today=TODAY)
    gone = notes.start(vault, pid)
    notes.finalize(vault, gone, "Mentioned the saxophone lessons.", today=TODAY)
    [hit] = search.search(vault, "bicycle")
    assert hit.note_id == keep and "\x02bicycle\x03" in hit.snippet
    assert search.search(vault, "saxo")  # prefix match
    notes.delete(vault, gone)
    assert search.search(vault, "saxophone") == []
    assert search.search(vault, '"; DROP') == []  # no FTS syntax reaches SQLite
    assert not search.is_stale(vault)
    assert reindex.rebuild(vault) == 1
    assert search.search(vault, "saxophone") == []


def test_plan_text_is_indexed_when_a_plan_is_saved(vault: Vault) -> None:
    pid = participants.create(vault, person())
    plans.save(vault, pid, {"health": [{"text": "Swim at the community pool"}]})
    [hit] = search.search(vault, "pool")
    assert hit.kind == "plan" and hit.participant_id == pid


def test_the_index_map_follows_every_change(vault: Vault) -> None:
    """search_entry finds indexed texts without scanning FTS5; it must match it exactly."""
    def entries() -> list[tuple[object, ...]]:
        return vault.conn.execute("SELECT fts_rowid, kind, row_id FROM search_entry "
                                  "ORDER BY 1").fetchall()

    def indexed() -> list[tuple[object, ...]]:
        return vault.conn.execute("SELECT rowid, kind, row_id FROM search_text "
                                  "ORDER BY 1").fetchall()

    pid = participants.create(vault, person())
    note = notes.start(vault, pid)
    notes.finalize(vault, note, "The garden project.", today=TODAY)
    notes.add_addendum(vault, note, "Tomatoes too.")
    first = plans.save(vault, pid, {"health": [{"text": "Walk daily"}]})
    plans.save(vault, pid, {"health": [{"text": "Swim weekly"}]}, first)
    assert entries() == indexed() and len(entries()) == 3
    assert [h.kind for h in search.search(vault, "walk")] == []
    notes.delete(vault, note)
    assert entries() == indexed() and [e[1] for e in entries()] == ["plan"]
    reindex.rebuild(vault)
    assert entries() == indexed() and len(entries()) == 1


def test_search_ranks_the_newest_matches(vault: Vault, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(search, "RECENT", 3)
    pid = participants.create(vault, person())
    ids = []
    for i in range(5):
        note = notes.start(vault, pid)
        notes.finalize(vault, note, f"Bus pass number {i}.", today=TODAY)
        ids.append(note)
    assert sorted(h.note_id for h in search.search(vault, "bus")) == sorted(ids[2:])
    assert search.search(vault, "bus", limit=1)[0].note_id in ids[2:]


# ---- issue 13: no empty drafts, guidance is never data, what reports need ----------

def test_blank_writes_nothing_and_refuses_bad_input(vault: Vault) -> None:
    pid = participants.create(vault, person())
    before = ops_count(vault)
    note = notes.blank(vault, pid, "words", setting="phone")
    assert note.id == "" and note.text == "words" and note.setting == "phone"
    assert note.contact_type == "" and note.duration_min == 0  # chosen when finalizing
    assert ops_count(vault) == before and notes.drafts(vault) == []
    with pytest.raises(ValidationFailed, match="setting"):
        notes.blank(vault, pid, setting="moon")
    with pytest.raises(ValueError):
        notes.blank(vault, pid, body="not a header field")
    participants.update(vault, pid, {"status": "closed"})
    with pytest.raises(CoachdeskError, match="closed"):
        notes.blank(vault, pid)


def test_discard_tombstones_the_header_and_drops_the_local_draft(vault: Vault) -> None:
    pid = participants.create(vault, person())
    note_id = notes.start(vault, pid, "a draft I do not want")
    before = ops_count(vault)
    notes.discard(vault, note_id)
    assert ops_count(vault) == before + 1
    assert vault.conn.execute("SELECT field, value FROM ops ORDER BY rowid DESC LIMIT 1"
                              ).fetchone() == ("_deleted", "true")
    assert notes.drafts(vault) == [] and notes.for_participant(vault, pid) == []
    assert vault.conn.execute("SELECT count(*) FROM note_draft").fetchone()[0] == 0
    with pytest.raises(CoachdeskError, match="no such note"):
        notes.discard(vault, note_id)
    final = notes.start(vault, pid)
    notes.finalize(vault, final, "Kept.", today=TODAY)
    with pytest.raises(notes.NoteIsFinal):  # a finalized note is never discarded
        notes.discard(vault, final)
    assert notes.get(vault, final).body == "Kept."


def test_template_guidance_is_never_an_item_nor_in_the_final_body(vault: Vault) -> None:
    from coachdesk.models import templates

    pid = participants.create(vault, person())
    dap = templates.load("dap")
    assert ">>" not in dap.body and "what happened" not in dap.body.lower()
    assert "- [ ]" in dap.guidance["Plan"]  # the example is guidance, not body
    body = ("## Data\n>> What happened and what the person said.\nWe met.\n"
            "## Plan\n  >> - [ ] what @participant due:+7d\n- [ ] call back due:+7d\n")
    note_id = notes.start(vault, pid, body, template="dap")
    ids = notes.finalize(vault, note_id, body, today=TODAY)
    [item] = action_items.open_for(vault, pid)
    assert len(ids) == 1 and item.text == "call back" and item.due == "2026-03-17"
    assert notes.get(vault, note_id).body == (
        "## Data\nWe met.\n## Plan\n- [ ] call back due:2026-03-17\n")
    only_guidance = notes.start(vault, pid, ">> Hints\n")
    with pytest.raises(ValidationFailed, match="empty"):
        notes.finalize(vault, only_guidance, "\n>> only a hint\n", today=TODAY)


def test_relative_due_dates_become_dates_counted_from_the_note(vault: Vault) -> None:
    pid = participants.create(vault, person())
    note_id = notes.start(vault, pid, occurred_at="2026-02-27T10:00:00+01:00")
    body = ("Said today was hard.\n- [ ] call @coach due:today\n- [x] form due:TOMORROW\n"
            "- [ ] visit due:+3d @participant\n- [ ] fixed due:2026-05-01\n")
    notes.finalize(vault, note_id, body)
    assert notes.get(vault, note_id).body == (
        "Said today was hard.\n- [ ] call @coach due:2026-02-27\n- [x] form due:2026-02-28\n"
        "- [ ] visit due:2026-03-02 @participant\n- [ ] fixed due:2026-05-01\n")


def test_last_used_remembers_what_reports_need(vault: Vault) -> None:
    pid = participants.create(vault, person())
    assert notes.last_used(vault) == {}
    first = notes.start(vault, pid, setting="court", contact_type="check-in", duration_min=40)
    notes.finalize(vault, first, "One.", today=TODAY)
    assert notes.last_used(vault) == {"duration_min": 40, "setting": "court",
                                      "contact_type": "check-in"}
    second = notes.start(vault, pid, setting="phone")  # no minutes nor type: kept from before
    notes.finalize(vault, second, "Two.", today=TODAY)
    assert notes.last_used(vault) == {"duration_min": 40, "setting": "phone",
                                      "contact_type": "check-in"}
    vault.conn.execute("UPDATE setting SET value = 'not json' WHERE key = ?",
                       (notes.LAST_USED_SETTING,))
    assert notes.last_used(vault) == {}
