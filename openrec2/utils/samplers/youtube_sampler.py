"""Training sampler of next-item examples for the YouTube candidate generation models
(Covington, Adams and Sargin, "Deep Neural Networks for YouTube Recommendations",
RecSys 2016).

Every training behaviour after a user's first is a target: the next item, predicted
from the (at most ``max_seq_len`` latest) behaviours before it, in time order. The
stream walks the targets epoch by epoch, each epoch in its own seeded random order
(the walk of :class:`~openrec2.utils.samplers.SequenceSampler`); batch ``i`` depends
only on the seed and ``i``. Negatives are no part of a batch: the models' sampled
softmax draws them in the graph.
"""

from __future__ import annotations

import numpy as np

from openrec2.utils.samplers.sampler import Batch
from openrec2.utils.samplers.sequence_sampler import SequenceSampler
from openrec2.utils.sequences import BehaviourSequences


def next_item_examples(sequences: BehaviourSequences, users: np.ndarray, positions: np.ndarray,
                       max_seq_len: int) -> Batch:
    """The rows predicting the item at each (user, position) from the history before it.

    Args:
        sequences: The behaviour sequences.
        users: int array ``[n]`` of users.
        positions: int array ``[n]`` of target positions.
        max_seq_len: History length ``L`` (older behaviours are dropped).

    Returns:
        ``{'user_id': int32 [n], 'item_seq': int32 [n, L]`` (oldest first, left-aligned,
        padded with item 0), ``'item_seq_len': int32 [n], 'item_id': int32 [n]}`` (the
        next item).
    """
    history, length = sequences.histories(users, positions, max_seq_len)
    return {'user_id': np.asarray(users, dtype=np.int32), 'item_seq': history.astype(np.int32),
            'item_seq_len': length.astype(np.int32),
            'item_id': sequences.items_at(users, positions).astype(np.int32)}


class YouTubeSampler(SequenceSampler):
    """Endless stream of next-item batches: ``batch_size`` targets with their histories.

    Keys: ``user_id``, ``item_seq``, ``item_seq_len``, ``item_id`` (see
    :func:`next_item_examples`). An epoch (:attr:`batches_per_epoch`) visits every
    training target once; a batch may span two epochs.

    Args:
        sequences: The behaviour sequences (their training part is sampled).
        batch_size: Targets per batch.
        max_seq_len: History length of the batches.
        num_process: Worker threads; the stream does not depend on it.
        seed: Seed of the stream.
        prefetch: Batches made ahead.

    Raises:
        DTypeError: ``sequences`` is not a :class:`BehaviourSequences`.
        SettingError: A bad size or seed.
        DataError: No user has two training behaviours.
    """

    rows_per_target = 1

    def __init__(self, sequences: BehaviourSequences, batch_size: int, max_seq_len: int = 20,
                 num_process: int = 1, seed: int = 100, prefetch: int = 8) -> None:
        super().__init__(sequences, batch_size, max_seq_length=max_seq_len, num_process=num_process, seed=seed,
                         prefetch=prefetch)

    def _check_targets(self) -> None:
        """Nothing to check: a target needs no negative."""

    @property
    def max_seq_len(self) -> int:
        """History length of the batches."""
        return self.max_seq_length

    def _examples(self, users: np.ndarray, positions: np.ndarray, rng: np.random.Generator) -> Batch:
        return next_item_examples(self.sequences, users, positions, self.max_seq_length)
