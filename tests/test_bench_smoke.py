"""A tiny run of bench/ so the scripts never rot (no timing is asserted)."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_bench_runs_end_to_end_on_a_tiny_vault(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bench.run", "--scale", "0.002", "--runs", "3", "--processes", "2",
         "--results", str(tmp_path / "results")],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "cold start to unlock input" in result.stdout
    assert "peak RSS" in result.stdout
    assert "median of 2 processes' p95" in result.stdout
    (saved,) = (tmp_path / "results").glob("*-scale0.002.json")
    record = json.loads(saved.read_text())
    assert record["machine"]["cores"] and len(record["machine"]["load_avg_1_5_15"]) == 3
    assert len(record["ui_p95_s"]["roster_keystroke"]) == 2 and record["table"] in result.stdout
