"""Evaluation sampler: the users (and in sampled mode the candidate items) to score.

An :class:`EvaluationSampler` describes one evaluation split: the split whose items are
the test positives (``dataset``) and the splits whose items are excluded from the
ranking (``excluded_datasets``, e.g. ``[train]`` for validation, ``[train, valid]`` for
test). It yields the batches a model scores and exposes the per-user item lists that
:func:`~openrec2.utils.evaluators.evaluate` / ``evaluate_sampled`` need;
:func:`~openrec2.utils.evaluators.evaluate_with_scorer` ties both together.

Rows of every item list are user ids (``max_user`` rows). A user is evaluated when at
least one of its test items is not excluded (:attr:`EvaluationSampler.users`).

* Full ranking (``num_negatives=None``): batches ``{'user_id': int32[B]}`` of up to
  ``batch_size`` evaluated users; the model scores every item for them.
* Sampled ranking (``num_negatives=n``): every evaluated user gets a fixed set of ``n``
  distinct negatives, drawn once at construction from all item ids (the last one
  included) minus every item the user has in ``dataset`` and ``excluded_datasets``,
  with ``np.random.default_rng(seed)`` — the same seed gives the same sets. A user with
  fewer than ``n`` such items gets all of them. Batches cover up to ``batch_size``
  users: ``{'user_id': int32[M], 'item_id': int32[M]}`` lists each user's candidates
  (test positives and negatives, by item id), user after user.

Batches come straight from precomputed arrays (no worker threads are needed). The
sampler is an iterator over one pass: ``for batch in sampler`` always runs a complete,
fresh pass; ``next_batch()`` continues the current pass and raises ``StopIteration``
at its end, after which the next call starts a new pass.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any, Optional, Union

import numpy as np

from openrec2.errors import DataError, DTypeError, scoped
from openrec2.utils.dataset import Dataset
from openrec2.utils.item_lists import ItemLists, keys_contain
from openrec2.utils.samplers.negatives import known_items, sample_negatives
from openrec2.validation import check_int

Batch = dict[str, np.ndarray]


class EvaluationSampler:
    """Batches and item lists of one evaluation split.

    Args:
        dataset: Split to evaluate (its items are the test positives). The legacy order
            ``EvaluationSampler(batch_size, dataset)`` is accepted too.
        batch_size: Users per batch.
        excluded_datasets: Split(s) whose items each user already has; they are removed
            from the ranking (a test item among them is not a positive).
        num_negatives: ``None`` for full ranking, else the number of fixed sampled
            negatives per user.
        seed: Seed of the sampled negatives.

    Raises:
        DTypeError: ``dataset`` or an excluded dataset is not a Dataset.
        SettingError: ``batch_size`` / ``num_negatives`` not a positive int, or a
            negative ``seed``.
        DataError: The datasets disagree on ``max_user`` / ``max_item``.
    """

    def __init__(self, dataset: Dataset, batch_size: int,
                 excluded_datasets: Union[Dataset, Sequence[Dataset]] = (),
                 num_negatives: Optional[int] = None, seed: int = 100) -> None:
        if isinstance(dataset, numbers.Integral) and isinstance(batch_size, Dataset):
            dataset, batch_size = batch_size, dataset  # legacy order (batch_size, dataset)
        self.scope = type(self).__name__
        excluded_datasets = [excluded_datasets] if isinstance(excluded_datasets, Dataset) \
            else list(excluded_datasets)
        self._check_arguments(dataset, batch_size, excluded_datasets, num_negatives, seed)
        self.dataset = dataset
        self.excluded_datasets = excluded_datasets
        self.batch_size = int(batch_size)
        self.num_negatives = None if num_negatives is None else int(num_negatives)
        self.seed = int(seed)
        self.max_user = dataset.max_user
        self.max_item = dataset.max_item

        # Every list below is an ItemLists over user rows: the datasets' own positive
        # indexes are used as they are, without conversion.
        self.test_items = dataset.positives
        self.excluded_items = ItemLists.empty(self.max_user, self.max_item, name='excluded_items')
        for excluded in excluded_datasets:
            self.excluded_items = self.excluded_items.union(excluded.positives)
        self.positive_items = self.test_items.difference(self.excluded_items)
        self.users = np.flatnonzero(self.positive_items.lengths > 0).astype(np.int32)

        self.negative_items: Optional[ItemLists] = None
        self.candidate_items: Optional[ItemLists] = None
        if self.sampled:
            known = self.test_items.union(self.excluded_items)
            self.negative_items = draw_fixed_negatives(np.random.default_rng(self.seed), self.users,
                                                       known, self.num_negatives)
            self.candidate_items = self.positive_items.union(self.negative_items)
        self._next_index = 0

    def _check_arguments(self, dataset: Any, batch_size: Any, excluded_datasets: list,
                         num_negatives: Any, seed: Any) -> None:
        for position, candidate in enumerate([dataset] + excluded_datasets):
            if not isinstance(candidate, Dataset):
                what = 'dataset' if position == 0 else f'excluded_datasets[{position - 1}]'
                raise DTypeError(scoped(self.scope, f'{what} must be an openrec2.utils.Dataset, got '
                                        f'{type(candidate).__name__}.'))
            if (candidate.max_user, candidate.max_item) != (dataset.max_user, dataset.max_item):
                raise DataError(scoped(self.scope, (
                    f'dataset {candidate.name!r} has max_user={candidate.max_user}, max_item={candidate.max_item} '
                    f'but {dataset.name!r} has {dataset.max_user}, {dataset.max_item}; build all splits with '
                    'the same id ranges.')))
        check_int(batch_size, 'batch_size', self.scope)
        check_int(seed, 'seed', self.scope, minimum=0)
        check_int(num_negatives, 'num_negatives', self.scope, allow_none=True)

    # ------------------------------------------------------------------ properties
    @property
    def sampled(self) -> bool:
        """Whether this is sampled-negative evaluation (else full ranking)."""
        return self.num_negatives is not None

    @property
    def num_batches(self) -> int:
        """Batches in one pass."""
        return math.ceil(self.users.size / self.batch_size)

    def __len__(self) -> int:
        return self.num_batches

    # ------------------------------------------------------------------ batches
    def batch(self, index: int) -> Batch:
        """Batch number ``index`` of a pass.

        Args:
            index: Batch number in ``[0, num_batches)``.

        Returns:
            ``{'user_id': int32[B]}`` (full) or ``{'user_id': int32[M], 'item_id': int32[M]}``
            (sampled).

        Raises:
            IndexError: ``index`` is out of range.
        """
        if not 0 <= index < self.num_batches:
            raise IndexError(f'{self.scope}: batch {index} out of range [0, {self.num_batches}).')
        users = self.users[index * self.batch_size:(index + 1) * self.batch_size]
        if not self.sampled:
            return {'user_id': users.copy()}
        positions, items = self.candidate_items.take(users)
        return {'user_id': users[positions], 'item_id': items.astype(np.int32)}

    def next_batch(self) -> Batch:
        """The next batch of the current pass.

        Returns:
            The batch dict.

        Raises:
            StopIteration: The pass is over (the next call starts a new one).
        """
        if self._next_index >= self.num_batches:
            self._next_index = 0
            raise StopIteration
        self._next_index += 1
        return self.batch(self._next_index - 1)

    def __next__(self) -> Batch:
        return self.next_batch()

    def __iter__(self) -> 'EvaluationSampler':
        self._next_index = 0
        return self

    def close(self) -> None:
        """Nothing to stop (no worker threads); kept for the sampler interface."""

    def __enter__(self) -> 'EvaluationSampler':
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        mode = 'full' if not self.sampled else f'{self.num_negatives} sampled negatives'
        return (f'EvaluationSampler(dataset={self.dataset.name!r}, users={self.users.size}, '
                f'batch_size={self.batch_size}, {mode})')


def draw_fixed_negatives(rng: np.random.Generator, users: np.ndarray, known: Union[Dataset, ItemLists],
                         num_negatives: int) -> ItemLists:
    """Draw ``num_negatives`` distinct negatives per user, uniformly among non-known items.

    Rounds of uniform draws (all item ids, rejection of known items by
    :func:`~openrec2.utils.samplers.negatives.sample_negatives`) keep the items not drawn
    before until each user has its count; the process treats all allowed items alike, so
    the final set is a uniform random subset. Users who need more than half of their
    allowed items are served exactly from their complement instead (repeats would make
    rejection slow).

    Args:
        rng: Generator (seeded by the caller).
        users: Users to draw for.
        known: Each user's known items: per-user :class:`ItemLists` (with
            ``num_items``) or a Dataset (its positives).
        num_negatives: Negatives wanted per user.

    Returns:
        :class:`ItemLists` with one row per row of ``known`` (empty for other users).
    """
    known = known_items(known)
    users = np.unique(np.asarray(users, dtype=np.int64))
    max_item = known.num_items
    allowed = max_item - known.lengths[users]
    wanted = np.minimum(num_negatives, allowed)
    exact = wanted * 2 > allowed
    drawn_users, drawn_items = [], []
    for user, count in zip(users[exact].tolist(), wanted[exact].tolist()):
        complement = np.setdiff1d(np.arange(max_item), known[user], assume_unique=True)
        drawn_items.append(rng.choice(complement, size=count, replace=False))
        drawn_users.append(np.full(count, user, dtype=np.int64))
    accepted = np.zeros(0, dtype=np.int64)  # sorted keys user * max_item + item
    pending, deficit = users[~exact], wanted[~exact]
    while pending.size:
        round_users = np.repeat(pending, deficit)
        keys = round_users * max_item + sample_negatives(rng, round_users, known)
        fresh = np.unique(keys)
        fresh = fresh[~keys_contain(accepted, fresh)]
        accepted = np.union1d(accepted, fresh)
        # A user drew exactly its deficit, so its fresh items never exceed it.
        deficit = deficit - np.bincount(np.searchsorted(pending, fresh // max_item), minlength=pending.size)
        pending, deficit = pending[deficit > 0], deficit[deficit > 0]
    drawn_users.append(accepted // max_item)
    drawn_items.append(accepted % max_item)
    return ItemLists.from_pairs(np.concatenate(drawn_users), np.concatenate(drawn_items), len(known),
                                num_items=max_item, name='negative_items')
