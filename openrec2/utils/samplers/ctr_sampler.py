"""Samplers of labelled CTR feature examples (:class:`~openrec2.utils.ctr_examples.CTRExamples`).

:class:`CTRSampler` is the training stream: the example rows in a fresh seeded order
every epoch, ``batch_size`` rows a batch (a batch may straddle two epochs), so batch
``i`` depends only on the seed and ``i`` and a resumed run continues the stream
exactly. :func:`labelled_ctr_sampler` wraps one split's rows for labelled evaluation
(AUC, LogLoss) by :class:`~openrec2.ModelTrainer`.
"""

from __future__ import annotations

import math

import numpy as np

from openrec2.errors import DataError, DTypeError, scoped
from openrec2.utils.ctr_examples import CTRExamples
from openrec2.utils.samplers.example_evaluation import LabelledEvaluationSampler
from openrec2.utils.samplers.sampler import Batch, Sampler, seeded_epoch_order, shuffled_pass_rows

#: Appended to ``[seed, epoch]`` so the epoch orders never share a stream with a batch.
_EPOCH_STREAM_TAG = 0xC7A


def _require_examples(examples: object, scope: str) -> CTRExamples:
    if not isinstance(examples, CTRExamples):
        raise DTypeError(scoped(scope, (
            f'examples must be CTRExamples, got {type(examples).__name__}; load them with '
            'openrec2.datasets.load_ml100k_ctr() or build CTRExamples(...) from your feature arrays.')))
    if len(examples) == 0:
        raise DataError(scoped(scope, f'{examples.name!r} has no example row.'))
    return examples


class CTRSampler(Sampler):
    """Endless stream of CTR feature batches in seeded shuffled epochs.

    Batches are ``{'dense_features': float32 [B, D], 'sparse_features': int32 [B, C],
    'label': float32 [B]}``.

    Args:
        examples: The training :class:`~openrec2.utils.ctr_examples.CTRExamples`.
        batch_size: Rows per batch.
        num_process: Worker threads; the stream does not depend on it.
        seed: Seed of the stream.
        prefetch: Batches made ahead.

    Raises:
        DTypeError: ``examples`` is not a :class:`CTRExamples`.
        DataError: There is no example row.
        SettingError: A bad ``batch_size`` / ``num_process`` / ``seed`` / ``prefetch``.
    """

    def __init__(self, examples: CTRExamples, batch_size: int, num_process: int = 1, seed: int = 100,
                 prefetch: int = 8) -> None:
        self.examples = _require_examples(examples, 'CTRSampler')
        super().__init__(examples.interactions, batch_size, num_process=num_process, seed=seed, prefetch=prefetch)

    @property
    def batches_per_epoch(self) -> int:
        """Batches that visit every example row once: ``ceil(rows / batch_size)``."""
        return max(1, math.ceil(len(self.examples) / self.batch_size))

    def _make_batch(self, index: int, rng: np.random.Generator) -> Batch:
        total = len(self.examples)
        rows = shuffled_pass_rows(index * self.batch_size, self.batch_size, total,
                                  lambda epoch: seeded_epoch_order(self.seed, epoch, total, _EPOCH_STREAM_TAG))
        return self.examples.inputs(rows)


def labelled_ctr_sampler(examples: CTRExamples, batch_size: int = 4096) -> LabelledEvaluationSampler:
    """Every row of a split, for labelled evaluation (AUC, LogLoss) of a CTR model.

    Args:
        examples: The split's :class:`~openrec2.utils.ctr_examples.CTRExamples`; the
            evaluation is named after the last part of its name (``'.../test'`` -> ``test``).
        batch_size: Rows per serving call.

    Returns:
        A :class:`~openrec2.utils.samplers.LabelledEvaluationSampler` over the rows.

    Raises:
        DTypeError: ``examples`` is not a :class:`CTRExamples`.
        DataError: There is no example row.
    """
    examples = _require_examples(examples, 'labelled_ctr_sampler')
    return LabelledEvaluationSampler(examples.inputs(), batch_size, name=examples.name)
