"""Command line of openrec2: ``python -m openrec2 train --model BPR --dataset ml-100k``.

``train`` runs :func:`openrec2.experiments.experiment.run_experiment`: it loads the data the
model needs (interactions, item features, a knowledge graph, behaviour sequences or CTR
examples), pretrains the model a spec names (ConvNCF from BPR), trains with
:class:`~openrec2.ModelTrainer` (early stopping on a validation metric by default) and
prints a table of validation and test metrics for the model and for its baseline on the
same split (popularity; for CTR examples a logistic regression on the same features),
followed by the run time and seconds per epoch. Model settings are given as ``--set key=value`` (repeatable), checked against the model's
constructor. Test ranking excludes the training and validation items; validation
ranking excludes the training items.

With ``--run-dir DIR`` the run folder keeps the resolved settings, the history (JSON
and CSV), checkpoints, the trained model, the final metrics, TensorBoard events and a
PNG of the learning curves (with matplotlib); see :mod:`openrec2.experiments.run_folder`.
On such a folder, ``evaluate DIR`` evaluates the trained model again on its split,
``recommend DIR --user 42 --k 10`` prints a user's top items (with titles where the
dataset has them), ``export DIR --out OUT`` writes a SavedModel for TensorFlow Serving
(and ``--embeddings FILE`` an HDF5 file of the factors), and ``compare DIR1 DIR2 ...``
prints the runs' metrics side by side.

``list`` prints the models (with what they train on and the settings ``--set`` takes)
and the datasets. Models come from :mod:`openrec2.experiments.model_registry`
(``register_model`` adds one); datasets from :mod:`openrec2.datasets.registry`.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from typing import Optional, Sequence, TextIO

os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '2')  # before TensorFlow is first imported

from openrec2.datasets.registry import CTR_LOADERS, KG_LOADERS, LOADERS, SEQUENCE_LOADERS  # noqa: E402
from openrec2.errors import OpenRecError, SettingError, scoped  # noqa: E402
from openrec2.trainer.console import metrics_table  # noqa: E402
from openrec2.experiments.model_registry import MODELS, describe_defaults, get_model_spec  # noqa: E402

_DATASETS_BY_KIND = {'knowledge_graph': KG_LOADERS, 'sequences': SEQUENCE_LOADERS, 'next_item': SEQUENCE_LOADERS,
                     'ctr': CTR_LOADERS}
_ALL_DATASETS = sorted(set(LOADERS) | set(KG_LOADERS) | set(SEQUENCE_LOADERS) | set(CTR_LOADERS))


def _model_name(value: str) -> str:
    """Map a model name to its registered spelling (case-insensitive); unknown names pass through."""
    return next((name for name in MODELS if name.lower() == value.lower()), value)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m openrec2``.

    Returns:
        The parser (sub-commands ``train``, ``cluster``, ``evaluate``, ``recommend``, ``export``, ``compare``,
        ``list``).
    """
    parser = argparse.ArgumentParser(prog='python -m openrec2', description='Train and evaluate recommenders.')
    commands = parser.add_subparsers(dest='command', required=True,
                                     metavar='{train,cluster,evaluate,recommend,export,compare,list}')
    commands.add_parser('list', help='list the models, their settings and the datasets')
    _add_run_commands(commands)
    train = commands.add_parser('train', help='train a model on a dataset and print its metrics',
                                description='Train a model, then print validation/test metrics next to the '
                                            'popularity baseline. Options left out take the model\'s defaults.')
    train.add_argument('--model', required=True, type=_model_name, choices=sorted(MODELS), help='model to train')
    train.add_argument('--dataset', required=True, choices=_ALL_DATASETS,
                       help="dataset ('synthetic' needs no files); KTUP needs ml-100k or ml-1m-kg, DIEN, RNNRec "
                            "and the YouTube models amazon-beauty or ml-100k, DLRM ml-100k (its CTR examples) or "
                            "synthetic; models of item features need ml-100k, citeulike-a or "
                            "amazon-beauty, of user features ml-100k (`list` says which)")
    train.add_argument('--set', action='append', default=[], metavar='KEY=VALUE', dest='model_settings',
                       help='a model setting (repeatable), e.g. --set eps=0.5 --set cnn_channels=1,32,32,32,32; '
                            '`list` shows the keys of each model')
    train.add_argument('--epochs', type=int, help='maximum training epochs (KTUP: rounds of its rec/kg schedule)')
    train.add_argument('--batch-size', type=int, help='training batch size')
    train.add_argument('--lr', type=float, help='learning rate')
    train.add_argument('--dim', type=int, help='embedding size')
    train.add_argument('--l2', type=float, dest='l2_reg', help='L2 regularisation weight')
    train.add_argument('--seed', type=int, default=2020, help='seed of the model and the sampler (default 2020)')
    train.add_argument('--split', help='split protocol of the dataset loader (random, leave_one_out, temporal, '
                                       'given); default: the loader\'s')
    train.add_argument('--split-seed', type=int, help='seed of the random split (default: the loader\'s)')
    train.add_argument('--data-home', help='data home (default $OPENREC2_DATA, then ~/.openrec2/datasets)')
    train.add_argument('--eval-every', type=int, help='epochs between validation evaluations (default: the '
                                                      'model\'s, mostly 2)')
    train.add_argument('--early-stop', type=int, metavar='PATIENCE',
                       help='stop after this many evaluations without improvement (0: off; default: the model\'s, '
                            'mostly 3)')
    train.add_argument('--early-stop-metric', help='validation metric to stop on (default NDCG@<smallest K>; AUC '
                                                   'for DIEN)')
    train.add_argument('--topk', type=int, nargs='+', default=[10, 20], metavar='K',
                       help='cut-offs of the top-K metrics (default 10 20)')
    train.add_argument('--test-batch-size', type=int, default=1024, help='users per evaluation batch')
    train.add_argument('--num-workers', type=int, default=1, help='sampler worker threads (default 1)')
    train.add_argument('--run-dir', '--save-dir', dest='save_dir', metavar='DIR',
                       help='folder of the run: settings, history (JSON, CSV), checkpoints with their run state, the '
                            'trained model, metrics, TensorBoard events, learning curves (default: none kept)')
    train.add_argument('--resume', action='store_true',
                       help='continue the run of --run-dir exactly where it stopped (after a crash or a kill)')
    train.add_argument('--progress', action=argparse.BooleanOptionalAction, default=None,
                       help='force or hide the progress bar (default: shown on a terminal)')
    train.add_argument('--quiet', action='store_true', help='print only the final table')
    _add_cluster_options(train)
    _add_cluster_command(commands)
    return parser


def _add_cluster_options(train) -> None:
    """The ``train`` options of one task of a parameter-server cluster (docs/distributed.md)."""
    group = train.add_argument_group('cluster training', 'one task of a parameter-server cluster; without these, '
                                                         'TF_CONFIG (if set) says the cluster and the task')
    group.add_argument('--cluster', metavar='JSON', help='{"ps": ["host:port", ...], "worker": ["host:port", ...]}')
    group.add_argument('--job', help='ps or worker (worker 0 is the chief)')
    group.add_argument('--task', type=int, help='index of this task in its job')
    group.add_argument('--sync', action='store_true', help='synchronous training (SyncReplicasOptimizer: one '
                                                           'averaged gradient of every worker per step)')
    group.add_argument('--min-slice-bytes', type=int, default=64 << 10,
                       help='smallest part a table is cut into over the ps tasks (default 64 KiB)')


def _add_cluster_command(commands) -> None:
    """``cluster``: a whole cluster as local processes; other arguments are those of ``train``."""
    cluster = commands.add_parser(
        'cluster', help='train on a local parameter-server cluster (processes on 127.0.0.1)',
        description='Start --ps parameter servers and --workers workers on free ports of 127.0.0.1, each running '
                    '"train" with the other arguments given here (--model, --dataset, ...), print their logs '
                    'prefixed by task, and stop them all when the chief (worker 0) finishes, on an error or Ctrl-C.')
    cluster.add_argument('--ps', type=int, default=2, help='parameter servers (default 2)')
    cluster.add_argument('--workers', type=int, default=2, help='workers (default 2)')
    cluster.add_argument('--sync', action='store_true', help='synchronous training')
    cluster.add_argument('--timeout', type=float, help='seconds to wait for the chief before stopping everything')


def _add_run_commands(commands) -> None:
    """The sub-commands that read a run folder: evaluate, recommend, export, compare."""
    evaluate = commands.add_parser('evaluate', help='evaluate the trained model of a run folder again on its split')
    evaluate.add_argument('run_dir', metavar='RUN_DIR', help='folder written by train --run-dir')
    recommend = commands.add_parser('recommend', help="print a user's top items from a run folder's model")
    recommend.add_argument('run_dir', metavar='RUN_DIR', help='folder written by train --run-dir')
    recommend.add_argument('--user', type=int, required=True,
                           help="the user's id in the dataset's files (MovieLens: u.data's user id)")
    recommend.add_argument('--index', action='store_true', help='--user is the 0-based index of the model instead')
    recommend.add_argument('--k', type=int, default=10, help='items to print (default 10)')
    recommend.add_argument('--include-seen', action='store_true', help="rank the user's training items too")
    export = commands.add_parser('export', help="write a run folder's model as a SavedModel (TensorFlow Serving)")
    export.add_argument('run_dir', metavar='RUN_DIR', help='folder written by train --run-dir')
    export.add_argument('--out', required=True, metavar='DIR',
                        help='base folder of the versions (DIR/<version>/saved_model.pb)')
    export.add_argument('--top-k', type=int, default=100, help='items per user of the recommend signature')
    export.add_argument('--version', type=int, help='version number (default: the next free one in --out)')
    export.add_argument('--embeddings', metavar='FILE', help='also write the factors and biases to this HDF5 file')
    for command in (evaluate, recommend, export):
        command.add_argument('--data-home', help='data home (default: the run\'s, then $OPENREC2_DATA)')
    compare = commands.add_parser('compare', help='print the metrics of run folders side by side')
    compare.add_argument('run_dirs', nargs='+', metavar='RUN_DIR', help='folders written by train --run-dir')
    compare.add_argument('--split', default='test', help='split to compare (default test)')


def experiment_settings(args: argparse.Namespace):
    """The :class:`~openrec2.experiments.experiment.ExperimentSettings` of parsed ``train`` arguments.

    Args:
        args: Parsed ``train`` arguments.

    Returns:
        The settings (``--set`` values parsed against the model's constructor).

    Raises:
        SettingError: A bad option or ``--set`` value.
        UnknownOptionError: An early-stopping metric the evaluations do not compute.
    """
    from openrec2.experiments.experiment import ExperimentSettings, owned_settings
    from openrec2.experiments.model_settings import parse_model_settings
    from openrec2.validation import check_folder_path, check_int, check_learning_rate, check_non_negative
    spec = get_model_spec(args.model)
    _check_stop_metric(args, spec)
    given = {name: value for name, value in vars(args).items() if value is not None}  # options left out: defaults
    for option in ('epochs', 'batch_size', 'dim', 'eval_every', 'test_batch_size', 'num_workers'):
        if option in given:
            check_int(given[option], f'--{option.replace("_", "-")}', 'openrec2')
    if 'early_stop' in given:
        check_int(given['early_stop'], '--early-stop', 'openrec2', minimum=0)
    if 'lr' in given:
        check_learning_rate(given['lr'], 'openrec2', name='--lr', allow_none=False)
    if 'l2_reg' in given:
        check_non_negative(given['l2_reg'], '--l2', 'openrec2')
    if 'min_slice_bytes' in given:
        check_int(given['min_slice_bytes'], '--min-slice-bytes', 'openrec2')
    check_folder_path(args.save_dir, '--run-dir', 'openrec2')
    settings = parse_model_settings(spec.recommender_class(), args.model_settings, owned_settings(spec))
    return ExperimentSettings(
        epochs=args.epochs, batch_size=args.batch_size, lr=args.lr, dim=args.dim, l2_reg=args.l2_reg,
        eval_every=args.eval_every, patience=args.early_stop or None, early_stop=args.early_stop != 0,
        early_stop_metric=args.early_stop_metric, topk=args.topk, seed=args.seed,
        test_batch_size=args.test_batch_size, num_workers=args.num_workers, save_dir=args.save_dir,
        resume=args.resume,
        split=args.split, split_seed=args.split_seed, data_home=args.data_home, model_settings=settings,
        progress=args.progress, verbose=not args.quiet)


def _check_stop_metric(args: argparse.Namespace, spec) -> None:
    """Refuse an early-stopping metric the evaluations do not compute, before any training."""
    from openrec2.errors import UnknownOptionError, scoped
    if args.early_stop_metric is None or args.early_stop == 0:
        return
    ks = args.topk
    names = ['AUC', 'LogLoss'] + [f'{m}@{k}' for m in ('Hit', 'NDCG') for k in ks]
    if spec.data == 'ctr':
        names = ['AUC', 'LogLoss']
    elif spec.data != 'sequences':
        names = [f'{m}@{k}' for m in ('Recall', 'NDCG', 'Precision', 'Hit', 'MRR') for k in ks] + ['AUC']
    if args.early_stop_metric not in names:
        raise UnknownOptionError(scoped('openrec2', f'--early-stop-metric {args.early_stop_metric!r} is not '
                                                    f'computed; choose one of {names}.'))


def run_train(args: argparse.Namespace, out: TextIO) -> dict:
    """Train and evaluate as ``args`` say; print the report to ``out``.

    Args:
        args: Parsed ``train`` arguments.
        out: Stream of the report and the training log.

    Returns:
        ``{'validation': {...}, 'test': {...}, 'popularity': {split: {...}}, 'history': TrainingHistory,
        'seconds': total, 'result': ExperimentResult}``.

    Raises:
        OpenRecError: Bad options or data, or a collapsed model (the message says what to change).
    """
    from openrec2.distributed.cluster_config import resolve
    from openrec2.experiments.experiment import run_experiment
    spec = get_model_spec(args.model)
    settings = experiment_settings(args)
    config = resolve(args.cluster, args.job, args.task)
    if config is None:
        result = run_experiment(spec.name, args.dataset, settings, log_stream=out)
    else:
        from openrec2.distributed.task import run_task
        result = run_task(config, spec.name, args.dataset, settings, mode='sync' if args.sync else 'async',
                          min_slice_bytes=args.min_slice_bytes, log_stream=out)
        if not config.is_chief:
            print(f'{config.name}: trained {result.history.iterations_run} iterations on its shard', file=out)
            return {'validation': None, 'test': None, 'popularity': {}, 'history': result.history,
                    'seconds': result.seconds, 'result': result}
    report = io.StringIO()
    print_report(result, report)
    out.write(report.getvalue())
    if settings.save_dir:
        from openrec2.experiments.run_folder import write_report
        write_report(settings.save_dir, report.getvalue())
    return {'validation': result.results.get('validation'), 'test': result.results['test'],
            'popularity': result.baseline, 'history': result.history, 'seconds': result.seconds, 'result': result}


def print_report(result, out: TextIO) -> None:
    """Print the metrics table, the robustness / KG lines, the settings and the run time.

    Args:
        result: An :class:`~openrec2.experiments.experiment.ExperimentResult`.
        out: Output stream.
    """
    splits = [name for name in ('validation', 'test') if name in result.results]
    keys = [key for key in result.results[splits[-1]] if '/' not in key]
    rows = []
    for name in splits:
        rows.append((f'{name} {result.model}', result.results[name]))
        if name in result.baseline:
            rows.append((f'{name} {result.baseline_name}', result.baseline[name]))
    print(f'\n{result.dataset}: {result.protocol}', file=out)
    print('\n' + metrics_table(rows, keys, label='split / model'), file=out)
    attacked = sorted({key.split('/')[0] for key in result.results['test'] if '/' in key})
    if attacked:
        from openrec2.experiments.model_settings import constructor_parameters
        eps = result.model_settings.get('eps', constructor_parameters(get_model_spec(result.model).
                                                                      recommender_class())['eps'].default)
    for attack in attacked:
        parts = []
        for key in keys:
            clean, hit = result.results['test'][key], result.results['test'].get(f'{attack}/{key}')
            if hit is not None and key.startswith(('NDCG', 'Hit', 'Recall')):
                change = f' ({(hit - clean) / clean:+.1%})' if clean else ''
                parts.append(f'{key} {hit:.4f}{change}')
        print(f'test under {attack} (eps {eps}): ' + '  '.join(parts), file=out)
    if 'kg' in result.results:
        accuracy = next(iter(result.results['kg'].values()))
        print(f'knowledge graph: held-out triples ranked above corrupted tails {accuracy:.4f} (chance 0.5)', file=out)
    if result.pretraining is not None:
        pre = result.pretraining
        metrics = ', '.join(f'{key} {pre.results["test"][key]:.4f}' for key in keys[:2])
        print(f'pretrained from {pre.model}: {pre.epochs_run:.0f} epochs, test {metrics}', file=out)
    stop = (f'; early stopping on validation {result.early_stop_metric}, best at epoch {result.best_epoch:.0f}'
            if result.early_stop_metric and result.best_epoch is not None else '')
    print(f'\n{result.model} on {result.dataset}: {result.epochs_run:.0f} epochs of {result.iterations_per_epoch} '
          f'iterations{stop}', file=out)
    print('settings: ' + ', '.join(f'{key}={value}' for key, value in result.model_settings.items()), file=out)
    history = result.history
    print(f'runtime: {result.seconds:.1f} s total; training {history.train_seconds:.1f} s '
          f'({history.seconds_per_epoch or 0:.2f} s per epoch); evaluation {history.eval_seconds:.1f} s during '
          f'training, {result.final_eval_seconds:.2f} s for the final evaluation', file=out)


def run_evaluate(args: argparse.Namespace, out: TextIO) -> dict:
    """Evaluate a run folder's trained model again and print the table.

    Returns:
        ``{split: MetricResults}``.
    """
    from openrec2.experiments.run_folder import rebuild_run
    from openrec2.experiments.saved_runs import evaluate_run
    with rebuild_run(args.run_dir, args.data_home) as run:
        results = evaluate_run(run)
    splits = [name for name in results if name != 'kg']
    keys = [key for key in results[splits[-1]] if '/' not in key]
    print(f'{run.spec.name} on {run.dataset} ({args.run_dir}), evaluated again', file=out)
    print(metrics_table([(f'{name} {run.spec.name}', results[name]) for name in splits], keys,
                        label='split / model'), file=out)
    return results


def run_recommend(args: argparse.Namespace, out: TextIO) -> list:
    """Print one user's top items from a run folder's model.

    Returns:
        The items (dicts of :func:`~openrec2.experiments.saved_runs.recommend_items`).
    """
    from openrec2.experiments.run_folder import rebuild_run
    from openrec2.experiments.saved_runs import recommend_items, user_index
    from openrec2.validation import check_int
    check_int(args.k, '--k', 'openrec2')
    with rebuild_run(args.run_dir, args.data_home) as run:
        index = user_index(run, args.user, original=not args.index)
        items = recommend_items(run, index, args.k, include_seen=args.include_seen)
    seen = 'training items included' if args.include_seen else 'training items left out'
    print(f'top {len(items)} items of user {args.user} (index {index}) by {run.spec.name} on {run.dataset} '
          f'({seen}):', file=out)
    for item in items:
        title = f'  {item["title"]}' if item['title'] is not None else ''
        print(f'{item["rank"]:>3}. item {item["item_id"]:<6} score {item["score"]:.4f}{title}', file=out)
    return items


def run_export(args: argparse.Namespace, out: TextIO) -> str:
    """Export a run folder's model as a SavedModel (and optionally its embeddings to HDF5).

    Returns:
        The SavedModel version folder written.
    """
    import json
    from openrec2.experiments.run_folder import rebuild_run
    with rebuild_run(args.run_dir, args.data_home) as run:
        facts = dict(dataset=run.dataset, run_dir=os.path.abspath(args.run_dir),
                     settings=json.loads(json.dumps(run.settings.model_settings, default=str)))
        exclude = run.data.split.train if run.data.split is not None else None
        folder = run.model.export_saved_model(args.out, top_k=args.top_k, exclude=exclude, version=args.version,
                                              metadata=facts)
        if args.embeddings:
            run.model.export_embeddings(args.embeddings, metadata=facts)
        signatures = list(run.model.export_signatures())
    print(f'SavedModel of {run.spec.name} written to {folder} (signatures: {", ".join(signatures)}'
          f'{", recommend_k" if "recommend" in signatures else ""}, serving_default)', file=out)
    if args.embeddings:
        print(f'embeddings written to {args.embeddings}', file=out)
    return folder


def run_compare(args: argparse.Namespace, out: TextIO) -> list:
    """Print the metrics of several run folders side by side.

    Returns:
        The table rows.
    """
    from openrec2.experiments.saved_runs import compare_rows
    rows, keys = compare_rows(args.run_dirs, args.split)
    print(f'{args.split} metrics', file=out)
    print(metrics_table(rows, keys, label='model (run folder)'), file=out)
    return rows


def _list(out: TextIO) -> None:
    from openrec2.experiments.experiment import FEATURE_DATASETS, owned_settings
    from openrec2.experiments.model_settings import settable_names
    print('models:', file=out)
    for name, spec in sorted(MODELS.items()):
        kinds = _DATASETS_BY_KIND.get(spec.data)
        for side in spec.features:
            kinds = sorted(set(FEATURE_DATASETS[side]) & set(kinds if kinds is not None else FEATURE_DATASETS[side]))
        datasets = f' (datasets: {", ".join(sorted(kinds))})' if kinds else ''
        print(f'  {name:<15} {spec.description}{datasets}', file=out)
        print(f'  {"":<15} defaults {describe_defaults(spec)}', file=out)
        try:
            keys = settable_names(spec.recommender_class(), owned_settings(spec))
        except ImportError:  # pragma: no cover - TensorFlow missing
            keys = []
        print(f'  {"":<15} --set keys: {", ".join(keys)}', file=out)
    print('datasets:', file=out)
    for name in _ALL_DATASETS:
        extras = [kind for kind, loaders in (('knowledge graph', KG_LOADERS), ('sequences', SEQUENCE_LOADERS),
                                             ('CTR examples', CTR_LOADERS)) if name in loaders]
        print(f'  {name}' + (f' (also {", ".join(extras)})' if extras else ''), file=out)


def run_cluster(args: argparse.Namespace, train_args: Sequence[str], out: TextIO) -> int:
    """Run a local cluster of ``train`` processes (:class:`~openrec2.distributed.launcher.LocalCluster`).

    Args:
        args: Parsed ``cluster`` arguments.
        train_args: The ``train`` arguments every task gets.
        out: Stream of the prefixed logs.

    Returns:
        The chief's exit code.

    Raises:
        SettingError: bad counts, or ``train`` arguments that do not parse.
        ClusterError: a parameter server died, or the timeout passed.
    """
    from openrec2.distributed.launcher import LocalCluster
    parsed = build_parser().parse_args(['train', *train_args])  # refuse bad train arguments before any process
    if parsed.cluster or parsed.job or parsed.task is not None:
        raise SettingError(scoped('cluster', 'the cluster command chooses --cluster/--job/--task itself; '
                                             'leave them out.'))
    experiment_settings(parsed)  # every train setting checked before any process starts
    return LocalCluster(args.ps, args.workers, train_args, mode='sync' if args.sync else 'async',
                        log_stream=out).run(timeout=args.timeout)


def main(argv: Optional[Sequence[str]] = None, out: Optional[TextIO] = None) -> int:
    """Entry point of ``python -m openrec2`` and the ``openrec2`` console script.

    Args:
        argv: Arguments (default ``sys.argv[1:]``).
        out: Stream of the report (default stdout).

    Returns:
        Exit code: 0 on success, 2 on bad options or data or a collapsed model (message
        on stderr). argparse itself exits with code 2 for an unknown command, option,
        model or dataset, listing the valid ones.
    """
    out = out if out is not None else sys.stdout
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if args.command != 'cluster' and extra:
        parser.error(f'unrecognized arguments: {" ".join(extra)}')
    import tensorflow.compat.v1 as tf
    tf.get_logger().setLevel('ERROR')  # TensorFlow's deprecation notices are not ours to show
    if args.command == 'list':
        _list(out)
        return 0
    try:
        if args.command == 'cluster':
            return run_cluster(args, extra, out)
        {'train': run_train, 'evaluate': run_evaluate, 'recommend': run_recommend, 'export': run_export,
         'compare': run_compare}[args.command](args, out)
    except OpenRecError as error:
        print(f'error: {error}', file=sys.stderr)
        return 2
    return 0
