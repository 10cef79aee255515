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

from typing import Union

import numpy as np

from openrec2.errors import DataError, scoped
from openrec2.utils.dataset import Dataset, ImplicitDataset, make_interactions
from openrec2.utils.ragged import ragged_positions
from openrec2.utils.samplers.evaluation import EvaluationSampler
from openrec2.utils.samplers.sampler import Batch
from openrec2.utils.samplers.temporal_sampler import as_sequences, history_batch
from openrec2.utils.sequences import BehaviourSequences
from openrec2.validation import check_bool, check_choice, check_int


class TemporalEvaluationSampler(EvaluationSampler):
    """Users, histories and targets of one leave-last-out part, for full ranking.

    A full-ranking :class:`~openrec2.utils.samplers.EvaluationSampler` whose test items
    are the targets and whose excluded items are the histories; its batches add each
    user's history to the user ids.

    Args:
        dataset: :class:`BehaviourSequences`, or a :class:`~openrec2.utils.Dataset`
            with timestamps (each user's last interaction is then its test target).
        max_seq_len: History length fed to the model.
        part: ``'test'`` or ``'validation'``.
        batch_size: Users per batch.
        exclude_history: Remove the user's earlier items from the ranking (a user whose
            target is among them, a repeat, is then not evaluated).

    Raises:
        SettingError: A bad ``part`` or size.
        DataError: The part has no target (e.g. validation targets were not held out).
    """

    def __init__(self, dataset: Union[BehaviourSequences, Dataset], max_seq_len: int = 50, part: str = 'test',
                 batch_size: int = 1024, exclude_history: bool = True) -> None:
        scope = 'TemporalEvaluationSampler'
        self.part = check_choice(part, 'part', scope, ('validation', 'test'))
        self.max_seq_len = check_int(max_seq_len, 'max_seq_len', scope)
        self.exclude_history = check_bool(exclude_history, 'exclude_history', scope)
        self.sequences = as_sequences(dataset, num_held_out=1)
        users, positions = self.sequences.targets(part)
        if users.size == 0:
            raise DataError(scoped(scope, f'dataset {self.sequences.name!r} has no {part} target; load it with '
                                          'validation=True (or hold out two items) for validation.'))
        sizes = (self.sequences.max_user, self.sequences.max_item)
        targets = ImplicitDataset(make_interactions(users, self.sequences.items_at(users, positions)), *sizes,
                                  name=f'{self.sequences.name}/{part}')
        owners, offsets = ragged_positions(positions)  # every position before each target
        history = ImplicitDataset(make_interactions(users[owners], self.sequences.items_at(users[owners], offsets)),
                                  *sizes, name=f'{self.sequences.name}/{part} history')
        super().__init__(targets, batch_size, [history] if self.exclude_history else [])
        self.scope = scope
        self._position_of = np.zeros(self.max_user, dtype=np.int64)
        self._position_of[users] = positions

    def batch(self, index: int) -> Batch:
        """Batch number ``index`` of a pass (``0 <= index < num_batches``).

        Returns:
            ``{'user_id', 'seq_item_id', 'seq_len'}`` (see
            :mod:`openrec2.utils.samplers.temporal_sampler`).

        Raises:
            IndexError: ``index`` is out of range.
        """
        users = super().batch(index)['user_id']
        return history_batch(self.sequences, users, self._position_of[users], self.max_seq_len)

    def __repr__(self) -> str:
        return (f'TemporalEvaluationSampler(dataset={self.sequences.name!r}, part={self.part!r}, '
                f'users={self.users.size}, max_seq_len={self.max_seq_len})')
