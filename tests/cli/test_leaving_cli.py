"""`coachdesk import` of a bundle that moves a person with a draft out of this coach's
caseload: it says so and asks; no answer imports nothing, --yes goes on."""

from __future__ import annotations

from pathlib import Path

from coachdesk.store import notes, participants
from coachdesk.store.vault import Vault
from coachdesk.sync import caseload, merge, service
from tests.cli.test_caseload_cli import ENV, state
from tests.cli.test_cli import assert_user_error, run
from tests.conftest import PASSPHRASE, person
from tests.sync.syncutil import make_team


def test_a_person_leaving_with_a_draft_is_asked_about(tmp_path: Path) -> None:
    homes = {name: tmp_path / name for name in ("sue", "ann", "bob")}
    sue, ann, bob = (Vault.create(home, PASSPHRASE, name.title()) for name, home in homes.items())
    make_team(sue, ann, bob)
    kit = participants.create(ann, person("Kit Leaves"))
    notes.save_draft(ann, notes.start(ann, kit, ""), "not finished yet")
    merge.import_bundle(sue, service.export_bundle(ann, tmp_path / "up.cdbundle",
                                                   peer=sue.device).path)
    caseload.transfer(sue, kit, bob.device, "Bob works days")
    bundle = service.export_bundle(sue, tmp_path / "down.cdbundle", peer=ann.device).path
    for vault in (sue, ann, bob):
        vault.close()

    before = state(homes["ann"])
    refused = run(homes["ann"], "import", str(bundle), **ENV)
    assert "1 of your people out of your caseload" in refused.stdout
    assert_user_error(refused, "nothing was changed")
    assert state(homes["ann"]) == before
    done = run(homes["ann"], "import", "--yes", str(bundle), **ENV)
    assert done.returncode == 0, done.stderr
    assert "left this vault's caseload" in done.stdout
    assert "1 draft will go to the supervisor" in done.stdout
    after = Vault.open(homes["ann"], PASSPHRASE)
    try:
        assert participants.count(after) == 0
    finally:
        after.close()
