"""Fill the screen pictures in docs/guide.md from the real app: `python docs/captures.py`.

Each `<!-- screen: NAME -->` ... `<!-- /screen -->` block gets what an 80x24 terminal
shows after the keys below, typed into the demo (a fresh one, in a temporary folder).
It needs tmux and the workplace's `look` tool (../shared/tools/look).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

DOCS = Path(__file__).resolve().parent
LOOK = next((p / "shared" / "tools" / "look" for p in DOCS.parents
             if (p / "shared" / "tools" / "look").exists()), Path("look"))
DOWN5 = ["Down"] * 5

SCREENS: dict[str, tuple[bool, list[str]]] = {
    # name: (on the demo?, keys)
    "setup": (False, []),
    "roster": (True, ["demo", "Enter"]),
    "note": (True, ["demo", "Enter", *DOWN5, "Down", "C-o"]),  # Marcus: his unfinished note
    "crisis": (True, ["demo", "Enter", "C-r"]),
    "actions": (True, ["demo", "Enter", "F3"]),
    "sync": (True, ["demo", "Enter", "F4"]),
}


def capture(home: Path, demo: bool, keys: list[str]) -> str:
    coachdesk = shutil.which("coachdesk") or str(Path(sys.executable).with_name("coachdesk"))
    command = ["env", f"COACHDESK_HOME={home}", coachdesk, *(["demo"] if demo else [])]
    args = [str(LOOK), "-w", "8"]
    for key in keys:
        args += ["-k", key]
    shown = subprocess.run([*args, "--", *command], capture_output=True, text=True,
                           check=True, timeout=180).stdout
    lines = [line[1:] for line in shown.splitlines() if line.startswith("|")][:24]
    return "\n".join(line.rstrip() for line in lines)


def main() -> None:
    guide = DOCS / "guide.md"
    text = guide.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        for name, (demo, keys) in SCREENS.items():
            home = Path(tmp) / ("demo-home" if demo else f"empty-{name}")
            screen = capture(home, demo, keys)
            block = f"<!-- screen: {name} -->\n```\n{screen}\n```\n<!-- /screen -->"
            text, found = re.subn(rf"<!-- screen: {name} -->.*?<!-- /screen -->",
                                  lambda _m, b=block: b, text, flags=re.S)
            print(f"{name}: {'filled' if found else 'no block in the guide'}")
    guide.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
