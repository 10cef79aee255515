"""Training sampler of behaviour-sequence CTR examples for DIEN (Zhou et al., "Deep
Interest Evolution Network for Click-Through Rate Prediction", AAAI 2019).

Every training behaviour after a user's first is a positive target predicted from the
behaviours before it; each positive comes with one sampled negative target and a
negative-behaviour sequence (see :mod:`.sequence_examples`). The stream walks the
positives epoch by epoch, each epoch in its own seeded random order.
"""

from __future__ import annotations

import numpy as np

from openrec2.utils.samplers.negatives import check_negatives_exist
from openrec2.utils.samplers.sampler import Batch
from openrec2.utils.samplers.sequence_examples import sequence_examples
from openrec2.utils.samplers.sequence_targets import SequenceTargetSampler
from openrec2.utils.sequences import BehaviourSequences


class SequenceSampler(SequenceTargetSampler):
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
        SettingError: An odd or non-positive ``batch_size`` or a bad size.
        DataError: No user has two training behaviours, or a user has every item.
    """

    #: A positive row and its negative row per target.
    rows_per_target = 2

    def __init__(self, sequences: BehaviourSequences, batch_size: int, max_seq_length: int = 50,
                 num_process: int = 1, seed: int = 100, prefetch: int = 8) -> None:
        super().__init__(sequences, batch_size, max_seq_length, num_process=num_process, seed=seed,
                         prefetch=prefetch)
        check_negatives_exist(self.sequences.train, np.unique(self._users), self.scope)

    def _make_batch(self, index: int, rng: np.random.Generator) -> Batch:
        users, positions = self._batch_targets(index)
        return sequence_examples(self.sequences, users, positions, self.max_seq_length, rng, self.sequences.train)
