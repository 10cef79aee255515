"""AttributeEmbedding: an item side-feature vector as the mean of the embeddings of its
attributes (categories, brand, genres), for models that concatenate side features to
item ids, such as DIEN (Zhou et al., "Deep Interest Evolution Network for Click-Through
Rate Prediction", AAAI 2019).
"""

from __future__ import annotations

from typing import Optional

import numpy as np
import tensorflow.compat.v1 as tf

from openrec2.errors import ShapeError, scoped
from openrec2.modules.array_initializer import array_initializer
from openrec2.modules.checks import require_dims, require_tensor
from openrec2.modules.extractions.extraction import Extraction


def padded_attribute_ids(features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Turn a multi-hot item x attribute matrix into padded attribute id lists.

    Args:
        features: ``[num_items, num_attributes]``; non-zero entries are attributes.

    Returns:
        ``(ids, counts)``: int32 ``[num_items, max_count]`` attribute ids (0 where
        padded) and int32 ``[num_items]`` attributes per item.
    """
    rows, columns = np.nonzero(np.asarray(features))
    counts = np.bincount(rows, minlength=features.shape[0])
    ids = np.zeros((features.shape[0], max(1, int(counts.max(initial=0)))), dtype=np.int32)
    ids[rows, np.arange(rows.size) - (np.cumsum(counts) - counts)[rows]] = columns
    return ids, counts.astype(np.int32)


class AttributeEmbedding(Extraction):
    """Mean attribute embedding of every item (zero for an item without attribute).

    Outputs: ``[table]`` of shape ``[num_items, embedding_size]``, or its rows at
    ``ids`` when given. The attribute lists are fixed (a non-trainable variable); the
    attribute embeddings are trained.

    Args:
        item_features: Multi-hot numpy ``[num_items, num_attributes]``.
        embedding_size: Width of the attribute embeddings.
        ids: Integer tensor of item ids to look up, or None for the whole table.
        l2_reg: L2 weight on the attribute embeddings.
        scope: Variable scope (default ``attribute_embedding``).
        reuse: Reuse flag.

    Raises:
        ShapeError: ``item_features`` is not 2-d or ``embedding_size`` not positive.
    """

    def __init__(self, item_features: np.ndarray, embedding_size: int, ids=None,
                 l2_reg: Optional[float] = None, scope: Optional[str] = None, reuse=False):
        name = scope or 'attribute_embedding'
        features = np.asarray(item_features)
        if features.ndim != 2 or min(features.shape) == 0:
            raise ShapeError(scoped(name, (
                f'item_features must be a non-empty 2-d multi-hot array [items, attributes], got {features.shape}.')))
        self._num_attributes = features.shape[1]
        self._attribute_ids, self._counts = padded_attribute_ids(features)
        self._embedding_size = require_dims([embedding_size], name, 'embedding_size')[0]
        self._ids = None if ids is None else require_tensor(ids, name, 'ids', integer=True)
        super().__init__(l2_reg=l2_reg, scope=scope, reuse=reuse)

    def _build_shared_graph(self) -> None:
        attribute_ids = tf.get_variable('attribute_ids', self._attribute_ids.shape, dtype=tf.int32, trainable=False,
                                        initializer=array_initializer(self._attribute_ids))
        counts = tf.get_variable('attribute_counts', self._counts.shape, dtype=tf.int32, trainable=False,
                                 initializer=array_initializer(self._counts))
        embedding = tf.get_variable('embedding', [self._num_attributes, self._embedding_size],
                                    initializer=tf.glorot_uniform_initializer())
        if self._ids is not None:  # average only the looked-up items' attributes
            attribute_ids, counts = tf.gather(attribute_ids, self._ids), tf.gather(counts, self._ids)
        self._outputs.append(_mean_embedding(embedding, attribute_ids, counts))
        self._add_l2([embedding])


def _mean_embedding(embedding: tf.Tensor, attribute_ids: tf.Tensor, counts: tf.Tensor) -> tf.Tensor:
    """Mean of the first ``counts`` embeddings of each padded id list ``[..., max_count]``."""
    real = tf.sequence_mask(counts, tf.shape(attribute_ids)[-1], dtype=tf.float32)
    summed = tf.reduce_sum(tf.gather(embedding, attribute_ids) * real[..., None], axis=-2)
    return summed / tf.maximum(tf.cast(counts, tf.float32), 1.0)[..., None]
