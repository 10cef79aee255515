"""VBPR evaluation sampler: evaluation batches with the features of the items to score
(He and McAuley, "VBPR: Visual Bayesian Personalized Ranking from Implicit Feedback",
AAAI 2016).

Legacy OpenRec 0.2's ``VBPREvaluationSampler`` listed, user after user, every item to
score with its feature row. Here the users, candidates and item lists are exactly
:class:`~openrec2.utils.samplers.EvaluationSampler`'s; each batch adds
``item_vfeature``: the rows of its ``item_id`` candidates (sampled ranking), or the whole
``[max_item, F]`` matrix, row ``j`` for item ``j`` (full ranking, where every item is
scored; the batches share one read-only array).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Optional, Union

from openrec2.utils.dataset import Dataset
from openrec2.utils.samplers.evaluation import Batch, EvaluationSampler
from openrec2.utils.samplers.item_feature_rows import FEATURE_SUFFIX, read_only_item_features, with_item_features


class VBPREvaluationSampler(EvaluationSampler):
    """An :class:`EvaluationSampler` whose batches also hold ``item_vfeature``.

    A model that takes item features as inputs scores the batches as they are; one that
    holds them in its graph, as openrec2's :class:`~openrec2.recommenders.VBPR` does,
    scores ``without_item_features(batch)``
    (:func:`~openrec2.utils.samplers.without_item_features`) and gets the results of the
    plain sampler.

    Args:
        dataset: Split to evaluate (legacy order ``(batch_size, dataset, item_vfeature)``
            accepted).
        batch_size: Users per batch.
        item_vfeature: ``[max_item, F]`` item features (numpy array or h5py dataset).
        excluded_datasets: Split(s) whose items are removed from the ranking.
        num_negatives: ``None`` for full ranking, else fixed sampled negatives per user.
        seed: Seed of the sampled negatives.

    Raises:
        DTypeError / ShapeError / DataError: ``item_vfeature`` is not a finite
            ``[max_item, F]`` matrix of numbers.
        DTypeError / SettingError / DataError: as :class:`EvaluationSampler`.
    """

    def __init__(self, dataset: Dataset, batch_size: int, item_vfeature,
                 excluded_datasets: Union[Dataset, Sequence[Dataset]] = (),
                 num_negatives: Optional[int] = None, seed: int = 100) -> None:
        super().__init__(dataset, batch_size, excluded_datasets=excluded_datasets, num_negatives=num_negatives,
                         seed=seed)
        self.item_vfeature = read_only_item_features(item_vfeature, self.max_item, self.scope)

    def batch(self, index: int) -> Batch:
        """Batch number ``index`` of a pass, with ``item_vfeature``.

        Args:
            index: Batch number in ``[0, num_batches)``.

        Returns:
            The :class:`EvaluationSampler` batch plus ``item_vfeature`` (float32
            ``[M, F]`` rows of ``item_id`` when sampled, the ``[max_item, F]`` matrix for
            full ranking).

        Raises:
            IndexError: ``index`` is out of range.
        """
        batch = super().batch(index)
        if self.sampled:
            return with_item_features(batch, self.item_vfeature, ('item_id',))
        return {**batch, 'item' + FEATURE_SUFFIX: self.item_vfeature}
