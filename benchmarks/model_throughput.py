"""Training examples per second of every registered model, in two checkouts side by side.

What it measures: for each model of the registry (``python -m openrec2 list``), on the
dataset its kind of data calls for (:func:`default_dataset`), the model and its training
sampler(s) are built by :mod:`openrec2.experiments` exactly as ``python -m openrec2 train
--model M --dataset D`` builds them (the model's registered defaults, batch size
included); a model the command line pretrains first (ConvNCF from BPR, ItrMLP from PMF)
starts from a one-epoch pretraining, since the values of the starting embeddings do not
change the cost of a step. Then :class:`openrec2.ModelTrainer` trains it with no
evaluation: ``W`` warm-up iterations per objective, then each repeat times, for every
objective of the model's schedule, chunks of iterations until at least ``S`` seconds and
``N`` iterations have run. The time is the trainer's own training time (the sampler's
``next_batch`` plus ``model.train(batch, objective)``, sampling included; the per-call
set-up of ``ModelTrainer.train`` is not counted) and the examples are the rows of the
batches. A model of several objectives (KTUP's ``rec`` / ``kg``, AMR's ``bpr`` /
``adversarial``) reports each one and their mix by the iterations its schedule gives each
objective.

How the two sides are compared: each model runs in two child processes, one per checkout
(``PYTHONPATH`` set to the ``--before`` and the ``--after`` repository), started together.
Once both have warmed up, the parent asks them for one repeat at a time, alternately
(before, after, before, after, ...), so both sides see the same load; the table gives the
median over the repeats of each side and their ratio. A model that fails in one checkout
shows the error in its cell and the run goes on.

Usage::

    OPENREC2_DATA=/path/to/datasets python benchmarks/model_throughput.py --before /path/to/old/checkout
    python benchmarks/model_throughput.py --models BPR DIEN --seconds 3 --repeats 5 --json out.json
    python benchmarks/model_throughput.py --one BPR --dataset BPR=synthetic   # one JSON line, this checkout

Without ``--before`` only the ``--after`` checkout (default: the repository holding this
script) is measured.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Optional

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

#: The repository this script belongs to (the default ``--after`` checkout).
REPO = Path(__file__).resolve().parents[1]
#: Seconds the parent waits for a child's answer before calling it hung.
CHILD_TIMEOUT = 900


def default_dataset(spec) -> str:
    """The dataset a model is measured on: the one its kind of data calls for.

    Behaviour-sequence CTR models (DIEN) train on Amazon Beauty's sequences; models of item
    features alone on CiteULike-a's tags; every other model (plain interactions, user
    features, next-item histories, the knowledge graph of KTUP, DLRM's CTR examples) on
    ML-100K.

    Args:
        spec: The model's :class:`~openrec2.experiments.model_registry.ModelSpec`.

    Returns:
        The dataset name.
    """
    if spec.data == "sequences":
        return "amazon-beauty"
    if spec.data in ("interactions", "item_features") and set(spec.features) == {"item"}:
        return "citeulike-a"
    return "ml-100k"


class _CountingSampler:
    """A training sampler that also counts the rows of the batches it hands out."""

    def __init__(self, sampler) -> None:
        self.sampler = sampler
        self.rows = 0

    def next_batch(self, *args, **kwargs):
        """The wrapped sampler's next batch (its rows counted)."""
        batch = self.sampler.next_batch(*args, **kwargs)
        first = next(iter(batch.values()), None)
        self.rows += 0 if first is None else len(first)
        return batch

    def __getattr__(self, name: str):
        return getattr(self.sampler, name)


class ModelThroughput:
    """One model built as the command line builds it, trained in timed chunks by ModelTrainer.

    Args:
        model_name: A registered model.
        dataset: Dataset name (None: :func:`default_dataset`).
        data_home: Data home (None: ``$OPENREC2_DATA``).
        seed: Seed of the model and the samplers.
    """

    def __init__(self, model_name: str, dataset: Optional[str] = None, data_home: Optional[str] = None,
                 seed: int = 2020) -> None:
        from openrec2.experiments.experiment import (ExperimentSettings, load_experiment_data, model_keywords,
                                                     needs_pretraining, pretrained_keywords, training_samplers)
        from openrec2.experiments.model_registry import get_model_spec
        from openrec2.trainer.model_trainer import ModelTrainer
        self.spec = get_model_spec(model_name)
        self.dataset = dataset or default_dataset(self.spec)
        self.settings = ExperimentSettings(verbose=False, progress=False, data_home=data_home,
                                           seed=seed).resolved(self.spec)
        self.model = self.sampler = None
        self._folder = tempfile.TemporaryDirectory(prefix="openrec2_throughput_")
        data = load_experiment_data(self.spec, self.dataset, self.settings)
        keywords = model_keywords(self.spec, data, self.settings)
        if needs_pretraining(self.spec, self.settings):
            checkpoint = self._pretrain(data)
            keywords.update(pretrained_keywords(self.spec, self.settings, checkpoint, keywords))
        self.model = self.spec.recommender_class()(**keywords)
        sampler, _ = training_samplers(self.spec, data, self.settings, self.model)
        self.sampler = ({name: _CountingSampler(one) for name, one in sampler.items()} if isinstance(sampler, dict)
                        else _CountingSampler(sampler))
        self.trainer = ModelTrainer(self.model, verbose=False, progress=False)
        # The schedule ModelTrainer.train follows for these samplers (the model's default one).
        schedule, self._by_objective = self.trainer._resolve_samplers(self.sampler, None)
        # objective -> (first iteration, length or None: unbounded) of its first phase
        self.phases: dict[str, tuple[int, Optional[int]]] = {}
        self.share: dict[str, int] = {}  # objective -> iterations the schedule gives it
        start = last_start = 0
        for name, count in schedule.steps:
            self.phases.setdefault(name, (start, count))
            self.share[name] = self.share.get(name, 0) + count
            start, last_start = start + count, start
        # A phase that never hands over (the only objective; the last phase of a one-way schedule)
        # runs each chunk in one ModelTrainer.train call, however long.
        for name, (first, count) in self.phases.items():
            if len(self.phases) == 1 or (not schedule.cycle and first == last_start):
                self.phases[name] = (first, None)

    def _pretrain(self, data) -> str:
        """Train the model this one starts from for one epoch (as ``train`` would, but short); its checkpoint."""
        from openrec2.errors import CollapsedScoresError
        from openrec2.experiments.experiment import ExperimentSettings, run_experiment
        own = ExperimentSettings(epochs=1, early_stop=False, dim=self.settings.dim, seed=self.settings.seed,
                                 save_dir=self._folder.name, data_home=self.settings.data_home, verbose=False,
                                 progress=False)
        try:
            return run_experiment(self.spec.pretrain, self.dataset, own, data=data).checkpoint
        except CollapsedScoresError as error:  # one epoch may not separate the items yet; its checkpoint serves
            return error.result.checkpoint

    @property
    def batch_size(self) -> int:
        """The training batch size."""
        return self.settings.batch_size

    def describe(self) -> dict[str, Any]:
        """What is measured: model, dataset, batch size, objectives and their schedule shares."""
        return {"model": self.spec.name, "dataset": self.dataset, "batch_size": self.batch_size,
                "share": dict(self.share)}

    def _chunk(self, objective: str, iterations: int) -> tuple[int, int, float]:
        """Train ``iterations`` steps of ``objective``; ``(iterations, rows, training seconds)``."""
        counter = self._by_objective[objective]
        first, length = self.phases[objective]
        done, rows_before, seconds = 0, counter.rows, 0.0
        while done < iterations:  # within the objective's phase, from its start again when it is used up
            count = iterations - done if length is None else min(iterations - done, length)
            history = self.trainer.train(total_iter=first + count, eval_iter=None, save_iter=None,
                                         train_sampler=self.sampler, start_iter=first)
            seconds += history.train_seconds
            done += history.iterations_run
            if history.iterations_run < count:  # a finite sampler ran out
                break
        return done, counter.rows - rows_before, seconds

    def warm_up(self, iterations: int) -> None:
        """Untimed steps of every objective (graph rewrites, sampler threads, caches)."""
        for objective in self.phases:
            self._chunk(objective, iterations)

    def repeat(self, seconds: float, min_iterations: int) -> dict[str, Any]:
        """One timed repeat: every objective for at least ``seconds`` and ``min_iterations``.

        Args:
            seconds: Training seconds per objective, at least.
            min_iterations: Iterations per objective, at least.

        Returns:
            ``{'examples_per_second': the schedule's mix, 'objectives': {name: {iterations,
            rows, seconds, examples_per_second}}}``.
        """
        parts = {}
        for objective in self.phases:
            iterations = rows = 0
            spent = 0.0
            chunk = min_iterations
            while spent < seconds or iterations < min_iterations:
                done, chunk_rows, chunk_seconds = self._chunk(objective, chunk)
                if not done:
                    raise RuntimeError(f"the training sampler of {objective!r} gave no batch")
                iterations, rows, spent = iterations + done, rows + chunk_rows, spent + chunk_seconds
                per_iteration = spent / iterations
                chunk = max(min_iterations, int((seconds - spent) / per_iteration) + 1)
            parts[objective] = {"iterations": iterations, "rows": rows, "seconds": spent,
                                "examples_per_second": rows / spent}
        # The mix of the objectives as the schedule interleaves them: its rows over its seconds.
        rows = sum(self.share[name] * part["rows"] / part["iterations"] for name, part in parts.items())
        spent = sum(self.share[name] * part["seconds"] / part["iterations"] for name, part in parts.items())
        return {"examples_per_second": rows / spent, "objectives": parts}

    def close(self) -> None:
        """Close the samplers and the model."""
        if self.sampler is not None:
            for one in (self.sampler.values() if isinstance(self.sampler, dict) else [self.sampler]):
                one.close()
        if self.model is not None:
            self.model.close()
        self._folder.cleanup()


def measure(model_name: str, dataset: Optional[str] = None, warmup: int = 10, seconds: float = 2.0,
            iterations: int = 5, repeats: int = 3, data_home: Optional[str] = None) -> dict[str, Any]:
    """Measure one model in this process: its description, every repeat and the median.

    Args:
        model_name: A registered model.
        dataset: Dataset (None: :func:`default_dataset`).
        warmup: Untimed iterations per objective first.
        seconds: Training seconds per objective and repeat, at least.
        iterations: Iterations per objective and repeat, at least.
        repeats: Timed repeats.
        data_home: Data home (None: ``$OPENREC2_DATA``).

    Returns:
        :meth:`ModelThroughput.describe` plus ``repeats`` (their results) and
        ``examples_per_second`` (their median).
    """
    bench = ModelThroughput(model_name, dataset, data_home)
    try:
        bench.warm_up(warmup)
        runs = [bench.repeat(seconds, iterations) for _ in range(repeats)]
    finally:
        bench.close()
    return {**bench.describe(), "repeats": runs,
            "examples_per_second": statistics.median(run["examples_per_second"] for run in runs)}


# ---------------------------------------------------------------------- child process
def _emit(message: dict) -> None:
    print(json.dumps(message), flush=True)


def child_main(args) -> int:
    """``--one MODEL``: one JSON line (``--serve``: a line when ready, then one per ``run`` read on stdin)."""
    dataset = dict(args.dataset).get(args.one)
    try:
        import openrec2
        where = str(Path(openrec2.__file__).resolve().parents[1])
        if not args.serve:
            _emit({**measure(args.one, dataset, args.warmup, args.seconds, args.iterations, args.repeats),
                   "checkout": where})
            return 0
        bench = ModelThroughput(args.one, dataset)
        try:
            bench.warm_up(args.warmup)
            _emit({**bench.describe(), "checkout": where, "ready": True})
            for line in sys.stdin:
                if line.strip() != "run":
                    break
                _emit(bench.repeat(args.seconds, args.iterations))
        finally:
            bench.close()
    except Exception as error:  # reported to the parent, which shows it in the table
        _emit({"error": f"{type(error).__name__}: {error}"})
        return 1
    return 0


# ---------------------------------------------------------------------- parent process
class Child:
    """A ``--one MODEL --serve`` process of one checkout, answering one JSON line per request."""

    def __init__(self, checkout: Path, model: str, args) -> None:
        command = [sys.executable, str(Path(__file__).resolve()), "--one", model, "--serve",
                   "--warmup", str(args.warmup), "--seconds", str(args.seconds), "--iterations", str(args.iterations)]
        for name, dataset in args.dataset:
            command += ["--dataset", f"{name}={dataset}"]
        env = {**os.environ, "PYTHONPATH": str(checkout), "TF_CPP_MIN_LOG_LEVEL": "3"}
        self.stderr = tempfile.TemporaryFile(mode="w+")
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr,
                                        text=True, env=env, cwd=str(checkout))
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.error: Optional[str] = None

    def _read(self) -> None:
        for line in self.process.stdout:
            if line.startswith("{"):
                self.lines.put(json.loads(line))
        self.lines.put(None)

    def answer(self) -> Optional[dict]:
        """The child's next message; None (and :attr:`error` set) when it failed or hung."""
        if self.error is not None:
            return None
        try:
            message = self.lines.get(timeout=CHILD_TIMEOUT)
        except queue.Empty:
            message = {"error": f"no answer in {CHILD_TIMEOUT} s"}
        if message is None:
            self.stderr.seek(0)
            tail = self.stderr.read().strip().splitlines()[-1:] or ["no output"]
            message = {"error": f"exited with code {self.process.wait()}: {tail[0]}"}
        if "error" in message:
            self.error = message["error"]
            return None
        return message

    def request(self) -> Optional[dict]:
        """One timed repeat."""
        if self.error is not None:
            return None
        self.process.stdin.write("run\n")
        self.process.stdin.flush()
        return self.answer()

    def close(self) -> None:
        """Ask the child to finish (kill it if it does not)."""
        try:
            self.process.stdin.write("quit\n")
            self.process.stdin.close()
            self.process.wait(timeout=60)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        self.stderr.close()


def compare_model(model: str, checkouts: dict[str, Path], args) -> dict[str, Any]:
    """Measure one model in every checkout, the repeats alternating between them.

    Returns:
        ``{'model', 'dataset', 'batch_size', side: {'examples_per_second', 'repeats',
        'checkout'} or {'error'}}``.
    """
    children = {side: Child(path, model, args) for side, path in checkouts.items()}
    try:
        ready = {side: child.answer() for side, child in children.items()}
        runs: dict[str, list] = {side: [] for side in children}
        for _ in range(args.repeats):
            for side, child in children.items():
                answer = child.request()
                if answer is not None:
                    runs[side].append(answer)
    finally:
        for child in children.values():
            child.close()
    known = next((info for info in ready.values() if info), {})
    row: dict[str, Any] = {"model": model, "dataset": known.get("dataset", dict(args.dataset).get(model, "?")),
                           "batch_size": known.get("batch_size")}
    for side, child in children.items():
        if child.error is not None:
            row[side] = {"error": child.error, "checkout": str(checkouts[side])}
        else:
            row[side] = {"examples_per_second": statistics.median(r["examples_per_second"] for r in runs[side]),
                         "repeats": runs[side], "share": ready[side]["share"], "checkout": ready[side]["checkout"]}
    return row


def _cell(side: Optional[dict]) -> str:
    if side is None:
        return "-"
    if "error" in side:
        return "error: " + side["error"].replace("|", "/")[:120]
    return f"{side['examples_per_second']:,.0f}"


def markdown_table(rows: list[dict]) -> str:
    """The markdown table: model, dataset, batch size, examples/s before and after, speed-up."""
    lines = ["| model | dataset | batch | examples/s before | examples/s after | speed-up |",
             "|---|---|---:|---:|---:|---:|"]
    for row in rows:
        before, after = row.get("before"), row.get("after")
        ratio = ("-" if not before or not after or "error" in before or "error" in after
                 else f"{after['examples_per_second'] / before['examples_per_second']:.2f}x")
        lines.append(f"| {row['model']} | {row['dataset']} | {row['batch_size'] or '-'} | {_cell(before)} | "
                     f"{_cell(after)} | {ratio} |")
    return "\n".join(lines)


def _load() -> str:
    try:
        return "load average " + " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:  # pragma: no cover - not every system has it
        return "load average unknown"


def parent_main(args) -> int:
    """Measure the chosen models in the checkouts and print the table."""
    from openrec2.experiments.model_registry import MODELS
    models = args.models or sorted(MODELS)
    unknown = sorted(set(models) - set(MODELS))
    if unknown:
        raise SystemExit(f"model_throughput: unknown model(s) {unknown}; choose from {sorted(MODELS)}")
    checkouts = ({"before": Path(args.before).resolve()} if args.before else {})
    checkouts["after"] = Path(args.after).resolve()
    for side, path in checkouts.items():
        if not (path / "openrec2" / "__init__.py").is_file():
            raise SystemExit(f"model_throughput: --{side} {path} holds no openrec2 package; give a checkout's root.")
    started = time.perf_counter()
    header = (f"# {time.strftime('%Y-%m-%d %H:%M')}, {platform.processor() or platform.machine()}, "
              f"{os.cpu_count()} cores, {_load()} at start; warm-up {args.warmup} iterations, then {args.repeats} "
              f"repeats of >= {args.seconds} s and >= {args.iterations} iterations per objective; "
              + ", ".join(f"{side}: {path}" for side, path in checkouts.items()))
    print(header, flush=True)
    rows = []
    for model in models:
        row = compare_model(model, checkouts, args)
        rows.append(row)
        print(f"{model}: " + ", ".join(f"{side} {_cell(row.get(side))}" for side in checkouts),
              file=sys.stderr, flush=True)
    print(markdown_table(rows))
    print(f"\n{len(rows)} models in {time.perf_counter() - started:.0f} s; {_load()} at the end")
    if args.json:
        Path(args.json).write_text(json.dumps({"header": header, "rows": rows}, indent=1))
    return 0


def _model_dataset(text: str) -> tuple[str, str]:
    name, sep, dataset = text.partition("=")
    if not sep or not name or not dataset:
        raise argparse.ArgumentTypeError(f"--dataset takes MODEL=DATASET (e.g. BPR=ml-1m), not {text!r}")
    return name, dataset


def parse_args(argv: Optional[list[str]] = None) -> argparse.Namespace:
    """The command-line options (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", help="models to measure (default: every registered model)")
    parser.add_argument("--before", help="root of the checkout measured as 'before' (default: none)")
    parser.add_argument("--after", default=str(REPO), help="root of the checkout measured as 'after' "
                                                          "(default: this script's repository)")
    parser.add_argument("--iterations", type=int, default=5, help="iterations per objective and repeat, at least")
    parser.add_argument("--seconds", type=float, default=2.0, help="training seconds per objective and repeat, "
                                                                   "at least")
    parser.add_argument("--repeats", type=int, default=3, help="timed repeats per checkout (median reported)")
    parser.add_argument("--warmup", type=int, default=10, help="untimed iterations per objective first")
    parser.add_argument("--dataset", type=_model_dataset, action="append", default=[], metavar="MODEL=DATASET",
                        help="measure MODEL on DATASET instead of its default (repeatable)")
    parser.add_argument("--json", help="also write every measurement to this JSON file")
    parser.add_argument("--one", metavar="MODEL", help="measure one model in this process and print one JSON line")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)  # the parent's child protocol
    args = parser.parse_args(argv)
    for name in ("iterations", "repeats"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be >= 1")
    if args.warmup < 0 or args.seconds < 0:
        parser.error("--warmup and --seconds must be >= 0")
    return args


def main(argv: Optional[list[str]] = None) -> int:
    """Run the benchmark (or, with ``--one``, one child measurement)."""
    args = parse_args(argv)
    return child_main(args) if args.one else parent_main(args)


if __name__ == "__main__":
    sys.exit(main())
