"""Small datasets shared by the sampler tests (imported by basename; pytest puts this folder on sys.path)."""

import os

import numpy as np
import pytest

from openrec2.utils import ImplicitDataset
from openrec2.utils.dataset import make_interactions

requires_data = pytest.mark.skipif(
    not os.environ.get('OPENREC2_DATA'),
    reason='needs the real dataset files: set OPENREC2_DATA to the data home (e.g. ../shared/datasets)')


def toy_dataset(seed=0, max_user=40, max_item=30, n=300, label=None):
    """Random implicit dataset; user 0 owns every item but the last (so its negatives are forced)."""
    rng = np.random.default_rng(seed)
    users = np.concatenate([rng.integers(1, max_user, n), np.zeros(max_item - 1, np.int64)])
    items = np.concatenate([rng.integers(0, max_item, n), np.arange(max_item - 1)])
    labels = None if label is None else np.concatenate([label(rng, n), np.ones(max_item - 1)])
    return ImplicitDataset(make_interactions(users, items, label=labels), max_user, max_item, name='toy')


def ml100k_train():
    from openrec2.datasets import load_ml100k
    return load_ml100k().train


def take(sampler, n):
    """First n batches of a sampler, closing it."""
    with sampler:
        return [sampler.next_batch() for _ in range(n)]


def assert_same_stream(first, second):
    assert len(first) == len(second)
    for a, b in zip(first, second):
        assert a.keys() == b.keys()
        assert all(np.array_equal(a[k], b[k]) for k in a)
