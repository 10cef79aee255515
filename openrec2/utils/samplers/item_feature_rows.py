"""Item feature rows added to sampler batches, for models that take features as inputs.

Legacy OpenRec 0.2's VBPR read the features of a batch's items from placeholders
(``p_item_vfeature``, ``n_item_vfeature`` in training, ``item_vfeature`` in serving), so
its samplers delivered them. Every id key ``<role>_id`` of a batch gets the feature
rows ``<role>_vfeature`` of its ids; :func:`without_item_features` takes them off again
for models that hold the features in their graph (openrec2's VBPR, AMR, VisualBPR).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from openrec2.utils.item_features import load_item_features

#: Ending of the feature keys a batch gets (``'p_item_id'`` -> ``'p_item_vfeature'``).
FEATURE_SUFFIX = '_vfeature'


def read_only_item_features(item_vfeature, max_item: int, scope: str) -> np.ndarray:
    """The checked float32 ``[max_item, F]`` feature matrix, made read-only.

    Batches may share it (full-ranking batches hold the whole matrix), so no consumer
    can change the features another batch sees.

    Args:
        item_vfeature: ``[max_item, F]`` array-like or h5py dataset.
        max_item: Number of items.
        scope: Sampler name, for messages.

    Returns:
        A read-only float32 array.

    Raises:
        DTypeError / ShapeError / DataError: as :func:`~openrec2.utils.item_features.load_item_features`.
    """
    features = np.array(load_item_features(item_vfeature, max_item, scope, 'item_vfeature'), copy=True)
    features.setflags(write=False)
    return features


def with_item_features(batch: Mapping[str, np.ndarray], features: np.ndarray,
                       id_keys: Sequence[str]) -> dict[str, np.ndarray]:
    """The batch plus, for each of ``id_keys``, the feature rows of its ids.

    Args:
        batch: A sampler batch.
        features: ``[max_item, F]`` item features.
        id_keys: Keys of item ids in ``batch`` (``'p_item_id'``, ``'item_id'``, ...).

    Returns:
        A new dict: ``batch`` and ``<role>_vfeature`` float32 ``[..., F]`` per id key.
    """
    rows = {key[:-len('_id')] + FEATURE_SUFFIX: features[batch[key]] for key in id_keys}
    return {**batch, **rows}


def without_item_features(batch: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The batch without its ``*_vfeature`` keys, for models that hold features in their graph.

    ``Recommender.serve`` refuses keys that are no inputs of the model (a misspelt key is
    never ignored), so openrec2's VBPR serves ``without_item_features(batch)``; its
    ``train`` feeds only its inputs and takes the batch as it is.

    Args:
        batch: A batch of :class:`VBPRPairwiseSampler` or :class:`VBPREvaluationSampler`.

    Returns:
        A new dict with the id keys only.
    """
    return {key: value for key, value in batch.items() if not key.endswith(FEATURE_SUFFIX)}
