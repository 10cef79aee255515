"""Training sampler of next-item examples from chronological histories, for sequential
recommenders such as RNNRec (Hidasi et al., "Session-based Recommendations with
Recurrent Neural Networks", ICLR 2016).

An example is one training target of a user's time-ordered sequence (an item after the
user's first) and the at most ``max_seq_len`` items before it, as in the original
OpenRec ``TemporalSampler``. Every target is visited once per epoch, each epoch in its
own seeded random order, so batch ``i`` depends only on the seed and ``i``.

Batch keys: ``user_id`` int32 ``[B]``, ``seq_item_id`` int32 ``[B, max_seq_len]`` (the
history, oldest first, left-aligned, padded with item 0), ``seq_len`` int32 ``[B]``
(its real length, >= 1) and ``label`` int32 ``[B]`` (the target: the item that followed
the history).
"""

from __future__ import annotations

from typing import Union

import numpy as np

from openrec2.utils.dataset import Dataset
from openrec2.utils.samplers.sampler import Batch
from openrec2.utils.samplers.sequence_targets import SequenceTargetSampler
from openrec2.utils.sequences import BehaviourSequences, leave_last_out


def history_batch(sequences: BehaviourSequences, users: np.ndarray, positions: np.ndarray,
                  max_seq_len: int) -> Batch:
    """The histories before (user, position) targets as model inputs.

    Args:
        sequences: The behaviour sequences.
        users: int array ``[n]`` of users.
        positions: int array ``[n]`` of target positions (the history ends before).
        max_seq_len: History length of the batch.

    Returns:
        ``{'user_id', 'seq_item_id', 'seq_len'}`` int32 arrays (see the module docstring).
    """
    history, length = sequences.histories(users, positions, max_seq_len)
    return {'user_id': np.asarray(users, dtype=np.int32), 'seq_item_id': history.astype(np.int32),
            'seq_len': length.astype(np.int32)}


def as_sequences(data: Union[BehaviourSequences, Dataset], num_held_out: int) -> BehaviourSequences:
    """``data`` itself, or the chronological sequences of a Dataset with timestamps.

    Args:
        data: Behaviour sequences, or a :class:`~openrec2.utils.Dataset` with a
            ``timestamp`` field (legacy scripts pass one).
        num_held_out: Interactions per user a Dataset's sequences hold out
            (:func:`~openrec2.utils.sequences.leave_last_out`).

    Returns:
        The :class:`BehaviourSequences`.
    """
    return leave_last_out(data, num_held_out) if isinstance(data, Dataset) else data


class TemporalSampler(SequenceTargetSampler):
    """Endless stream of (history, next item) batches.

    Args:
        dataset: :class:`BehaviourSequences` (their training part is sampled), or a
            :class:`~openrec2.utils.Dataset` with timestamps, all of whose interactions
            are then training behaviours.
        batch_size: Examples per batch.
        max_seq_len: History length (older behaviours are dropped).
        num_process: Worker threads; the stream does not depend on it.
        seed: Seed of the stream.
        prefetch: Batches made ahead.

    Raises:
        DTypeError: ``dataset`` is neither.
        DataError: A Dataset without timestamps, or no user with two training behaviours.
        SettingError: A bad size.
    """

    def __init__(self, dataset: Union[BehaviourSequences, Dataset], batch_size: int, max_seq_len: int = 50,
                 num_process: int = 1, seed: int = 100, prefetch: int = 8) -> None:
        super().__init__(as_sequences(dataset, num_held_out=0), batch_size, max_seq_len, num_process=num_process,
                         seed=seed, prefetch=prefetch, length_name='max_seq_len')

    @property
    def max_seq_len(self) -> int:
        """History length of the batches."""
        return self.max_seq_length

    def _make_batch(self, index: int, rng: np.random.Generator) -> Batch:
        users, positions = self._batch_targets(index)
        batch = history_batch(self.sequences, users, positions, self.max_seq_length)
        batch['label'] = self.sequences.items_at(users, positions).astype(np.int32)
        return batch
