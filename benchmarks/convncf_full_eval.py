"""ConvNCF full-ranking evaluation cost: seconds and peak memory on ML-100K and ML-1M.

Every (test user, item) pair goes through the CNN inside the graph, in bounded blocks.
The weights do not change the cost, so the model is evaluated as initialised (no
training); the point is that the full evaluation finishes and how much time and memory
it takes (RecBole's ConvNCF gives up on sets of this size).

Usage:
    python benchmarks/convncf_full_eval.py [ml-100k ml-1m]
"""

from __future__ import annotations

import os
import resource
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from openrec2.datasets import load_ml100k, load_ml1m_ratings3  # noqa: E402
from openrec2.recommenders import ConvNCF  # noqa: E402
from openrec2.utils.evaluators import NDCG, evaluate_with_scorer  # noqa: E402
from openrec2.utils.samplers import EvaluationSampler  # noqa: E402

LOADERS = {"ml-100k": lambda: load_ml100k(), "ml-1m": lambda: load_ml1m_ratings3(split="given")}


def measure(name: str) -> dict:
    """Build ConvNCF for a dataset and time one full evaluation of its test users."""
    split = LOADERS[name]()
    excluded = [split.train] + ([split.validation] if split.validation is not None else [])
    sampler = EvaluationSampler(split.test, 256, excluded_datasets=excluded)
    with ConvNCF(batch_size=512, max_user=split.max_user, max_item=split.max_item, seed=0) as model:
        start = time.perf_counter()
        results = evaluate_with_scorer(model.serve, sampler, [NDCG(10)])
        seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"dataset": name, "users": results.num_evaluated, "items": split.max_item,
            "pairs scored": results.num_evaluated * split.max_item, "seconds": seconds,
            "peak RSS MB (process)": peak_mb}


def main(names: list[str]) -> None:
    """Print one markdown row per dataset."""
    print("| dataset | test users | items | pairs through the CNN | seconds | peak RSS (MB) |")
    print("|---|---|---|---|---|---|")
    for name in names or list(LOADERS):
        row = measure(name)
        print(f"| {row['dataset']} | {row['users']:,} | {row['items']:,} | {row['pairs scored']:,} | "
              f"{row['seconds']:.1f} | {row['peak RSS MB (process)']:.0f} |", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
