"""A normal (non-editable) install carries every shipped file: the wheel is built and read."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _tree_packages() -> set[str]:
    found = {".".join(p.parent.relative_to(ROOT).parts)
             for p in (ROOT / "coachdesk").rglob("__init__.py") if "__pycache__" not in p.parts}
    return found | {"coachdesk.assets"}


def test_pyproject_names_every_package_and_maps_assets() -> None:
    setup = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]
    assert set(setup["packages"]) == _tree_packages()
    assert setup["package-dir"]["coachdesk.assets"] == "assets"


def test_the_wheel_holds_every_asset_migration_and_stylesheet(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir",
         str(tmp_path), str(ROOT)], capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr[-2000:]
    [wheel] = tmp_path.glob("coachdesk-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    wanted = {f"coachdesk/assets/{p.relative_to(ROOT / 'assets').as_posix()}"
              for p in (ROOT / "assets").rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    wanted |= {p.relative_to(ROOT).as_posix() for pattern in ("*.py", "*.sql", "*.tcss")
               for p in (ROOT / "coachdesk").rglob(pattern) if "__pycache__" not in p.parts}
    assert any(n.startswith("coachdesk/assets/protocols/") for n in wanted)
    assert wanted - names == set()
    assert not [n for n in names if n.endswith(".pyc")]
