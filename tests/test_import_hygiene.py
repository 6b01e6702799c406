"""The core never imports Textual (checked in a fresh interpreter).

Every module of the package outside `coachdesk.tui` is found by walking the package, so
a new module is checked without being listed here. The layers themselves are stated in
pyproject.toml ([tool.importlinter]) and checked by `lint-imports` in CI."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import coachdesk

NOT_CORE = ("coachdesk.tui", "coachdesk.__main__")
"""The TUI, and `python -m coachdesk` (importing it runs the app)."""

PROBE = """
import importlib, sys
for name in sys.argv[1:]:
    importlib.import_module(name)
    if "textual" in sys.modules:
        print(name)
        sys.exit(1)
"""


def core_modules() -> list[str]:
    found = [m.name for m in pkgutil.walk_packages(coachdesk.__path__, "coachdesk.")]
    return sorted(["coachdesk"] + [n for n in found if not n.startswith(NOT_CORE)])


def test_the_walk_finds_the_core_and_leaves_out_the_tui() -> None:
    modules = core_modules()
    for expected in ("coachdesk.cli", "coachdesk.store.oplog", "coachdesk.store.migrations",
                     "coachdesk.sync.merge", "coachdesk.demo", "coachdesk.demo.notes",
                     "coachdesk.export.report", "coachdesk.protocols.engine",
                     "coachdesk.models.plan_text", "coachdesk.registry"):
        assert expected in modules
    assert not [m for m in modules if m.startswith("coachdesk.tui")]
    assert len(modules) > 60


def test_core_does_not_import_textual() -> None:
    """Imported one after another in one fresh interpreter: the first module after whose
    import Textual is loaded is the one that brought it in (its name is printed)."""
    done = subprocess.run([sys.executable, "-c", PROBE, *core_modules()],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"imports textual: {done.stdout.strip()} {done.stderr[-2000:]}"
