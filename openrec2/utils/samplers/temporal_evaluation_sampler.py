"""Leave-last-out, full-ranking evaluation of next-item recommenders on chronological
histories (the evaluation of RNNRec; Hidasi et al., "Session-based Recommendations with
Recurrent Neural Networks", ICLR 2016).

Each evaluated user's target is its held-out item of one part: the test target (its
last interaction) or the validation target (the one before). The model reads the at
most ``max_seq_len`` items before the target and scores every item; the target is
ranked among all items. By default the items the user had before the target (its whole
history: training items, and for the test the validation item) leave the ranking, as
everywhere in openrec2's full ranking; ``exclude_history=False`` ranks them too.

Batches: ``{'user_id', 'seq_item_id', 'seq_len'}`` (see
:mod:`openrec2.utils.samplers.temporal_sampler`) of up to ``batch_size`` users. The
sampler has the full-ranking interface of
:class:`~openrec2.utils.samplers.EvaluationSampler` (``sampled = False``, ``test_items``,
``excluded_items``, ``max_item``), so :func:`~openrec2.utils.evaluators.evaluate_with_scorer`
and :class:`~openrec2.ModelTrainer` evaluate it with ``model.serve``.
"""

from __future__ import annotations

import math
from typing import Any, Union

import numpy as np

from openrec2.errors import DataError, scoped
from openrec2.utils.dataset import Dataset
from openrec2.utils.item_lists import ItemLists
from openrec2.utils.ragged import ragged_positions
from openrec2.utils.samplers.sampler import Batch
from openrec2.utils.samplers.temporal_sampler import as_sequences, history_batch
from openrec2.utils.sequences import BehaviourSequences
from openrec2.validation import check_bool, check_choice, check_int


class TemporalEvaluationSampler:
    """Users, histories and targets of one leave-last-out part, for full ranking.

    Args:
        dataset: :class:`BehaviourSequences`, or a :class:`~openrec2.utils.Dataset`
            with timestamps (each user's last interaction is then its test target).
        max_seq_len: History length fed to the model.
        part: ``'test'`` or ``'validation'``.
        batch_size: Users per batch.
        exclude_history: Remove the user's earlier items from the ranking.

    Raises:
        SettingError: A bad ``part`` or size.
        DataError: The part has no target (e.g. validation targets were not held out).
    """

    sampled = False

    def __init__(self, dataset: Union[BehaviourSequences, Dataset], max_seq_len: int = 50, part: str = 'test',
                 batch_size: int = 1024, exclude_history: bool = True) -> None:
        self.scope = 'TemporalEvaluationSampler'
        self.part = check_choice(part, 'part', self.scope, ('validation', 'test'))
        self.max_seq_len = check_int(max_seq_len, 'max_seq_len', self.scope)
        self.batch_size = check_int(batch_size, 'batch_size', self.scope)
        self.exclude_history = check_bool(exclude_history, 'exclude_history', self.scope)
        self.sequences = as_sequences(dataset, num_held_out=1)
        users, self._positions = self.sequences.targets(part)
        if users.size == 0:
            raise DataError(scoped(self.scope, f'dataset {self.sequences.name!r} has no {part} target; load it '
                                               'with validation=True (or hold out two items) for validation.'))
        self.users = users.astype(np.int32)
        self.name = part
        self.max_user, self.max_item = self.sequences.max_user, self.sequences.max_item
        targets = self.sequences.items_at(users, self._positions)
        self.test_items = ItemLists.from_pairs(users, targets, self.max_user, num_items=self.max_item,
                                               name='test_items')
        self.excluded_items = self._history_items(users) if self.exclude_history else \
            ItemLists.empty(self.max_user, self.max_item, name='excluded_items')
        self.positive_items = self.test_items.difference(self.excluded_items)

    def _history_items(self, users: np.ndarray) -> ItemLists:
        """Every item each user had before its target."""
        owners, offsets = ragged_positions(self._positions)
        items = self.sequences.items_at(users[owners], offsets)
        return ItemLists.from_pairs(users[owners], items, self.max_user, num_items=self.max_item,
                                    name='excluded_items')

    @property
    def num_batches(self) -> int:
        """Batches in one pass."""
        return math.ceil(self.users.size / self.batch_size)

    def __len__(self) -> int:
        return self.num_batches

    def batch(self, index: int) -> Batch:
        """Batch number ``index`` of a pass (``0 <= index < num_batches``).

        Raises:
            IndexError: ``index`` is out of range.
        """
        if not 0 <= index < self.num_batches:
            raise IndexError(f'{self.scope}: batch {index} out of range [0, {self.num_batches}).')
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return history_batch(self.sequences, self.users[rows], self._positions[rows], self.max_seq_len)

    def __iter__(self):
        for index in range(self.num_batches):
            yield self.batch(index)

    def close(self) -> None:
        """Nothing to stop (no worker threads); kept for the sampler interface."""

    def __enter__(self) -> 'TemporalEvaluationSampler':
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return (f'TemporalEvaluationSampler(dataset={self.sequences.name!r}, part={self.part!r}, '
                f'users={self.users.size}, max_seq_len={self.max_seq_len})')
