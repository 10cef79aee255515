"""Tests of benchmarks/scale_epoch.py: one small epoch measured in process."""

import pytest
from benchmark_scripts import BENCHMARKS, load_script


@pytest.fixture(scope="module")
def benchmark():
    """The benchmark script, imported as a module (it imports benchmarks/dataset_scale.py)."""
    return load_script("scale_epoch_benchmark", BENCHMARKS / "scale_epoch.py")


def test_an_epoch_over_generated_rows_reports_its_figures(benchmark, tmp_path):
    from dataset_scale import generate
    path = str(tmp_path / "rows.npy")
    assert generate(path, interactions=20_000, users=500, items=400, seed=0) == {"rows": 20_000}
    result = benchmark.run_epoch(path, users=500, items=400, dim=8, batch=256, warmup=2, epochs=1)
    assert 0 < result["positives"] < 20_000  # the power-law rows repeat some pairs; repeats count once
    assert abs(result["batches_per_epoch"] * 256 - result["positives"]) < 256  # one pass over the positives
    assert result["triples_per_second"] == pytest.approx(result["batches_per_epoch"] * 256
                                                         / result["epoch_seconds"])
    assert result["peak_rss_gb"] > 0 and result["build_seconds"] >= 0 and result["sampler_seconds"] >= 0
    assert result["sampling_epoch_seconds"] > 0
