"""The Sync screen: export to a path, import files, the team, and conflicts.

Export and import run in a worker thread with a progress bar; the screen shows a
summary of what came in and the open conflicts (Enter opens one side by side).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid
from textual.message import Message
from textual.widgets import DataTable, Input, Label, ProgressBar, Static

from coachdesk.errors import CoachdeskError
from coachdesk.store import participants
from coachdesk.sync import conflicts, folder, merge, peers, service
from coachdesk.sync.conflicts import Conflict
from coachdesk.sync.scope_guard import Leaving
from coachdesk.sync.team import TeamFile
from coachdesk.tui import commands
from coachdesk.tui.screens.base import CoachdeskModal, CoachdeskScreen
from coachdesk.tui.screens.conflict import ConflictScreen, describe_value
from coachdesk.tui.screens.leaving import LeavingQuestion
from coachdesk.tui.screens.trust_team import TrustTeamQuestion
from coachdesk.tui.widgets.key_line import KeyLine
from coachdesk.tui.widgets.team_panel import TeamPanel


class SyncScreen(CoachdeskScreen[None]):
    TITLE = "Sync"
    HELP = (
        "Bundles carry changes between your team's laptops: a USB stick or a shared\n"
        "folder is just a path. Export writes bundles addressed to your team's members,\n"
        "signed by this vault: only they can open them, and each holds only what its\n"
        "reader may hold and lacks. Import takes a bundle, a folder of bundles, or a\n"
        "pattern. A sync folder (one Syncthing or a network share carries) does both at\n"
        "once: Ctrl+Y writes, imports and tidies it; the folder is remembered. A conflict\n"
        "is one field changed in two places: open it, keep one version."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f5", "export", "Export", id="sync.export", tooltip="Write a bundle to the export path"),
        Binding("ctrl+g", "import", "Import", id="sync.import",
                tooltip="Import the bundles at the import path"),
        Binding("ctrl+y", "sync_folder", "Sync folder", id="sync.folder",
                tooltip="Write, import and tidy the sync folder"),
        Binding("escape", "back", "Back", id="sync.back", tooltip="Back to where you were"),
    ]

    class Progress(Message):
        def __init__(self, fraction: float, stage: str) -> None:
            super().__init__()
            self.fraction = fraction
            self.stage = stage

    class Finished(Message):
        def __init__(self, lines: list[str], failed: bool) -> None:
            super().__init__()
            self.lines = lines
            self.failed = failed

    def compose(self) -> ComposeResult:
        yield Static("[b]Sync by bundles[/b]", markup=True, id="sync-title")
        with Grid(id="sync-form"):
            yield Label("Export to")
            yield Input(str(Path.home()), id="export-path", compact=True)
            yield Label("Import from")
            yield Input(id="import-path", compact=True,
                        placeholder="a bundle, a folder, or /media/usb/*.cdbundle")
            yield Label("Sync folder")
            yield Input(id="folder-path", compact=True,
                        placeholder="a folder Syncthing or a share carries (Ctrl+Y)")
        yield ProgressBar(total=1.0, show_eta=False, id="sync-progress")
        yield Static("", id="sync-result")
        yield Static("", id="sync-status", classes="explain")
        yield TeamPanel(id="team-panel")
        yield DataTable(id="conflicts", cursor_type="row")
        yield KeyLine()

    def on_mount(self) -> None:
        table = self.query_one("#conflicts", DataTable)
        table.add_column("Conflict: record", width=22, key="record")
        table.add_column("Field", width=13, key="field")
        table.add_column("Shown now", width=22, key="shown")
        table.add_column("Versions", width=8, key="versions")
        self._conflicts: list[Conflict] = []
        self.query_one(ProgressBar).display = False
        vault = self.cd_app.vault
        if vault is not None:
            self.query_one("#folder-path", Input).value = vault.settings().sync_folder
        self.refresh_state()
        self.query_one("#export-path", Input).focus()

    def refresh_state(self) -> None:
        vault = self.cd_app.vault
        if vault is None:
            return
        known = peers.list_peers(vault.conn)
        pending = service.unacknowledged(vault)
        names = ", ".join(p.coach for p in known[:4]) + (" ..." if len(known) > 4 else "")
        open_now = conflicts.count(vault)
        self.query_one("#sync-status", Static).update(
            f"{pending} change{'' if pending == 1 else 's'} no member has acknowledged yet · "
            + (f"heard from: {names}" if known else "no bundle from the team yet")
            + (f"\n{open_now} open conflict{'' if open_now == 1 else 's'}: Tab to the list, "
               "Enter shows one side by side." if open_now else "\nNo open conflicts."))
        self.query_one(TeamPanel).show(vault)
        self._conflicts = conflicts.open_conflicts(vault)
        table = self.query_one("#conflicts", DataTable)
        at = table.cursor_row
        table.clear()
        for index, conflict in enumerate(self._conflicts):
            key = str(index)
            table.add_row(self.record_label(conflict.tbl, conflict.row_id), conflict.field,
                          self.secret(describe_value(conflict.versions[0].value, 22), key),
                          str(len(conflict.versions)), key=key)
        if 0 < at < table.row_count:
            table.move_cursor(row=at)
        table.display = bool(self._conflicts)

    def redraw_names(self) -> None:
        self.refresh_state()

    def record_label(self, tbl: str, row_id: str) -> str:
        """A person's alias (initials in discreet mode), never more."""
        if tbl == participants.TABLE:
            return self.name_of(row_id, gone="(deleted participant)")
        return f"{tbl} {row_id[-6:]}"

    # ---- actions -------------------------------------------------------------------
    def _say(self, text: str, error: bool = False) -> None:
        result = self.query_one("#sync-result", Static)
        result.set_class(error, "error")
        result.update(text)

    @on(Input.Submitted, "#export-path")
    def action_export(self) -> None:
        if self._busy():
            return
        self._run_export(Path(self.query_one("#export-path", Input).value.strip() or "."))

    @on(Input.Submitted, "#import-path")
    def action_import(self) -> None:
        if self._busy():
            return
        try:
            paths = service.import_paths(self.query_one("#import-path", Input).value)
        except CoachdeskError as exc:
            self._say(f"{exc}.", error=True)
            return
        self._run_import(paths)

    @on(Input.Submitted, "#folder-path")
    def action_sync_folder(self) -> None:
        if self._busy():
            return
        text = self.query_one("#folder-path", Input).value.strip()
        if not text:
            self._say("Type the sync folder's path first.", error=True)
            return
        self._run_folder(Path(text).expanduser())

    @work(thread=True, exclusive=True, exit_on_error=False, group=commands.DB_WORKERS)
    def _run_folder(self, path: Path) -> None:
        self.app.call_from_thread(self._started, "Syncing the folder...")
        lines: list[str] = []
        try:
            done = folder.sync_once(self.vault, path, lines.append)
            settings = self.vault.settings()
            if settings.sync_folder != str(path):
                self.vault.save_settings(settings.model_copy(update={"sync_folder": str(path)}))
            lines.append(f"{len(done.written)} written, {len(done.imported)} imported, "
                         f"{done.removed} tidied away")
            self.post_message(self.Finished(lines[-4:], bool(done.refused)))
        except CoachdeskError as exc:
            self.post_message(self.Finished([f"Not synced: {exc}."], True))
        except Exception as exc:  # the vault was locked meanwhile, a full disk, ...
            self.post_message(self.Finished([f"Not synced: {type(exc).__name__}."], True))

    def action_back(self) -> None:
        if not self._busy():
            self.dismiss(None)

    def _busy(self) -> bool:
        return any(w.is_running for w in self.workers)

    def _started(self, what: str) -> None:
        self._say(what)
        bar = self.query_one(ProgressBar)
        bar.display = True
        bar.update(progress=0.0)

    @work(thread=True, exclusive=True, exit_on_error=False, group=commands.DB_WORKERS)
    def _run_export(self, dest: Path) -> None:
        self.app.call_from_thread(self._started, "Exporting...")
        try:
            result = service.export_bundle(self.vault, dest)
            self.post_message(self.Finished([result.line()], False))
        except CoachdeskError as exc:
            self.post_message(self.Finished([f"Not exported: {exc}."], True))
        except Exception as exc:  # the vault was locked meanwhile, a full disk, ...
            self.post_message(self.Finished([f"Not exported: {type(exc).__name__}."], True))

    @work(thread=True, exclusive=True, exit_on_error=False, group=commands.DB_WORKERS)
    def _run_import(self, paths: list[Path]) -> None:
        self.app.call_from_thread(self._started, f"Importing {len(paths)} file(s)...")
        lines, failed = [], False
        for index, path in enumerate(paths):
            def step(fraction: float, stage: str, index: int = index) -> None:
                self.post_message(self.Progress((index + fraction) / len(paths), stage))
            try:
                lines.append(merge.import_bundle(
                    self.vault, path, step, trust_first=self._trust_first,
                    confirm_leaving=self._confirm_leaving).line())
            except CoachdeskError as exc:
                lines.append(f"Refused: {exc}")
                failed = True
            except Exception as exc:
                lines.append(f"Stopped: {type(exc).__name__}; nothing of {path.name} was imported")
                failed = True
                break
        self.post_message(self.Finished(lines, failed))

    def _trust_first(self, team: TeamFile) -> bool:
        """Asked from the import worker: show the supervisor's fingerprint and wait for y/n."""
        return self._ask(TrustTeamQuestion(team))

    def _confirm_leaving(self, gone: list[Leaving]) -> bool:
        """Asked from the import worker: people with drafts here leave this caseload."""
        return self._ask(LeavingQuestion(gone))

    def _ask(self, question: CoachdeskModal[bool]) -> bool:
        """Show `question` from the import worker and wait for its answer (no answer
        while the vault locks: no)."""
        answered = threading.Event()
        said: list[bool] = []

        def done(answer: bool | None) -> None:
            said.append(bool(answer))
            answered.set()

        self.app.call_from_thread(self.app.push_screen, question, done)
        while not answered.wait(0.2):
            if not self.unlocked:
                return False
        return said[0]

    def on_sync_screen_progress(self, message: Progress) -> None:
        self.query_one(ProgressBar).update(progress=message.fraction)
        self._say(message.stage[:1].upper() + message.stage[1:] + "...")

    def on_sync_screen_finished(self, message: Finished) -> None:
        self.query_one(ProgressBar).update(progress=1.0)
        shown = message.lines[-4:]
        if len(message.lines) > 4:
            shown.insert(0, f"({len(message.lines) - 4} more above)")
        self._say("\n".join(shown), error=message.failed)
        if self.unlocked:
            self.refresh_state()

    @on(DataTable.RowSelected, "#conflicts")
    def _open_conflict(self, event: DataTable.RowSelected) -> None:
        conflict = self._conflicts[int(str(event.row_key.value))]
        label = self.record_label(conflict.tbl, conflict.row_id)
        self.app.push_screen(ConflictScreen(conflict, label), lambda _: self.refresh_state())
