"""Assertions shared by the loader tests (imported by basename; pytest puts this folder on sys.path)."""

import os

import numpy as np
import pytest

from openrec2.datasets.splits import recbole_split_counts

requires_data = pytest.mark.skipif(
    not os.environ.get('OPENREC2_DATA'),
    reason='needs the real dataset files: set OPENREC2_DATA to the data home (e.g. ../shared/datasets)')


def parts_of(split):
    return [p for p in (split.train, split.validation, split.test) if p is not None]


def assert_consistent(split):
    """Same id space everywhere, every test/validation user has training data."""
    for part in parts_of(split):
        assert (part.max_user, part.max_item) == (split.max_user, split.max_item)
    train_users = set(split.train.users.tolist())
    assert set(split.test.users.tolist()) <= train_users
    if split.validation is not None:
        assert set(split.validation.users.tolist()) <= train_users


def assert_follows_recbole_rule(split, ratios):
    """Per-user part sizes equal RecBole's count rule on the user's total."""
    per_part = np.stack([np.bincount(p.data['user_id'], minlength=split.max_user) for p in parts_of(split)], 1)
    total = sum(ratios)
    expected = recbole_split_counts(per_part.sum(1), [r / total for r in ratios])
    assert np.array_equal(per_part, expected)


def assert_disjoint_parts(split):
    """No (user, item, timestamp) row appears in two parts."""
    fields = [f for f in ('user_id', 'item_id', 'timestamp') if f in split.train.data.dtype.names]
    rows = np.concatenate([p.data[fields] for p in parts_of(split)])
    assert len(np.unique(rows)) == len(rows)
