"""Leave-last-out, full-ranking evaluation of next-item recommenders that read the
history (RNNRec, Hidasi et al., ICLR 2016; the YouTube candidate generation models,
Covington, Adams and Sargin, RecSys 2016).

Each evaluated user's target is its held-out item of one part: the test target (its
last interaction) or the validation target (the one before). The model reads the at
most ``max_seq_len`` items before the target and scores every item; the target is
ranked among all items. By default every item the user had before the target (its
training items, and for the test the validation item) leaves the ranking, as
everywhere in openrec2's full ranking; ``exclude_history=False`` ranks them too.

The samplers have the full-ranking interface of
:class:`~openrec2.utils.samplers.EvaluationSampler` (``sampled = False``,
``test_items``, ``excluded_items``, ``max_item``), so
:func:`~openrec2.utils.evaluators.evaluate_with_scorer` and
:class:`~openrec2.ModelTrainer` evaluate them with ``model.serve``.
"""

from __future__ import annotations

from typing import Union

import numpy as np

from openrec2.errors import DataError, scoped
from openrec2.utils.dataset import Dataset, ImplicitDataset, make_interactions
from openrec2.utils.ragged import ragged_positions
from openrec2.utils.samplers.evaluation import EvaluationSampler
from openrec2.utils.samplers.next_item import YOUTUBE_KEYS, NextItemKeys, next_item_batch
from openrec2.utils.samplers.sampler import Batch
from openrec2.utils.samplers.sequence_targets import as_sequences
from openrec2.utils.sequences import BehaviourSequences
from openrec2.validation import check_bool, check_choice, check_int


class NextItemEvaluationSampler(EvaluationSampler):
    """Users, histories and targets of one leave-last-out part, for full ranking.

    A full-ranking :class:`~openrec2.utils.samplers.EvaluationSampler` whose test items
    are the targets and whose excluded items are the histories; its batches add each
    user's history (user, history and length arrays named by :attr:`keys`; no target:
    the model scores every item).

    Args:
        sequences: :class:`BehaviourSequences`, or a :class:`~openrec2.utils.Dataset`
            with timestamps (each user's last interaction is then its test target).
        part: ``'test'`` or ``'validation'``.
        max_seq_len: History length fed to the model.
        batch_size: Users per batch.
        exclude_history: Remove the user's earlier items from the ranking (a user whose
            target is among them, a repeat, is then not evaluated).

    Raises:
        DTypeError: ``sequences`` is neither.
        SettingError: A bad ``part`` or size.
        DataError: The part has no target (e.g. validation targets were not held out).
    """

    #: Names of the batch arrays.
    keys: NextItemKeys = YOUTUBE_KEYS

    def __init__(self, sequences: Union[BehaviourSequences, Dataset], part: str = 'test', max_seq_len: int = 20,
                 batch_size: int = 1024, exclude_history: bool = True) -> None:
        scope = type(self).__name__
        self.part = check_choice(part, 'part', scope, ('validation', 'test'))
        self.max_seq_len = check_int(max_seq_len, 'max_seq_len', scope)
        self.exclude_history = check_bool(exclude_history, 'exclude_history', scope)
        self.sequences = as_sequences(sequences, 1, scope)
        users, positions = self.sequences.targets(part)
        if users.size == 0:
            raise DataError(scoped(scope, f'dataset {self.sequences.name!r} has no {part} target; load it with '
                                          'validation=True (or hold out two items) for validation.'))
        name, sizes = self.sequences.name, (self.sequences.max_user, self.sequences.max_item)
        targets = ImplicitDataset(make_interactions(users, self.sequences.items_at(users, positions)), *sizes,
                                  name=f'{name}/{part}')
        owners, offsets = ragged_positions(positions)  # every position before each target
        history = ImplicitDataset(make_interactions(users[owners], self.sequences.items_at(users[owners], offsets)),
                                  *sizes, name=f'{name}/before-{part}')
        super().__init__(targets, batch_size, [history] if self.exclude_history else [])
        self.scope = scope
        # One target per user: the position of each evaluated user's target.
        self._target_position = np.zeros(self.max_user, dtype=np.int64)
        self._target_position[users] = positions

    def batch(self, index: int) -> Batch:
        """Batch number ``index`` of a pass: the users and the histories before their targets.

        Args:
            index: Batch number in ``[0, num_batches)``.

        Returns:
            int32 user, history and length arrays named by :attr:`keys`.

        Raises:
            IndexError: ``index`` is out of range.
        """
        users = super().batch(index)['user_id']
        return next_item_batch(self.sequences, users, self._target_position[users], self.max_seq_len, self.keys,
                               with_target=False)

    def __repr__(self) -> str:
        return (f'{self.scope}(dataset={self.sequences.name!r}, part={self.part!r}, users={self.users.size}, '
                f'batch_size={self.batch_size}, max_seq_len={self.max_seq_len})')
