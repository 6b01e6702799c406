"""bench/make_vault.py at a tiny scale: the vault opens, passes the app's own checks and
holds what the scale asks for; its 100 changes travel both ways (bench/sync_figures.py)."""

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.make_vault import FULL, PASSPHRASE, build
from coachdesk.store.vault import Vault

ROOT = Path(__file__).resolve().parent.parent
SCALE = 0.005


@pytest.fixture(scope="module")
def bench_vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("bench") / "vault", SCALE, report=lambda line: None)


def test_a_tiny_bench_vault_opens_clean_with_the_counts_of_its_scale(bench_vault: Path) -> None:
    vault = Vault.open(bench_vault, PASSPHRASE)
    try:
        assert vault.check() == []

        def count(sql: str) -> int:
            return int(vault.conn.execute(sql).fetchone()[0])

        assert count("SELECT count(*) FROM participant") == int(FULL["participants"] * SCALE)
        assert count("SELECT count(*) FROM note WHERE status = 'final'") == int(
            FULL["notes"] * SCALE)
        assert count("SELECT count(*) FROM search_text WHERE kind = 'note'") == int(
            FULL["notes"] * SCALE)
        assert count("SELECT count(DISTINCT participant_id) FROM plan_revision") >= 1
        assert count("SELECT count(*) FROM action_item") == int(FULL["actions"] * SCALE)
        assert count("SELECT count(*) FROM crisis_event") == int(FULL["crisis"] * SCALE)
        assert count("SELECT count(*) FROM checkin_schedule") == int(FULL["followups"] * SCALE)
        # Notes spread over the last 900 days at any scale, the newest of them recent.
        first, last = vault.conn.execute(
            "SELECT min(occurred_at), max(occurred_at) FROM note").fetchone()
        today = dt.date.today()
        assert 899 <= (today - _day(first)).days <= 900 and (today - _day(last)).days <= 4
    finally:
        vault.close()


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text[:10])


def test_the_100_changes_travel_without_a_full_bundle(bench_vault: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bench.sync_figures", str(bench_vault), "--skip-full-bundle"],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    figures = json.loads(result.stdout)
    assert set(figures) == {"incremental_100_export", "incremental_100_import"}
