"""Training sampler of next-item examples from chronological histories, for sequential
recommenders such as RNNRec (Hidasi et al., "Session-based Recommendations with
Recurrent Neural Networks", ICLR 2016), as OpenRec's ``TemporalSampler``.

Batch keys (:data:`~openrec2.utils.samplers.next_item.TEMPORAL_KEYS`): ``user_id`` int32
``[B]``, ``seq_item_id`` int32 ``[B, max_seq_len]`` (the history, oldest first,
left-aligned, padded with item 0), ``seq_len`` int32 ``[B]`` (its real length, >= 1) and
``label`` int32 ``[B]`` (the item that followed the history).
"""

from __future__ import annotations

from typing import Union

from openrec2.utils.dataset import Dataset
from openrec2.utils.samplers.next_item import TEMPORAL_KEYS, NextItemSampler
from openrec2.utils.sequences import BehaviourSequences


class TemporalSampler(NextItemSampler):
    """Endless stream of (history, next item) batches keyed as OpenRec's TemporalSampler.

    Every training target is visited once per epoch, each epoch in its own seeded order.

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

    keys = TEMPORAL_KEYS

    def __init__(self, dataset: Union[BehaviourSequences, Dataset], batch_size: int, max_seq_len: int = 50,
                 num_process: int = 1, seed: int = 100, prefetch: int = 8) -> None:
        super().__init__(dataset, batch_size, max_seq_len, num_process=num_process, seed=seed, prefetch=prefetch,
                         length_name='max_seq_len')
