"""coachdesk benchmarks: every figure next to a baseline measured in the same run.

    python -m bench.run [--scale 1.0] [--vault DIR] [--runs 40]

Builds the synthetic vault (bench/make_vault.py) unless --vault names one, then prints a
table. Baselines: a bare Textual app with one Input; raw SQLCipher.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.make_vault import build
from bench.stats import table

ROOT = Path(__file__).resolve().parent.parent


def _python(*args: str) -> str:
    return subprocess.run([sys.executable, *args], cwd=ROOT, check=True, capture_output=True,
                          text=True, timeout=900).stdout


def cold_start(vault: Path, runs: int) -> tuple[float, float]:
    ours, bare = [], []
    for _ in range(runs):
        bare.append(float(_python("bench/cold_start.py", "bare").split()[0]))
        ours.append(float(_python("bench/cold_start.py", "coachdesk", str(vault)).split()[0]))
    return statistics.median(ours), statistics.median(bare)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def run(vault: Path, runs: int) -> str:
    rows = []
    ours, bare = cold_start(vault, max(3, runs // 8))
    rows.append(("cold start to unlock input", ms(ours), ms(bare), f"{ours / bare:.2f}x", "<= 1.3x"))
    ui = json.loads(_python("-m", "bench.ui", str(vault), "--runs", str(runs)))
    key = ui["bare_keystroke"]["p95"]
    rows.append(("vault open (KDF, by design)", ms(ui["vault_open_with_kdf"]["median"]), "", "", ""))
    for name, label, target in (("unlock_to_roster", "unlock to roster drawn p95", "(KDF)*"),
                                ("unlock_after_key", "  of it after the key p95", "<= 50 ms"),
                                ("roster_keystroke", "roster search keystroke p95", "<= 50 ms"),
                                ("open_participant", "open a participant p95", "<= 50 ms"),
                                ("open_note", "open a note p95", "<= 50 ms"),
                                ("fts_search", "FTS search p95 (store)", "<= 50 ms"),
                                ("editor_keystroke", "5,000-word note keystroke p95", "<= 16 ms")):
        if ui[name]["n"]:
            p95 = ui[name]["p95"]
            rows.append((label, ms(p95), ms(key) + " (key)", f"{p95 / key:.1f}x", target))
    rows.append(("peak RSS, big vault in the TUI", f"{ui['peak_rss_mb']:.0f} MB", "", "", "<= 150 MB"))
    sync = json.loads(_python("-m", "bench.sync_figures", str(vault)))
    raw = sync["raw_sqlcipher_export"]
    for name, label in (("full_export", "full bundle export"), ("full_import", "full bundle import")):
        rows.append((label, ms(sync[name]), ms(raw) + " (raw)", f"{sync[name] / raw:.2f}x", "<= 1.5x"))
    inc = sync["incremental_100_export"] + sync["incremental_100_import"]
    rows.append(("100 changes: export + import", ms(inc), "", "", "<= 500 ms"))
    days = sorted(json.loads(_python("-m", "bench.folder_day"))["hub_day_pass"] for _ in range(3))
    rows.append(("hub: a day of 15 coaches' bundles", ms(days[1]),
                 f"{ms(days[0])}-{ms(days[-1])} (3 runs)", "", "<= 2000 ms"))
    return table(rows) + (
        "\n* includes the deliberate KDF (PBKDF2-HMAC-SHA512, 256,000 iterations) of the key"
        " slot;\n  'after the key' is the rest: what the app spends once the vault is open."
        "\n  Key = a keystroke in a bare Textual app.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="coachdesk benchmarks")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--vault", type=Path, help="an existing bench vault (skip building)")
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="coachdesk-bench-") as tmp:
        vault = args.vault or build(Path(tmp) / "vault", args.scale,
                                    report=lambda line: print(line, file=sys.stderr))
        print(run(vault, args.runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
