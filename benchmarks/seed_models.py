"""The paper models side by side: throughput, evaluation time and test metrics.

Runs every script in ``benchmarks/seed_models/`` (one per model family: AMR/VBPR,
ConvNCF, KTUP, DIEN), each of which exposes ``run(data_home=None) -> list[dict]``, and
prints one markdown table per family (the README's "paper models" tables).

Usage:
    python benchmarks/seed_models.py [amr convncf ktup dien]
"""

from __future__ import annotations

import importlib.util
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

#: Folder of the per-model benchmark scripts.
MODEL_SCRIPTS = Path(__file__).resolve().parent / "seed_models"


def load_script(name: str):
    """Import ``benchmarks/seed_models/<name>.py`` as a module."""
    path = MODEL_SCRIPTS / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"seed_model_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def markdown_table(rows: list[dict]) -> str:
    """Render rows (dicts, possibly with different keys) as one markdown table."""
    columns: list[str] = []
    for row in rows:
        columns.extend(key for key in row if key not in columns)

    def cell(value) -> str:
        if isinstance(value, float):
            return f"{value:,.4f}" if abs(value) < 10 else f"{value:,.1f}"
        return "" if value is None else str(value)

    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(row.get(c)) for c in columns) + " |" for row in rows]
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    """Run the chosen model scripts (all by default) and print the table."""
    names = argv or sorted(p.stem for p in MODEL_SCRIPTS.glob("*.py") if not p.stem.startswith("_"))
    print(f"# {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores")
    for name in names:
        start = time.perf_counter()
        rows = load_script(name).run()
        print(f"\n### {name} ({time.perf_counter() - start:.0f} s)\n", flush=True)
        print(markdown_table(rows), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
