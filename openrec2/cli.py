"""Command line of openrec2: ``python -m openrec2 train --model BPR --dataset ml-100k``.

``train`` loads a named dataset split, trains a model with :class:`~openrec2.ModelTrainer`
(early stopping on a validation metric by default), and prints a table of validation
and test metrics for the model and for the most-popular baseline on the same split,
followed by the run time and seconds per epoch. Test ranking excludes the training and
validation items; validation ranking excludes the training items.

``list`` prints the models and datasets ``train`` accepts. Models come from
:mod:`openrec2.trainer.model_registry` (``register_model`` adds one); datasets from
:data:`openrec2.datasets.registry.LOADERS`.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Optional, Sequence, TextIO

os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '2')  # before TensorFlow is first imported

from openrec2.datasets.registry import LOADERS  # noqa: E402
from openrec2.errors import OpenRecError, UnknownOptionError, scoped  # noqa: E402
from openrec2.trainer.console import metrics_table  # noqa: E402
from openrec2.trainer.model_registry import (DEFAULTABLE, MODELS, TrainSettings, epoch_schedule,  # noqa: E402
                                             get_model_spec)

POPULARITY_ROW = 'MostPopular'


def _model_name(value: str) -> str:
    """Map a model name to its registered spelling (case-insensitive); unknown names pass through."""
    return next((name for name in MODELS if name.lower() == value.lower()), value)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m openrec2``.

    Returns:
        The parser (sub-commands ``train`` and ``list``).
    """
    parser = argparse.ArgumentParser(prog='python -m openrec2', description='Train and evaluate recommenders.')
    commands = parser.add_subparsers(dest='command', required=True, metavar='{train,list}')
    commands.add_parser('list', help='list the models and datasets')
    train = commands.add_parser('train', help='train a model on a dataset and print its metrics',
                                description='Train a model, then print validation/test metrics next to the '
                                            'most-popular baseline. Options left out take the model\'s defaults.')
    train.add_argument('--model', required=True, type=_model_name, choices=sorted(MODELS), help='model to train')
    train.add_argument('--dataset', required=True, choices=sorted(LOADERS),
                       help="dataset ('synthetic' needs no files)")
    train.add_argument('--epochs', type=int, help='maximum training epochs (passes over the training positives)')
    train.add_argument('--batch-size', type=int, help='training batch size')
    train.add_argument('--lr', type=float, help='learning rate')
    train.add_argument('--dim', type=int, help='embedding size')
    train.add_argument('--l2', type=float, dest='l2_reg', help='L2 regularisation weight')
    train.add_argument('--seed', type=int, default=2020, help='seed of the model and the sampler (default 2020)')
    train.add_argument('--split', help='split protocol of the dataset loader (random, leave_one_out, temporal, '
                                       'given); default: the loader\'s')
    train.add_argument('--split-seed', type=int, help='seed of the random split (default: the loader\'s)')
    train.add_argument('--data-home', help='data home (default $OPENREC2_DATA, then ~/.openrec2/datasets)')
    train.add_argument('--eval-every', type=int, default=2, help='epochs between validation evaluations (default 2)')
    train.add_argument('--early-stop', type=int, default=3, metavar='PATIENCE',
                       help='stop after this many evaluations without improvement (0: off; default 3)')
    train.add_argument('--early-stop-metric', help='validation metric to stop on (default NDCG@<smallest K>)')
    train.add_argument('--topk', type=int, nargs='+', default=[10, 20], metavar='K',
                       help='cut-offs of the top-K metrics (default 10 20)')
    train.add_argument('--test-batch-size', type=int, default=1024, help='users per evaluation batch')
    train.add_argument('--num-workers', type=int, default=1, help='sampler worker threads (default 1)')
    train.add_argument('--save-dir', help='folder for checkpoints (default: none kept)')
    train.add_argument('--progress', action=argparse.BooleanOptionalAction, default=None,
                       help='force or hide the progress bar (default: shown on a terminal)')
    train.add_argument('--quiet', action='store_true', help='print only the final table')
    return parser


def ranking_evaluators(topk: Sequence[int]) -> list:
    """The evaluators of the metrics table: Recall, NDCG, Precision, Hit, MRR at ``topk`` and AUC.

    Args:
        topk: Cut-offs.

    Returns:
        A list of evaluators.
    """
    from openrec2.utils.evaluators import AUC, MRR, NDCG, HitRatio, Precision, Recall
    ks = list(topk)
    return [Recall(ks), NDCG(ks), Precision(ks), HitRatio(ks), MRR(ks), AUC()]


def _load_split(args: argparse.Namespace):
    from openrec2.datasets import load_dataset
    options = {key: value for key, value in (('split', args.split), ('seed', args.split_seed),
                                             ('data_home', args.data_home)) if value is not None}
    return load_dataset(args.dataset, **options)


def _settings(args: argparse.Namespace, spec) -> TrainSettings:
    """Settings: CLI options, else the model's defaults, else TrainSettings'."""
    base = TrainSettings()
    chosen = {name: getattr(args, name) if getattr(args, name) is not None
              else spec.defaults.get(name, getattr(base, name, None)) for name in DEFAULTABLE}
    return TrainSettings(seed=args.seed, test_batch_size=args.test_batch_size, num_workers=args.num_workers,
                         **chosen)


def run_train(args: argparse.Namespace, out: TextIO) -> dict:
    """Train and evaluate as ``args`` say; print the report to ``out``.

    Args:
        args: Parsed ``train`` arguments.
        out: Stream of the report and the training log.

    Returns:
        ``{'validation': {...}, 'test': {...}, 'popularity': {split: {...}}, 'history': TrainingHistory,
        'seconds': total}``.

    Raises:
        OpenRecError: Bad options or data (the message says what to change).
    """
    from openrec2.model_trainer import ModelTrainer
    from openrec2.trainer.baselines import popularity_scorer
    from openrec2.utils.evaluators import evaluate_with_scorer
    from openrec2.utils.samplers import EvaluationSampler

    started = time.perf_counter()
    spec = get_model_spec(args.model)
    settings = _settings(args, spec)
    epochs = settings.epochs
    evaluators = ranking_evaluators(args.topk)
    keys = [key for evaluator in evaluators for key in evaluator.keys()]
    stop_metric = args.early_stop_metric or f'NDCG@{min(args.topk)}'
    if args.early_stop and stop_metric not in keys:
        raise UnknownOptionError(scoped('openrec2', f'--early-stop-metric {stop_metric!r} is not computed; '
                                                    f'choose one of {keys}.'))
    for name, value in (('--epochs', epochs), ('--eval-every', args.eval_every)):
        if value < 1:
            raise UnknownOptionError(scoped('openrec2', f'{name} must be >= 1, got {value}.'))

    split = _load_split(args)
    print(f'{split.name}: {split.max_user} users, {split.max_item} items; train {len(split.train):,}, '
          f'validation {len(split.validation) if split.validation is not None else 0:,}, test {len(split.test):,} '
          f'interactions\nsplit: {split.protocol}', file=out)
    excluded_for_test = [split.train] + ([split.validation] if split.validation is not None else [])
    eval_samplers = {'test': EvaluationSampler(split.test, settings.test_batch_size, excluded_for_test)}
    if split.validation is not None:
        eval_samplers = {'validation': EvaluationSampler(split.validation, settings.test_batch_size, [split.train]),
                         **eval_samplers}
    use_early_stop = bool(args.early_stop) and 'validation' in eval_samplers

    model = spec.build(split, settings)
    sampler = spec.make_sampler(split.train, settings)
    try:
        per_epoch = sampler.batches_per_epoch
        trainer = ModelTrainer(model, save_dir=args.save_dir,
                               early_stop_metric=stop_metric if use_early_stop else None,
                               patience=max(1, args.early_stop), progress=args.progress, verbose=not args.quiet,
                               log_stream=out)
        validation_only = {k: v for k, v in eval_samplers.items() if k == 'validation'}
        history = trainer.train(total_iter=epochs * per_epoch, eval_iter=args.eval_every * per_epoch,
                                save_iter=per_epoch * args.eval_every if args.save_dir else None,
                                train_sampler=sampler, eval_samplers=validation_only, evaluators=evaluators,
                                objective_schedule=epoch_schedule(model, epochs, per_epoch))
        eval_started = time.perf_counter()
        results = trainer.evaluate(eval_samplers, evaluators)
        final_eval_seconds = time.perf_counter() - eval_started
    finally:
        sampler.close()
        model.close()
    popular = {name: evaluate_with_scorer(popularity_scorer(split.train), es, evaluators)
               for name, es in eval_samplers.items()}

    rows = []
    for name in eval_samplers:
        rows.append((f'{name} {spec.name}', results[name]))
        rows.append((f'{name} {POPULARITY_ROW}', popular[name]))
    total = time.perf_counter() - started
    epochs_run = history.iterations_run / per_epoch
    stop_text = (f'; early stopping on validation {stop_metric}, best at epoch '
                 f'{history.best_iteration / per_epoch:.0f}' if use_early_stop and history.best_iteration else '')
    print('\n' + metrics_table(rows, keys, label='split / model'), file=out)
    print(f'\n{spec.name} on {split.name}: {epochs_run:.0f} epochs of {per_epoch} batches of {settings.batch_size} '
          f'(dim {settings.dim}, lr {settings.lr:g}, l2 {settings.l2_reg}){stop_text}', file=out)
    print(f'runtime: {total:.1f} s total; training {history.train_seconds:.1f} s '
          f'({history.seconds_per_epoch or 0:.2f} s per epoch); evaluation {history.eval_seconds:.1f} s during '
          f'training, {final_eval_seconds:.2f} s for the final validation + test', file=out)
    return {'validation': results.get('validation'), 'test': results['test'], 'popularity': popular,
            'history': history, 'seconds': total}


def _list(out: TextIO) -> None:
    print('models:', file=out)
    for name, spec in sorted(MODELS.items()):
        print(f'  {name:<12} {spec.description}', file=out)
    print('datasets:', file=out)
    for name in sorted(LOADERS):
        print(f'  {name}', file=out)


def main(argv: Optional[Sequence[str]] = None, out: Optional[TextIO] = None) -> int:
    """Entry point of ``python -m openrec2`` and the ``openrec2`` console script.

    Args:
        argv: Arguments (default ``sys.argv[1:]``).
        out: Stream of the report (default stdout).

    Returns:
        Exit code: 0 on success, 2 on bad options or data (message on stderr).
        argparse itself exits with code 2 for an unknown command, option, model or
        dataset, listing the valid ones.
    """
    out = out if out is not None else sys.stdout
    args = build_parser().parse_args(argv)
    if args.command == 'list':
        _list(out)
        return 0
    import tensorflow.compat.v1 as tf
    tf.get_logger().setLevel('ERROR')  # TensorFlow's deprecation notices are not ours to show
    try:
        run_train(args, out)
    except OpenRecError as error:
        print(f'error: {error}', file=sys.stderr)
        return 2
    return 0
