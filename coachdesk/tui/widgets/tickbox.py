"""A checkbox whose state shows as a mark, not only as a colour."""

from textual.widgets import Checkbox


class TickBox(Checkbox):
    # Textual declares BUTTON_INNER a class constant; a property draws the state instead.
    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # noqa: N802
        return "✓" if self.value else " "
