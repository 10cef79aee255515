"""Training sampler of next-item examples for the YouTube candidate generation models
(Covington, Adams and Sargin, "Deep Neural Networks for YouTube Recommendations",
RecSys 2016), as OpenRec's ``YouTubeSampler``.

Batch keys (:data:`~openrec2.utils.samplers.next_item.YOUTUBE_KEYS`): ``user_id``,
``item_seq`` (the at most ``max_seq_len`` latest behaviours before the target, oldest
first, padded with item 0), ``item_seq_len`` and ``item_id`` (the next item).
"""

from __future__ import annotations

from typing import Union

from openrec2.utils.dataset import Dataset
from openrec2.utils.samplers.next_item import YOUTUBE_KEYS, NextItemSampler
from openrec2.utils.sequences import BehaviourSequences


class YouTubeSampler(NextItemSampler):
    """Endless stream of next-item batches: ``batch_size`` targets with their histories.

    An epoch (:attr:`batches_per_epoch`) visits every training target once, in its own
    seeded order; a batch may span two epochs.

    Args:
        sequences: The behaviour sequences (their training part is sampled), or a
            :class:`~openrec2.utils.Dataset` with timestamps.
        batch_size: Targets per batch.
        max_seq_len: History length of the batches.
        num_process: Worker threads; the stream does not depend on it.
        seed: Seed of the stream.
        prefetch: Batches made ahead.

    Raises:
        DTypeError: ``sequences`` is neither.
        SettingError: A bad size or seed.
        DataError: No user has two training behaviours.
    """

    keys = YOUTUBE_KEYS

    def __init__(self, sequences: Union[BehaviourSequences, Dataset], batch_size: int, max_seq_len: int = 20,
                 num_process: int = 1, seed: int = 100, prefetch: int = 8) -> None:
        super().__init__(sequences, batch_size, max_seq_len, num_process=num_process, seed=seed, prefetch=prefetch,
                         length_name='max_seq_len')
