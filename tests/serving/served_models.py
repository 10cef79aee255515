"""What the exports of the serving tests should return: top-K of served scores, seen-item masks, CTR batches."""

import numpy as np


def expected_top_k(scores, k, seen=None):
    """Top-``k`` item ids and scores of ``[B, N]`` scores, best first (ties: lower id first, as
    ``tf.nn.top_k``), with the ``seen`` ``[B, N]`` mask scored ``-inf``."""
    if seen is not None:
        scores = np.where(seen, -np.inf, scores)
    order = np.argsort(-scores, axis=1, kind='stable')[:, :k]
    return order, np.take_along_axis(scores, order, axis=1)


def seen_mask(dataset, users, num_items):
    """``[len(users), num_items]`` bool: the items each user has in ``dataset``."""
    items = np.arange(num_items)
    return dataset.contains(np.repeat(users, num_items), np.tile(items, len(users))).reshape(len(users), num_items)


def sequence_batch(model, rows=12, seed=0):
    """A random serving batch of a sequence (CTR) model."""
    rng = np.random.default_rng(seed)
    length = model.max_seq_length
    return {'item_id': rng.integers(0, model.max_item, rows).astype(np.int32),
            'item_seq': rng.integers(0, model.max_item, (rows, length)).astype(np.int32),
            'item_seq_len': rng.integers(1, length + 1, rows).astype(np.int32)}
