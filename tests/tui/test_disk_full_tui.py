"""A full disk while typing (note body, plan, addendum): the editor says "Not saved: the
disk is full" on screen, keeps the text, tries again on the next tick and clears the
warning once it works. The app never stops over it; a real bug still locks the vault.

Two ways to fill the disk: a wrapper around the vault's connection whose writes fail as
SQLite fails them (always runs), and a real 8 MB tmpfs filled to the last byte (runs
where mounting is allowed)."""

from __future__ import annotations

import contextlib
import errno
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlcipher3
from textual.binding import Binding
from textual.widgets import TextArea

from coachdesk.store import addendum_drafts, notes, plan_drafts
from coachdesk.store.vault import Vault
from coachdesk.tui.app import CoachdeskApp
from coachdesk.tui.screens.note_editor import NoteEditor
from coachdesk.tui.screens.note_view import AddendumForm
from coachdesk.tui.screens.plan_editor import PlanEditor
from tests.tui.helpers import open_plan_editor, press, squeezed, type_text, unlocked
from tests.tui.test_drafts_tui import open_addendum, seeded_final_note
from tests.vaults import reopened, seeded

NOT_SAVED = "Notsaved:thediskisfull"


class FullDisk:
    """The vault's own connection, except that while `full` every write fails with the
    error SQLite gives on a full disk. The store code above it runs unchanged."""

    WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")

    def __init__(self, conn: sqlcipher3.Connection) -> None:
        self._conn = conn
        self.full = True
        self.refused = 0

    @classmethod
    def under(cls, vault: Vault) -> FullDisk:
        disk = cls(vault.conn)
        vault.conn = disk  # type: ignore[assignment]
        return disk

    def execute(self, sql: str, *args: object) -> sqlcipher3.Cursor:
        if self.full and sql.lstrip().upper().startswith(self.WRITES):
            self.refused += 1
            raise sqlcipher3.OperationalError("database or disk is full")
        return self._conn.execute(sql, *args)

    def __getattr__(self, name: str) -> object:
        return getattr(self._conn, name)


def timer_fires(screen) -> None:  # type: ignore[no-untyped-def]
    """What the autosave timer does when it fires (without waiting for it)."""
    autosave = screen.autosave
    real = autosave.clock
    autosave.clock = lambda: real() + 60
    try:
        autosave.tick()
    finally:
        autosave.clock = real


async def test_note_body_on_a_full_disk(vault_dir: Path, app: CoachdeskApp) -> None:
    seeded(vault_dir, "Nora Notes")
    async with unlocked(app) as pilot:
        await press(pilot, "ctrl+o")
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        await type_text(pilot, "Before the disk filled")
        assert editor.flush()
        disk = FullDisk.under(app.vault)
        await type_text(pilot, " and after")
        timer_fires(editor)  # the autosave
        await pilot.pause()
        assert disk.refused and NOT_SAVED in squeezed(pilot)
        assert app.screen is editor and app.vault is not None and app.is_running
        assert editor.query_one("#note-body", TextArea).text == "Before the disk filled and after"
        assert editor.autosave.pending and editor.autosave.armed  # tried again next tick
        await press(pilot, "ctrl+s")  # by hand: the same, no crash
        assert NOT_SAVED in squeezed(pilot)
        await press(pilot, "escape")  # leaving would lose the words: asked first
        assert app.screen is editor
        assert any("not saved" in n.message for n in app._notifications)
        disk.full = False  # space freed
        timer_fires(editor)
        await pilot.pause()
        assert NOT_SAVED not in squeezed(pilot) and "draft·saved" in squeezed(pilot)
        assert not editor.autosave.pending
        [draft] = notes.drafts(app.vault)
        assert draft.text == "Before the disk filled and after"


async def test_plan_draft_on_a_full_disk(vault_dir: Path, app: CoachdeskApp) -> None:
    [pid] = seeded(vault_dir, "Pat Planner")
    async with unlocked(app) as pilot:
        await open_plan_editor(pilot)
        editor = app.screen
        assert isinstance(editor, PlanEditor)
        disk = FullDisk.under(app.vault)
        await pilot.press("enter")
        await type_text(pilot, "- Walk to the park")
        typed = editor.query_one("#plan-text", TextArea).text
        timer_fires(editor)
        await pilot.pause()
        assert NOT_SAVED in squeezed(pilot) and app.screen is editor and app.is_running
        assert "Notsaved" in "".join(str(editor.query_one("#plan-draft").render()).split())
        await press(pilot, "ctrl+s")  # a revision on a full disk: refused, said, kept
        assert app.screen is editor and NOT_SAVED in squeezed(pilot)
        assert editor.query_one("#plan-text", TextArea).text == typed
        disk.full = False
        timer_fires(editor)
        await pilot.pause()
        assert plan_drafts.get(app.vault, pid).body == typed
        assert not editor.query_one("#plan-draft").display  # the warning line is gone


async def test_addendum_draft_on_a_full_disk(vault_dir: Path, app: CoachdeskApp) -> None:
    note_id = seeded_final_note(vault_dir)
    async with unlocked(app) as pilot:
        await open_addendum(pilot, note_id)
        form = app.screen
        assert isinstance(form, AddendumForm)
        disk = FullDisk.under(app.vault)
        await type_text(pilot, "She called back")
        timer_fires(form)
        await pilot.pause()
        assert NOT_SAVED in squeezed(pilot) and app.screen is form and app.is_running
        disk.full = False
        timer_fires(form)
        await pilot.pause()
        assert NOT_SAVED not in squeezed(pilot)
        assert addendum_drafts.get(app.vault, note_id).body == "She called back"


class DiskFullBugApp(CoachdeskApp):
    BINDINGS = [*CoachdeskApp.BINDINGS, Binding("f12", "fill", priority=True)]

    def action_fill(self) -> None:
        raise sqlcipher3.OperationalError("database or disk is full")


async def test_a_full_disk_outside_the_editors_still_locks_and_says_so(
        vault_dir: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    seeded(vault_dir, "Nora Notes")
    app = DiskFullBugApp(vault_dir)
    with pytest.raises(sqlcipher3.OperationalError):
        async with unlocked(app) as pilot:
            await press(pilot, "f12")
    report = " ".join(capsys.readouterr().err.split())
    assert app.vault is None
    assert "the disk is full" in report and "Free some space" in report


# ---- a real full disk -------------------------------------------------------------
@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount_point = tmp_path / "small"
    mount_point.mkdir()
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m,mode=0700", "tmpfs",
                               str(mount_point)], capture_output=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        pytest.skip("cannot mount a small tmpfs here")
    if done.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (not permitted)")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], capture_output=True, timeout=20)


def fill(directory: Path) -> Path:
    """A file that takes every byte left on the disk."""
    filler = directory / "filler"
    with filler.open("wb", buffering=0) as f:
        for size in (1 << 20, 1 << 12, 1):
            with contextlib.suppress(OSError):
                while True:
                    f.write(b"\0" * size)
    return filler


async def test_note_body_on_a_really_full_disk(small_disk: Path) -> None:
    vault_dir = small_disk / "vault"
    seeded(vault_dir, "Nora Notes")
    app = CoachdeskApp(vault_dir)
    async with unlocked(app) as pilot:
        await press(pilot, "ctrl+o")
        editor = app.screen
        await type_text(pilot, "Before the disk filled")
        assert editor.flush()
        filler = fill(small_disk)
        with pytest.raises(OSError) as full:
            (small_disk / "probe").write_bytes(b"x" * 8192)
        assert full.value.errno == errno.ENOSPC
        area = editor.query_one("#note-body", TextArea)
        area.insert(" and after. " + "More words. " * 4000)  # a paste: far more than fits
        await pilot.pause()
        text = area.text
        timer_fires(editor)
        await pilot.pause()
        assert NOT_SAVED in squeezed(pilot) and app.screen is editor and app.is_running
        assert area.text == text
        filler.unlink()
        (small_disk / "probe").unlink(missing_ok=True)
        timer_fires(editor)
        await pilot.pause()
        assert NOT_SAVED not in squeezed(pilot)
        await press(pilot, "ctrl+l")
    with reopened(vault_dir) as vault:
        [draft] = notes.drafts(vault)
        assert draft.text == text
        assert vault.check() == []
