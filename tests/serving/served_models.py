"""What the exports of the serving tests should return: top-K of served scores, seen-item masks,
the serving batches of CTR and next-item models."""

import numpy as np

from openrec2.experiments.experiment import NEXT_ITEM_EVALUATION
from openrec2.utils import samplers


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


def history_mask(batch, history_inputs, num_items):
    """``[B, num_items]`` bool: the items among the first ``length`` entries of each row's history."""
    history, length = (batch[name] for name in history_inputs)
    mask = np.zeros((len(history), num_items), dtype=bool)
    for row, (items, count) in enumerate(zip(history, length)):
        mask[row, items[:count]] = True
    return mask


def next_item_batch(model, data):
    """The first test batch of a next-item model's own evaluation sampler (users and histories)."""
    evaluation = getattr(samplers, NEXT_ITEM_EVALUATION[model.training_sampler])
    return evaluation(data.sequences, max_seq_len=model.max_seq_len, part='test', batch_size=16).batch(0)


def ctr_batch(model, data):
    """A serving batch of a CTR model: DLRM's test features, or random DIEN sequences."""
    if data.ctr is None:
        return sequence_batch(model)
    rows = next(iter(samplers.labelled_ctr_sampler(data.ctr.test, batch_size=12)))
    return {name: rows[name] for name in model.export_signatures()['score']}
