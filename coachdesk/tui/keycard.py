"""The printable key card (docs/keycard.html), generated from the command definitions and
every screen's bindings, so it never goes stale: `python -m coachdesk.tui.keycard`.

tests/tui/test_keycard.py checks that docs/keycard.html is exactly this page. One sheet,
US Letter or A4, in columns; a plain page with no script and nothing fetched.
"""

from __future__ import annotations

from html import escape

from coachdesk.tui import commands, keytable

_CSS = """
@page { margin: 10mm; }
body { font: 7.5pt/1.2 system-ui, sans-serif; color: #000; margin: 0; }
h1 { font-size: 13pt; margin: 0 0 1mm; }
p.lead { margin: 0 0 2mm; }
.cols { column-count: 3; column-gap: 5mm; }
section { break-inside: avoid; margin: 0 0 2mm; }
h2 { font-size: 8.5pt; margin: 0 0 0.5mm; border-bottom: 0.5pt solid #000; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0 2mm; margin: 0; }
dt { font-family: ui-monospace, monospace; font-weight: bold; white-space: nowrap; }
dd { margin: 0; }
@media screen { body { max-width: 60rem; margin: 1rem auto; font-size: 11pt; } }
"""

_EVERYWHERE_SKIP = {("Esc", "Back")}
"""On nearly every screen; the card says it once at the top instead."""


def _keys(pairs: list[tuple[str, str]]) -> list[str]:
    return [f"<dt>{escape(keys)}</dt><dd>{escape(what)}</dd>" for keys, what in pairs]


def _section(title: str, pairs: list[tuple[str, str]]) -> list[str]:
    return [f"<section><h2>{escape(title)}</h2><dl>", *_keys(pairs), "</dl></section>"]


def html() -> str:
    everywhere = [(keytable.command_keys(c), c.help) for c in commands.GLOBAL]
    body = ["<!doctype html>", '<html lang="en"><head><meta charset="utf-8">',
            "<title>coachdesk keys</title>", f"<style>{_CSS}</style></head><body>",
            "<h1>coachdesk keys</h1>",
            '<p class="lead">Esc goes back on every screen. F1 (or ?) shows the keys of the '
            "screen you are on; Ctrl+P finds any command by name. A terminal that takes the "
            "F-keys for itself: Ctrl+G, then the letter after the dot (F8 · Ctrl+G o).</p>",
            '<div class="cols">', *_section("Everywhere", everywhere)]
    for title, pairs in keytable.screen_entries():
        shown = [pair for pair in pairs if pair not in _EVERYWHERE_SKIP]
        if shown:
            body += _section(title, shown)
    body += ["</div>", "</body></html>", ""]
    return "\n".join(body)


if __name__ == "__main__":
    print(html(), end="")
