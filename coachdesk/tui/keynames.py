"""Keys as a person reads them, the same in the help, the palette, the README and the key
card: "Ctrl+L", "F1", "?", "[", "Esc", "Enter" (never Textual's "left_square_bracket")."""

from __future__ import annotations

from textual.keys import format_key

WORDS = {"escape": "Esc", "enter": "Enter", "tab": "Tab", "backspace": "Backspace",
         "space": "Space", "delete": "Del", "insert": "Ins", "home": "Home", "end": "End",
         "pageup": "PgUp", "pagedown": "PgDn", "up": "Up", "down": "Down", "left": "Left",
         "right": "Right"}
MODIFIERS = {"ctrl": "Ctrl", "shift": "Shift", "alt": "Alt", "meta": "Meta", "super": "Super"}


def key_name(key: str) -> str:
    """One key: "ctrl+l" -> "Ctrl+L", "f1" -> "F1", "left_square_bracket" -> "["."""
    *modifiers, base = key.split("+") if key != "+" else [key]
    if base in WORDS:
        name = WORDS[base]
    elif len(base) > 1 and base[0] == "f" and base[1:].isdigit():
        name = base.upper()
    else:
        name = format_key(base)
        if len(name) > 1:
            name = name.capitalize()
    if modifiers and len(name) == 1:
        name = name.upper()
    return "".join(f"{MODIFIERS.get(m, m.capitalize())}+" for m in modifiers) + name


def keys_of(binding_key: str) -> str:
    """A binding's keys (comma separated): "f1,question_mark" -> "F1 / ?"."""
    return " / ".join(key_name(key.strip()) for key in binding_key.split(","))
