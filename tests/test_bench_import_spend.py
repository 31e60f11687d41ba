"""bench/import_spend.py runs from a clean clone and prints its JSON line (small, SQLite only:
the full-size run is in docs/performance.md)."""

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

pytest.importorskip("duckdb")
BENCH = Path(__file__).resolve().parent.parent / "bench" / "import_spend.py"


def test_the_benchmark_prints_one_json_line_with_both_times():
    done = subprocess.run(
        [sys.executable, str(BENCH), "--lines", "300", "--databases", "sqlite"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1
    result = json.loads(lines[0])
    assert result["lines"] == 300 and result["duckdb_seconds"] > 0
    sqlite = result["sqlite"]
    assert sqlite["lines"] == 300
    # The import and DuckDB summed the same file to the same penny.
    assert sqlite["total_matches_duckdb"] is True
    assert Decimal(sqlite["total"]) == Decimal(result["duckdb_total"])
    assert abs(sqlite["ratio_to_duckdb"] - sqlite["seconds"] / result["duckdb_seconds"]) < 0.2
    assert sqlite["peak_mb"] > 0
