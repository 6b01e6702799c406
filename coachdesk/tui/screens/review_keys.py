"""The review keys, shared by the screens that act on one note (Review, Feedback, the
note's thread): a supervisor's r reviewed, f needs follow-up (asks what), c comment,
x closes the follow-up; a coach's a answers. A screen lists the keys it offers in its
own BINDINGS (`bindings(...)`) and says which note they act on (`target_note`).
Keys of the other role are hidden (check_action); a refusal is one line, nothing written.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.binding import Binding

from coachdesk.errors import CoachdeskError
from coachdesk.sync import reviews
from coachdesk.tui.screens.base import CoachdeskScreen
from coachdesk.tui.screens.review_prompt import ReviewPrompt

SUPERVISOR_ACTIONS = frozenset({"reviewed", "follow_up", "comment", "close_follow_up"})
COACH_ACTIONS = frozenset({"answer"})

_KEYS = {
    "reviewed": ("r", "Reviewed", "Mark the note reviewed (nothing to add)"),
    "follow_up": ("f", "Follow-up", "Needs follow-up: say what (the coach's item)"),
    "comment": ("c", "Comment", "Add a comment under the note"),
    "close_follow_up": ("x", "Close", "Close the note's follow-up (it is done)"),
    "answer": ("a", "Answer", "Answer your supervisor under the note"),
}


IN_KEY_LINE = frozenset({"comment"})
"""Keys a supervisor's footer leaves out (the panic key's label must fit in 80 columns):
the screen's key line names them (KEY_LINE)."""
KEY_LINE = "[dim]c comment · Esc back[/dim]"


def bindings(prefix: str, *actions: str) -> list[Binding]:
    """The review keys `actions` of a screen (ids `prefix.action`)."""
    return [Binding(_KEYS[a][0], a, _KEYS[a][1], id=f"{prefix}.{a}", tooltip=_KEYS[a][2],
                    show=a not in IN_KEY_LINE) for a in actions]


class ReviewKeysScreen(CoachdeskScreen[None]):
    """A screen with the review keys acting on `target_note()`."""

    def __init__(self) -> None:
        super().__init__()
        self.supervisor = False

    def know_role(self) -> None:
        """On mount (each screen calls it: Textual runs every class's on_mount)."""
        self.supervisor = reviews.is_supervisor(self.vault)
        self.refresh_bindings()

    def target_note(self) -> str | None:
        raise NotImplementedError

    def after_review(self) -> None:
        """A review, comment or answer was written: show it."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in SUPERVISOR_ACTIONS:
            return self.supervisor
        if action in COACH_ACTIONS:
            return not self.supervisor
        return True

    def _write(self, act: Callable[[str], str], said: str) -> None:
        note_id = self.target_note()
        if note_id is None or not self.unlocked:
            return
        try:
            act(note_id)
        except CoachdeskError as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify(said)
        self.after_review()

    def _ask(self, question: str, write: Callable[[str, str], str], said: str) -> None:
        note_id = self.target_note()
        if note_id is None:
            return

        def done(written: str | None) -> None:
            if written and self.unlocked:
                self.notify(said)
                self.after_review()

        self.app.push_screen(ReviewPrompt(question, lambda text: write(note_id, text)),
                             callback=done)

    def action_reviewed(self) -> None:
        self._write(lambda n: reviews.mark(self.vault, n, "reviewed"), "Marked reviewed.")

    def action_follow_up(self) -> None:
        self._ask("What needs follow-up? (the coach sees it as an item)",
                  lambda n, t: reviews.mark(self.vault, n, "follow_up", t),
                  "Follow-up asked: it goes to the coach with the next bundle.")

    def action_comment(self) -> None:
        self._ask("Comment under the note",
                  lambda n, t: reviews.comment(self.vault, n, t), "Comment added.")

    def action_close_follow_up(self) -> None:
        self._write(lambda n: reviews.close(self.vault, n), "Follow-up closed.")

    def action_answer(self) -> None:
        self._ask("Your answer to your supervisor",
                  lambda n, t: reviews.comment(self.vault, n, t),
                  "Answer added: it goes to your supervisor with the next bundle.")
