"""What the command line does with a finished run folder: evaluate it again, recommend, compare runs.

Each function starts from :func:`~openrec2.experiments.run_folder.rebuild_run` (the model
rebuilt on its split with its trained state) or from the ``metrics.json`` files, so the
commands ``evaluate``, ``recommend``, ``export`` and ``compare`` never retrain.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from openrec2.errors import UnknownOptionError, scoped
from openrec2.experiments.run_folder import RebuiltRun, read_metrics

_SCOPE = 'openrec2'


def evaluate_run(run: RebuiltRun) -> dict:
    """Evaluate a rebuilt run on its split as training's final evaluation did.

    Args:
        run: The :class:`~openrec2.experiments.run_folder.RebuiltRun`.

    Returns:
        ``{split: MetricResults}`` (validation, test, and the run's other evaluations).
    """
    from openrec2.experiments.experiment import evaluation_plan
    from openrec2.trainer.model_trainer import ModelTrainer
    plan, evaluators = evaluation_plan(run.spec, run.data, run.settings, final=True)
    return ModelTrainer(run.model, verbose=False, progress=False).evaluate(plan, evaluators)


def user_index(run: RebuiltRun, user: int, original: bool = True) -> int:
    """The model's 0-based index of a user.

    Args:
        run: The rebuilt run.
        user: The user's id in the dataset's own files (``original``), else the index.
        original: Whether ``user`` is the dataset's id (mapped through ``user_id_map``).

    Returns:
        The index.

    Raises:
        UnknownOptionError: No such user.
    """
    split = _ranking_split(run)
    if original and split.user_id_map is not None:
        found = np.flatnonzero(np.asarray(split.user_id_map) == user)
        if not found.size:
            raise UnknownOptionError(scoped(_SCOPE, f'{split.name} has no user {user} (its ids run from '
                                                    f'{np.min(split.user_id_map)} to {np.max(split.user_id_map)}); '
                                                    'pass --index to give a 0-based index instead.'))
        return int(found[0])
    if not 0 <= user < split.max_user:
        raise UnknownOptionError(scoped(_SCOPE, f'user index {user} is outside [0, {split.max_user}).'))
    return int(user)


def recommend_items(run: RebuiltRun, index: int, k: int = 10, include_seen: bool = False) -> list[dict]:
    """The top ``k`` items of one user, best first, without the items the user had in training.

    Args:
        run: The rebuilt run.
        index: The user's 0-based index (:func:`user_index`).
        k: Items to return.
        include_seen: Rank the user's training items too.

    Returns:
        One dict per item: ``rank``, ``item`` (index), ``item_id`` (the dataset's own id, or the
        index), ``score`` and ``title`` (None where the dataset has no titles).
    """
    split = _ranking_split(run)
    scores = run.model.serve_all_items(np.array([index], dtype=np.int32))[0].astype(np.float64)
    if not include_seen:
        scores[split.train.positive_items(index)] = -np.inf
    order = [item for item in np.argsort(-scores, kind='stable')[:k] if np.isfinite(scores[item])]
    titles = split.metadata.get('item_titles')
    ids = split.item_id_map
    return [dict(rank=rank, item=int(item), item_id=int(ids[item]) if ids is not None else int(item),
                 score=float(scores[item]), title=titles[item] if titles is not None else None)
            for rank, item in enumerate(order, start=1)]


def _ranking_split(run: RebuiltRun):
    """The interaction split of a run whose model ranks items for users."""
    if run.data.split is None or 'recommend' not in run.model.export_signatures():
        raise UnknownOptionError(scoped(_SCOPE, f'{run.spec.name} scores (history, item) examples, it does not rank '
                                                'all items for a user id; recommend needs an interaction model.'))
    return run.data.split


def compare_rows(run_dirs: Sequence[str], split: str = 'test', baseline: bool = True) -> tuple[list, list]:
    """Rows of a side-by-side table of finished runs' metrics on one split.

    Args:
        run_dirs: Run folders.
        split: The split to show.
        baseline: Add each distinct baseline (per dataset) as a row.

    Returns:
        ``(rows, keys)`` for :func:`~openrec2.trainer.console.metrics_table`: ``[(name,
        {metric: value}), ...]`` and the metric keys in the first run's order.

    Raises:
        DataError: A folder holds no finished run.
        UnknownOptionError: A run has no such split.
    """
    rows, keys, baselines = [], [], {}
    for run_dir in run_dirs:
        metrics = read_metrics(run_dir)
        if split not in metrics['results']:
            raise UnknownOptionError(scoped(_SCOPE, f'{run_dir}: no {split!r} metrics; it has '
                                                    f'{sorted(metrics["results"])}.'))
        values = metrics['results'][split]
        keys += [key for key in values if key not in keys and '/' not in key]
        rows.append((f'{metrics["model"]} ({run_dir})', values))
        if baseline and split in metrics['baseline']:
            baselines.setdefault((metrics['baseline_name'], metrics['dataset']), metrics['baseline'][split])
    rows += [(f'{name} ({dataset})', values) for (name, dataset), values in baselines.items()]
    return rows, keys

