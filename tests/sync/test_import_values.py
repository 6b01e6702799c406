"""Imported values are checked as strictly as typed ones (issue #14.6): a forged bundle,
built with the real sync key and a recomputed manifest, is refused with one line naming
the table and field, and the vault is left exactly as it was."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from coachdesk.errors import CoachdeskError
from coachdesk.store import oplog, participants
from coachdesk.store.hlc import Timestamp
from coachdesk.sync import merge, service, validate
from tests.conftest import person
from tests.sync.syncutil import everything, forge, make_vaults


@pytest.fixture
def duo(tmp_path: Path):
    a, b = make_vaults(tmp_path, "alpha", "beta")
    participants.create(a, person("Forge Target", phone="555 0100"))
    yield a, b
    a.close()
    b.close()


def _good(a, tmp_path: Path) -> Path:
    return service.export_bundle(a, tmp_path / "good.cdbundle", full=True).path


def _set(field: str, value: object) -> tuple[str, tuple[object, ...]]:
    return ("UPDATE ops SET value = ? WHERE field = ?", (json.dumps(value), field))


def _raw(field: str, text: str) -> tuple[str, tuple[object, ...]]:
    return ("UPDATE ops SET value = ? WHERE field = ?", (text, field))


FORGED = [
    (_set("alias", {"first": "Jo"}), "participant.alias"),
    (_set("alias", "x" * 1_000_000), "participant.alias"),
    (_set("intake_date", 20240101), "participant.intake_date"),
    (_set("intake_date", "2999-01-01"), "participant.intake_date"),
    (_set("kind", "martian"), "participant.kind"),
    (_set("adult_confirmed", "yes"), "participant.adult_confirmed"),
    (_set("phone", "call me; DROP"), "participant.phone"),
    (_set("safety_flags", ["made_up"]), "participant.safety_flags"),
    (("UPDATE ops SET row_id = ?1, scope = ?1 WHERE field = 'alias'", ("r" * 5000,)),
     "participant.alias"),
    (("UPDATE ops SET author = ?", ("a" * 5000,)), "participant."),
    (("UPDATE ops SET hlc = '9999999999999999.000000' WHERE field = 'phone'", ()),
     "participant.phone"),
    # Found in a second pass: each of these was imported, or ended in a Traceback.
    (_raw("alias", "[" * 999 + "]" * 999), "participant.alias: nested more than"),
    (_raw("safety_flags", '{"a":' * 990 + "1" + "}" * 990), "participant.safety_flags: nested"),
    (("UPDATE ops SET value = CAST(X'22FF22' AS TEXT) WHERE field = 'alias'", ()),
     "participant.alias: text that is not valid UTF-8"),
    # (a team-wide record's change: a person's must also name the person as its scope)
    (("UPDATE ops SET row_id = CAST(X'61FF' AS TEXT) WHERE tbl = 'caseload'", ()),
     "not valid UTF-8"),
    (("UPDATE ops SET author = CAST(X'4AC3' AS TEXT)", ()), "not valid UTF-8"),
    (("UPDATE ops SET parents = CAST(X'5B2261FF225D' AS TEXT) WHERE field = 'phone'", ()),
     "not valid UTF-8"),
]


@pytest.mark.parametrize(("statement", "names"), FORGED)
def test_a_forged_value_refuses_the_bundle_with_one_line(duo, tmp_path: Path, statement,
                                                         names: str) -> None:
    a, b = duo
    path = tmp_path / "forged.cdbundle"
    shutil.copy(_good(a, tmp_path), path)
    forge(path, statement)
    before = everything(b)
    with pytest.raises(CoachdeskError) as caught:
        merge.import_bundle(b, path)
    message = str(caught.value)
    assert "\n" not in message and names in message and "refused" in message
    assert everything(b) == before
    assert "bundle" not in [r[1] for r in b.conn.execute("PRAGMA database_list")]


def test_the_forging_helper_keeps_an_honest_bundle_importable(duo, tmp_path: Path) -> None:
    a, b = duo
    path = _good(a, tmp_path)
    forge(path, _set("pronouns", "they/them"))
    assert merge.import_bundle(b, path).new_records == 2  # a person + its caseload


def test_a_clock_ahead_is_kept_but_does_not_drag_this_vaults_clock(duo, tmp_path: Path) -> None:
    """A change dated 2035 (a laptop with a wrong clock) is imported with its date, but the
    receiver's clock moves at most a day past its own wall clock."""
    a, b = duo
    path = _good(a, tmp_path)
    future = Timestamp(time.time_ns() // 1_000_000 + 9 * 365 * 86_400_000, 0).encode()
    forge(path, ("UPDATE ops SET hlc = ? WHERE field = 'phone'", (future,)))
    merge.import_bundle(b, path)
    clock = Timestamp.decode(oplog.get_meta(b.conn, "hlc", ""))
    assert clock.wall_ms <= time.time_ns() // 1_000_000 + validate.ADOPT_AHEAD_MS
    assert b.ops.clock.last == clock
    pid = participants.roster(b)[0].id
    participants.update(b, pid, {"pronouns": "she/her"})  # writes still work
    assert b.conn.execute("SELECT count(*) FROM ops WHERE hlc = ?", (future,)).fetchone()[0] == 1


def test_values_any_local_write_stores_pass(duo) -> None:
    a, _ = duo
    for tbl, field, value in a.conn.execute("SELECT tbl, field, value FROM ops"):
        validate.check_value(tbl, field, value)


def test_every_value_of_the_demo_vault_passes(tmp_path: Path) -> None:
    """Notes, plans, crisis steps, assessments, referrals, follow-ups: what the app writes
    is what an import accepts (a check stricter than the writers would stop sync)."""
    from coachdesk import config
    from coachdesk.demo import ensure_demo_vault
    from coachdesk.store.vault import Vault

    vault = Vault.open(ensure_demo_vault(tmp_path), config.DEMO_PASSPHRASE)
    try:
        rows = vault.conn.execute("SELECT DISTINCT tbl, field, value FROM ops").fetchall()
        assert len({r[0] for r in rows}) >= 10
        for tbl, field, value in rows:
            validate.check_value(tbl, field, value)
    finally:
        vault.close()


def test_a_manifest_nested_too_deeply_is_refused_with_one_line(duo, tmp_path: Path) -> None:
    a, b = duo
    path = tmp_path / "forged.cdbundle"
    shutil.copy(_good(a, tmp_path), path)
    forge(path, ("UPDATE manifest SET value = ? WHERE key = 'base_vv'", ("[" * 5000 + "]" * 5000,)))
    before = everything(b)
    with pytest.raises(CoachdeskError, match="manifest is malformed"):
        merge.import_bundle(b, path)
    assert everything(b) == before


@pytest.mark.parametrize(("tbl", "field", "value"), [
    ("note", "author", "a" * 1_000_000),
    ("note", "participant_id", "p" * 101),
    ("addendum", "at", "2026-01-01" + " " * 1_000_000),
    ("action_item", "due", "x" * 300_000),
    ("disclosure", "consent_id", "c" * 5000),
    ("crisis_event", "started_by", "s" * 201),
])
def test_no_field_takes_a_megabyte_whatever_its_model_allows(tbl: str, field: str,
                                                             value: str) -> None:
    """Ids, authors and times are plain strings in their models; an import still bounds
    them (an id as an id, an author as an author, any text as the longest note body)."""
    with pytest.raises(validate.BadValue, match=f"{tbl}.{field}: longer than"):
        validate.check_value(tbl, field, json.dumps(value))
