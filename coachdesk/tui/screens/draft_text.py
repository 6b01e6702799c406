"""The part every editor screen shares whose text is kept as a local draft while it is
typed (the note body, the plan, an addendum): the autosave (tui/autosave.py) saves it on
its ticks, when a screen opens over it and on `flush` (lock, quit); its timer stops when
the screen goes. Text loaded on mount is not a change."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coachdesk.tui.autosave import AutosaveThrottle, attempt
from coachdesk.tui.screens.base import CoachdeskScreen, ResultT

if TYPE_CHECKING:
    from coachdesk.store.vault import Vault


class DraftTextScreen(CoachdeskScreen[ResultT]):
    """Subclasses say how the draft is kept (`_save_draft`) and show the line that says
    why it is not (`_say_draft`)."""

    def __init__(self, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        # Screen's own arguments, passed on: a modal editor has ModalScreen before this
        # class, and ModalScreen passes them by name.
        super().__init__(name=name, id=id, classes=classes)
        self._loading = True  # until the text loaded on mount has settled
        self._dirty = False  # typed since the draft was last kept
        self._draft_error = False  # the draft line says the draft is not kept
        self.autosave = AutosaveThrottle(self, self._write)

    def _loaded(self) -> None:
        self._loading = False

    def on_text_area_changed(self) -> None:
        if not self._loading:
            self._dirty = True
            self.autosave.changed()

    def flush(self) -> bool:
        """Keep the text as a draft now (lock, quit, a screen over this one). True if kept;
        if not, the problem is shown and the save is tried again on the next tick."""
        return self.autosave.flush()

    def _write(self) -> bool:
        """The autosave's save: False while locked or once the screen is gone."""
        vault = self.cd_app.vault
        if vault is None or not self.is_mounted:
            return False
        if not self._dirty:
            return True
        problem = attempt(lambda: self._save_draft(vault))
        if problem is not None:
            self._say_draft(f"Not saved: {problem}", error=True)
            return False
        self._dirty = False
        if self._draft_error:
            self._say_draft("")
        return True

    def _save_draft(self, vault: Vault) -> None:
        raise NotImplementedError

    def _say_draft(self, text: str, error: bool = False) -> None:
        """Show `text` on the draft's line (an error: the draft is not kept)."""
        raise NotImplementedError

    def on_screen_suspend(self) -> None:
        self.flush()

    def on_unmount(self) -> None:
        self.autosave.cancel()
