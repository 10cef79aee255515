"""Base of the samplers that walk the training targets of behaviour sequences.

A training target is a (user, position) of a user's training sequence after the first
behaviour (:meth:`~openrec2.utils.sequences.BehaviourSequences.targets`); it is
predicted from the behaviours before it. The stream visits every target once per
epoch, each epoch in its own seeded random order, so batch ``i`` depends only on the
seed and ``i``.
"""

from __future__ import annotations

import math

import numpy as np

from openrec2.errors import DataError, DTypeError, scoped
from openrec2.utils.samplers.sampler import Sampler, seeded_epoch_order, shuffled_pass_rows
from openrec2.utils.sequences import BehaviourSequences
from openrec2.validation import check_int

#: Appended to ``[seed, epoch]`` so epoch orders never share a stream with a batch.
_EPOCH_STREAM_TAG = 0x5E0


class SequenceTargetSampler(Sampler):
    """Endless stream of training targets, :attr:`targets_per_batch` per batch.

    Subclasses turn the chosen targets into a batch in :meth:`_make_batch` with
    :meth:`_batch_targets`.

    Args:
        sequences: The behaviour sequences (their training part is sampled).
        batch_size: Rows per batch.
        max_seq_length: History length of the batches (older behaviours dropped).
        num_process: Worker threads; the stream does not depend on it.
        seed: Seed of the stream.
        prefetch: Batches made ahead.
        length_name: Name of the history-length setting, for messages.

    Raises:
        DTypeError: ``sequences`` is not a :class:`BehaviourSequences`.
        SettingError: A bad size.
        DataError: No user has two training behaviours.
    """

    def __init__(self, sequences: BehaviourSequences, batch_size: int, max_seq_length: int,
                 num_process: int = 1, seed: int = 100, prefetch: int = 8,
                 length_name: str = 'max_seq_length') -> None:
        if not isinstance(sequences, BehaviourSequences):
            raise DTypeError(scoped(type(self).__name__, (
                f'sequences must be a BehaviourSequences, got {type(sequences).__name__}; build it with '
                'openrec2.datasets.sequences.load_ml100k_sequences(), sequences_from_split() or '
                'openrec2.utils.sequences.leave_last_out().')))
        super().__init__(sequences.train, batch_size, num_process=num_process, seed=seed, prefetch=prefetch)
        self.max_seq_length = check_int(max_seq_length, length_name, self.scope)
        self.sequences = sequences
        self._users, self._positions = sequences.targets('train')
        if self._users.size == 0:
            raise DataError(scoped(self.scope, (
                f'dataset {sequences.name!r} has no training target (no user has two training behaviours).')))

    @property
    def targets_per_batch(self) -> int:
        """Training targets in one batch (all rows by default)."""
        return self.batch_size

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
