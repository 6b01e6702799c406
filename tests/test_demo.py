from pathlib import Path

from coachdesk import config
from coachdesk.demo import ensure_demo_vault
from coachdesk.store import participants
from coachdesk.store.vault import Vault


def test_demo_vault_is_made_once_and_opens_with_demo(tmp_path: Path) -> None:
    directory = ensure_demo_vault(tmp_path)
    assert directory == config.demo_dir(tmp_path)
    vault = Vault.open(directory, config.DEMO_PASSPHRASE)
    count = participants.count(vault)
    assert count >= 8
    vault.close()
    ensure_demo_vault(tmp_path)
    vault = Vault.open(directory, config.DEMO_PASSPHRASE)
    assert participants.count(vault) == count
    vault.close()


def test_demo_vault_has_one_finished_overdose_checklist(tmp_path: Path) -> None:
    from coachdesk.store import crisis

    vault = Vault.open(ensure_demo_vault(tmp_path), config.DEMO_PASSPHRASE)
    [record] = crisis.history(vault)
    vault.close()
    assert record.event.protocol_id == "overdose" and record.ended
    assert record.outcome == "EMS arrived and took over"
    assert record.participant_id and len(record.steps) > 10
    assert [s.at for s in record.steps] == sorted(s.at for s in record.steps)


def test_demo_vault_has_notes_drafts_addenda_and_overdue_items(tmp_path: Path) -> None:
    import datetime as dt

    from coachdesk.store import action_items, notes, search

    vault = Vault.open(ensure_demo_vault(tmp_path), config.DEMO_PASSPHRASE)
    try:
        rosa = participants.find(vault, "Rosa Delgado")
        rosa_notes = notes.for_participant(vault, rosa.id)
        assert len(rosa_notes) == 2 and all(n.is_final for n in rosa_notes)
        assert notes.addenda(vault, rosa_notes[-1].id)
        assert len(notes.drafts(vault)) == 1
        assert sum(action_items.overdue_counts(vault, dt.date.today()).values()) >= 3
        assert search.search(vault, "bicycle")
    finally:
        vault.close()
