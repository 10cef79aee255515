"""The paper models side by side: throughput, evaluation time and test metrics.

Runs every script in ``benchmarks/seed_models/`` (one per model family: AMR/VBPR,
ConvNCF, KTUP, DIEN), each of which exposes ``run(data_home=None) -> list[dict]`` and
trains through ``run_experiment`` (the path of ``python -m openrec2 train``), and prints
one markdown table per family (the README's "paper models" tables). When the ML-100K
families ran, it ends with one table of every ML-100K model on the same per-user 8:1:1
split (BPR, ConvNCF, KTUP, VBPR, AMR, most-popular): NDCG@10 and Recall@10.

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


def ml100k_table(results: dict) -> str:
    """One row per ML-100K model of the families that ran, on their shared split.

    Args:
        results: ``{model name: ExperimentResult}``.

    Returns:
        The markdown table (most-popular last).
    """
    order = [name for name in ("BPR", "ConvNCF", "KTUP", "VBPR", "AMR") if name in results]
    rows = [dict(model=name, **{key: results[name].results["test"][key] for key in ("NDCG@10", "Recall@10")},
                 epochs=f"{results[name].epochs_run:.0f}") for name in order]
    popular = results[order[0]].baseline["test"]
    rows.append(dict(model="MostPopular", **{key: popular[key] for key in ("NDCG@10", "Recall@10")}))
    return markdown_table(rows)


def main(argv: list[str]) -> None:
    """Run the chosen model scripts (all by default) and print the tables."""
    names = argv or sorted(p.stem for p in MODEL_SCRIPTS.glob("*.py") if not p.stem.startswith("_"))
    print(f"# {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores")
    ml100k = {}
    for name in names:
        start = time.perf_counter()
        script = load_script(name)
        rows = script.run()
        ml100k.update(getattr(script.run, "results", {}))
        print(f"\n### {name} ({time.perf_counter() - start:.0f} s)\n", flush=True)
        print(markdown_table(rows), flush=True)
    if ml100k:
        print("\n### ML-100K, one per-user 8:1:1 split (test, train and validation items excluded)\n")
        print(ml100k_table(ml100k), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
