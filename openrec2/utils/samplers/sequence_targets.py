"""Base of the samplers that walk the training targets of behaviour sequences.

A training target is a (user, position) of a user's training sequence after the first
behaviour (:meth:`~openrec2.utils.sequences.BehaviourSequences.targets`); it is
predicted from the behaviours before it. The stream visits every target once per
epoch, each epoch in its own seeded random order, so batch ``i`` depends only on the
seed and ``i``. DIEN's :class:`~openrec2.utils.samplers.SequenceSampler` (a positive
and a negative row per target) and the next-item samplers
(:mod:`openrec2.utils.samplers.next_item`: one row per target) share this walk.
"""

from __future__ import annotations

import math
from typing import Union

import numpy as np

from openrec2.errors import DataError, DTypeError, SettingError, scoped
from openrec2.utils.dataset import Dataset
from openrec2.utils.samplers.sampler import Sampler, seeded_epoch_order, shuffled_pass_rows
from openrec2.utils.sequences import BehaviourSequences, leave_last_out
from openrec2.validation import check_int

#: Appended to ``[seed, epoch]`` so epoch orders never share a stream with a batch.
_EPOCH_STREAM_TAG = 0x5E0


def as_sequences(data: Union[BehaviourSequences, Dataset], num_held_out: int, scope: str) -> BehaviourSequences:
    """``data`` itself, or the chronological sequences of a Dataset with timestamps.

    Args:
        data: Behaviour sequences, or a :class:`~openrec2.utils.Dataset` with a
            ``timestamp`` field (legacy scripts pass one).
        num_held_out: Interactions per user a Dataset's sequences hold out
            (:func:`~openrec2.utils.sequences.leave_last_out`).
        scope: Who asks, for the message.

    Returns:
        The :class:`BehaviourSequences`.

    Raises:
        DTypeError: ``data`` is neither.
        DataError: A Dataset without timestamps.
    """
    if isinstance(data, Dataset):
        return leave_last_out(data, num_held_out)
    if not isinstance(data, BehaviourSequences):
        raise DTypeError(scoped(scope, (
            f'the data must be a BehaviourSequences (or a Dataset with timestamps), got {type(data).__name__}; build one '
            'with openrec2.datasets.sequences.load_ml100k_sequences(), load_beauty_sequences(), '
            'sequences_from_split() or openrec2.utils.sequences.leave_last_out().')))
    return data


class SequenceTargetSampler(Sampler):
    """Endless stream of training targets, :attr:`targets_per_batch` per batch.

    Subclasses set :attr:`rows_per_target` and turn the chosen targets into a batch in
    :meth:`_make_batch` with :meth:`_batch_targets`.

    Args:
        sequences: The behaviour sequences (their training part is sampled), or a
            :class:`~openrec2.utils.Dataset` with timestamps, all of whose interactions
            are then training behaviours.
        batch_size: Rows per batch (a multiple of :attr:`rows_per_target`).
        max_seq_length: History length of the batches (older behaviours dropped).
        num_process: Worker threads; the stream does not depend on it.
        seed: Seed of the stream.
        prefetch: Batches made ahead.
        length_name: Name of the history-length setting, for messages.

    Raises:
        DTypeError: ``sequences`` is neither.
        SettingError: A bad size, or a ``batch_size`` that is not a multiple of
            :attr:`rows_per_target`.
        DataError: No user has two training behaviours.
    """

    #: Batch rows made from one training target.
    rows_per_target = 1

    def __init__(self, sequences: Union[BehaviourSequences, Dataset], batch_size: int, max_seq_length: int,
                 num_process: int = 1, seed: int = 100, prefetch: int = 8,
                 length_name: str = 'max_seq_length') -> None:
        sequences = as_sequences(sequences, 0, type(self).__name__)
        super().__init__(sequences.train, batch_size, num_process=num_process, seed=seed, prefetch=prefetch)
        if self.batch_size % self.rows_per_target:
            raise SettingError(scoped(self.scope, (
                f'`batch_size` must be a multiple of {self.rows_per_target} (the rows made from one target), got '
                f'{self.batch_size}; pass an even batch_size.')))
        self.max_seq_length = check_int(max_seq_length, length_name, self.scope)
        self.sequences = sequences
        self._users, self._positions = sequences.targets('train')
        if self._users.size == 0:
            raise DataError(scoped(self.scope, (
                f'dataset {sequences.name!r} has no training target (no user has two training behaviours).')))

    @property
    def targets_per_batch(self) -> int:
        """Training targets in one batch."""
        return self.batch_size // self.rows_per_target

    @property
    def num_targets(self) -> int:
        """Training targets in one epoch."""
        return int(self._users.size)

    @property
    def batches_per_epoch(self) -> int:
        """Batches that cover every training target once."""
        return max(1, math.ceil(self.num_targets / self.targets_per_batch))

    def _batch_targets(self, index: int) -> tuple[np.ndarray, np.ndarray]:
        """``(users, positions)`` of the targets of batch ``index``."""
        per_batch = self.targets_per_batch
        chosen = shuffled_pass_rows(index * per_batch, per_batch, self.num_targets,
                                    lambda epoch: seeded_epoch_order(self.seed, epoch, self.num_targets, _EPOCH_STREAM_TAG))
        return self._users[chosen], self._positions[chosen]
