"""Worker shards: disjoint, covering, seeded, by user."""

import numpy as np
import pytest

from openrec2.datasets import make_planted_implicit
from openrec2.distributed import shard_dataset, shard_split, user_shard
from openrec2.errors import SettingError


def test_user_shards_are_disjoint_cover_everyone_and_repeat_with_the_seed():
    masks = [user_shard(101, 3, k, seed=5) for k in range(3)]
    assert np.all(np.sum(masks, axis=0) == 1)
    assert sorted(m.sum() for m in masks) == [33, 34, 34]
    assert np.array_equal(user_shard(101, 3, 1, seed=5), masks[1])
    assert not np.array_equal(user_shard(101, 3, 1, seed=6), masks[1])
    with pytest.raises(SettingError, match='shard 3 of 3'):
        user_shard(10, 3, 3)


def test_dataset_shards_split_the_rows_by_user():
    split = make_planted_implicit(num_users=50, num_items=40, rank=2, per_user=6, seed=0)
    shards = [shard_dataset(split.train, 2, k, seed=1) for k in range(2)]
    assert sum(len(s.data) for s in shards) == len(split.train.data)
    users = [set(s.data['user_id']) for s in shards]
    assert not users[0] & users[1]
    assert all(s.max_item == split.max_item and s.max_user == split.max_user for s in shards)
    part = shard_split(split, 2, 0, seed=1)
    assert part.validation is split.validation and len(part.train.data) == len(shards[0].data)
