"""Tests of benchmarks/model_throughput.py: one quick model measured in process, and the table."""

from pathlib import Path

import pytest
from benchmark_scripts import BENCHMARKS, load_script


@pytest.fixture(scope="module")
def benchmark():
    """The benchmark script, imported as a module."""
    return load_script("model_throughput_benchmark", BENCHMARKS / "model_throughput.py")


def test_measure_bpr_reports_positive_examples_per_second(benchmark):
    result = benchmark.measure("BPR", dataset="synthetic", warmup=2, seconds=0.2, iterations=5, repeats=2)
    assert result["model"] == "BPR" and result["dataset"] == "synthetic"
    assert result["batch_size"] == 1024  # the registered default, as the command line trains it
    assert result["share"] == {"default": 1}
    assert len(result["repeats"]) == 2
    for run in result["repeats"]:
        part = run["objectives"]["default"]
        assert part["iterations"] >= 5 and part["seconds"] >= 0.2
        assert part["rows"] == part["iterations"] * 1024
        assert part["examples_per_second"] == pytest.approx(part["rows"] / part["seconds"])
        assert run["examples_per_second"] == pytest.approx(part["examples_per_second"])
    assert result["examples_per_second"] > 0


def test_default_datasets_follow_the_kind_of_data(benchmark):
    from openrec2.experiments.model_registry import get_model_spec
    chosen = {name: benchmark.default_dataset(get_model_spec(name))
              for name in ("BPR", "VBPR", "CDL", "UserVisualPMF", "DIEN", "KTUP", "RNNRec", "YouTubeRec", "DLRM")}
    assert chosen == {"BPR": "ml-100k", "VBPR": "citeulike-a", "CDL": "citeulike-a", "UserVisualPMF": "ml-100k",
                      "DIEN": "amazon-beauty", "KTUP": "ml-100k", "RNNRec": "ml-100k", "YouTubeRec": "ml-100k",
                      "DLRM": "ml-100k"}


def test_table_shows_speed_up_and_errors(benchmark):
    rows = [{"model": "BPR", "dataset": "ml-100k", "batch_size": 1024,
             "before": {"examples_per_second": 100_000.0}, "after": {"examples_per_second": 250_000.0}},
            {"model": "DIEN", "dataset": "amazon-beauty", "batch_size": 1024,
             "before": {"error": "ImportError: no | module"}, "after": {"examples_per_second": 9_000.0}}]
    lines = benchmark.markdown_table(rows).splitlines()
    assert lines[2] == "| BPR | ml-100k | 1024 | 100,000 | 250,000 | 2.50x |"
    assert lines[3] == "| DIEN | amazon-beauty | 1024 | error: ImportError: no / module | 9,000 | - |"


def test_bad_options_are_refused(benchmark, capsys):
    with pytest.raises(SystemExit):
        benchmark.parse_args(["--repeats", "0"])
    with pytest.raises(SystemExit):
        benchmark.parse_args(["--dataset", "BPR"])
    assert "MODEL=DATASET" in capsys.readouterr().err


def test_a_failing_checkout_is_shown_and_the_other_is_measured(benchmark, tmp_path, monkeypatch):
    broken = tmp_path / "broken"
    (broken / "openrec2").mkdir(parents=True)
    (broken / "openrec2" / "__init__.py").write_text("raise ImportError('this checkout is broken')\n")
    monkeypatch.setenv("OPENREC2_DATA", str(tmp_path))  # the synthetic dataset needs no files
    args = benchmark.parse_args(["--warmup", "1", "--seconds", "0.1", "--iterations", "3", "--repeats", "2",
                                 "--dataset", "BPR=synthetic"])
    row = benchmark.compare_model("BPR", {"before": broken, "after": benchmark.REPO}, args)
    assert row["before"]["error"] == "ImportError: this checkout is broken"
    assert row["dataset"] == "synthetic" and row["batch_size"] == 1024
    after = row["after"]
    assert len(after["repeats"]) == 2 and after["examples_per_second"] > 0
    assert Path(after["checkout"]) == benchmark.REPO
    assert "error: ImportError" in benchmark.markdown_table([row])


def test_a_single_objective_runs_each_chunk_in_one_trainer_call(benchmark, monkeypatch):
    bench = benchmark.ModelThroughput("BPR", "synthetic")
    calls = []
    original = bench.trainer.train
    monkeypatch.setattr(bench.trainer, "train", lambda **kw: calls.append(kw) or original(**kw))
    try:
        assert bench.phases == {"default": (0, None)}
        assert bench._chunk("default", 7)[:2] == (7, 7 * 1024)
    finally:
        bench.close()
    assert [(call["start_iter"], call["total_iter"]) for call in calls] == [(0, 7)]
