"""Training sampler of behaviour-sequence CTR examples for DIEN (Zhou et al., "Deep
Interest Evolution Network for Click-Through Rate Prediction", AAAI 2019).

Every training behaviour after a user's first is a positive target predicted from the
behaviours before it; each positive comes with one sampled negative target and a
negative-behaviour sequence (see :mod:`.sequence_examples`). The stream walks the
positives epoch by epoch, each epoch in its own seeded random order.
"""

from __future__ import annotations

import math

import numpy as np

from openrec2.errors import DataError, DTypeError, UnknownOptionError, scoped
from openrec2.utils.samplers.negatives import check_negatives_exist
from openrec2.utils.samplers.sampler import Batch, Sampler, seeded_epoch_order, shuffled_pass_rows
from openrec2.utils.samplers.sequence_examples import check_positive_int, sequence_examples
from openrec2.utils.sequences import BehaviourSequences

#: Appended to ``[seed, epoch]`` so epoch orders never share a stream with a batch.
_EPOCH_STREAM_TAG = 0x5E0


class SequenceSampler(Sampler):
    """Endless stream of labelled behaviour-sequence batches.

    A batch holds ``batch_size // 2`` positive targets (rows first) and as many negative
    targets with the same histories (rows after), keyed ``user_id``, ``item_seq``,
    ``item_seq_len``, ``neg_item_seq``, ``item_id``, ``label`` (see
    :mod:`openrec2.utils.samplers.sequence_examples`). Negatives avoid the user's
    training items. Positives are taken in a fresh seeded order every epoch (an epoch is
    :attr:`batches_per_epoch` batches; a batch may span two epochs).

    Args:
        sequences: The behaviour sequences (their training part is sampled).
        batch_size: Rows per batch (even: half positives, half negatives).
        max_seq_length: History length of the batches (older behaviours dropped).
        num_process: Worker threads; the stream does not depend on it.
        seed: Seed of the stream.
        prefetch: Batches made ahead.

    Raises:
        DTypeError: ``sequences`` is not a :class:`BehaviourSequences`.
        UnknownOptionError: An odd or non-positive ``batch_size`` or a bad size.
        DataError: No user has two training behaviours, or a user has every item.
    """

    def __init__(self, sequences: BehaviourSequences, batch_size: int, max_seq_length: int = 50,
                 num_process: int = 1, seed: int = 100, prefetch: int = 8) -> None:
        if not isinstance(sequences, BehaviourSequences):
            raise DTypeError(scoped('SequenceSampler', (
                f'sequences must be a BehaviourSequences, got {type(sequences).__name__}; build it with '
                'openrec2.datasets.sequences.load_beauty_sequences() or sequences_from_split().')))
        super().__init__(sequences.train, batch_size, num_process=num_process, seed=seed, prefetch=prefetch)
        if self.batch_size % self.rows_per_target:  # only SequenceSampler's two rows per target
            raise UnknownOptionError(scoped(self.scope, (
                f'batch_size must be even (one negative per positive), got {self.batch_size}.')))
        self.max_seq_length = check_positive_int(max_seq_length, 'max_seq_length', self.scope)
        self.sequences = sequences
        self._users, self._positions = sequences.targets('train')
        if self._users.size == 0:
            raise DataError(scoped(self.scope, (
                f'dataset {sequences.name!r} has no training target (no user has two training behaviours).')))
        self._check_targets()

    #: Batch rows made from one training target (here the positive and its negative).
    rows_per_target = 2

    def _check_targets(self) -> None:
        """Fail early when a target's examples cannot be made (a user with every item has no negative)."""
        check_negatives_exist(self.sequences.train, np.unique(self._users), self.scope)

    @property
    def num_targets(self) -> int:
        """Positive training targets in one epoch."""
        return int(self._users.size)

    @property
    def batches_per_epoch(self) -> int:
        """Batches that cover every positive target once."""
        return max(1, math.ceil(self.num_targets / (self.batch_size // self.rows_per_target)))

    def _make_batch(self, index: int, rng: np.random.Generator) -> Batch:
        per_batch = self.batch_size // self.rows_per_target
        chosen = shuffled_pass_rows(index * per_batch, per_batch, self.num_targets,
                                    lambda epoch: seeded_epoch_order(self.seed, epoch, self.num_targets, _EPOCH_STREAM_TAG))
        return self._examples(self._users[chosen], self._positions[chosen], rng)

    def _examples(self, users: np.ndarray, positions: np.ndarray, rng: np.random.Generator) -> Batch:
        """The batch rows of the targets at (user, position): positives, then their negatives."""
        return sequence_examples(self.sequences, users, positions, self.max_seq_length, rng, self.sequences.train)
