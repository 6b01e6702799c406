"""coachdesk laid out as a wheel installs it (coachdesk/assets/ inside the package), with
shipped files missing or damaged: one `error:` line, nothing half-made, never a traceback."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.test_cli import assert_user_error
from tests.conftest import cli_env

ROOT = Path(__file__).resolve().parents[2]
SKIP = shutil.ignore_patterns("__pycache__")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(ROOT / "coachdesk", site / "coachdesk", ignore=SKIP)
    shutil.copytree(ROOT / "assets", site / "coachdesk" / "assets", ignore=SKIP)
    return site


# Only the copy: the editable install's finder (which maps coachdesk.assets to the
# checkout's assets/) is taken out, as a wheel install has none.
AS_INSTALLED = ("import sys; sys.meta_path[:] = [f for f in sys.meta_path "
                "if '__editable__' not in getattr(f, '__module__', '')]; ")


def run_installed(site: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    code = AS_INSTALLED + "from coachdesk.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *args], env=cli_env(home, PYTHONPATH=str(site)),
                          cwd=site, capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          timeout=60)


def test_the_copy_reads_its_own_assets(site: Path, tmp_path: Path) -> None:
    code = AS_INSTALLED + "from coachdesk import shipped; print(shipped.root())"
    shown = subprocess.run([sys.executable, "-c", code], env=cli_env(tmp_path, PYTHONPATH=str(site)),
                           cwd=site, capture_output=True, text=True, timeout=60)
    assert shown.stdout.strip() == str(site / "coachdesk" / "assets")


@pytest.mark.parametrize(("damage", "message"), [
    ("missing", "assets/demo/participants.json is missing: reinstall coachdesk"),
    ("latin-1", "assets/demo/participants.json is damaged (not UTF-8 text)"),
    ("no assets", "coachdesk's shipped files are missing: reinstall coachdesk"),
])
def test_demo_with_a_damaged_install_is_one_line_and_leaves_nothing(
        site: Path, tmp_path: Path, damage: str, message: str) -> None:
    assets = site / "coachdesk" / "assets"
    people = assets / "demo" / "participants.json"
    if damage == "missing":
        people.unlink()
    elif damage == "latin-1":
        people.write_bytes(b'[{"alias": "Ren\xe9"}]')
    else:
        shutil.rmtree(assets)
    home = tmp_path / "home"
    result = run_installed(site, home, "demo")
    assert_user_error(result, message)
    assert [p.name for p in home.iterdir()] == []
