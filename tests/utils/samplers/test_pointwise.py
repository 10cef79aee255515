"""Tests of StratifiedPointwiseSampler / PointwiseSampler."""

import numpy as np
import pytest
from sampler_fixtures import assert_same_stream, take, toy_dataset

from openrec2.errors import SettingError
from openrec2.utils.samplers import PointwiseSampler, StratifiedPointwiseSampler


def test_alias_is_the_same_class():
    assert PointwiseSampler is StratifiedPointwiseSampler


@pytest.mark.parametrize('pos_ratio,expected', [(0.25, 25), (0.5, 50), (0.0, 0), (1.0, 100), (0.333, 33)])
def test_pos_ratio_is_exact_and_labels_match_membership(pos_ratio, expected):
    dataset = toy_dataset()
    for batch in take(StratifiedPointwiseSampler(dataset, 100, pos_ratio=pos_ratio), 5):
        assert set(batch) == {'user_id', 'item_id', 'label'}
        assert batch['label'].dtype == np.float32 and batch['user_id'].dtype == np.int32
        assert batch['label'].sum() == expected
        assert np.array_equal(dataset.contains(batch['user_id'], batch['item_id']), batch['label'] == 1)


def test_positive_and_negative_rows_are_mixed():
    batch = take(StratifiedPointwiseSampler(toy_dataset(), 200, pos_ratio=0.5), 1)[0]
    assert 0 < batch['label'][:100].sum() < 100


def test_reproducible_across_threads():
    dataset = toy_dataset()
    assert_same_stream(take(StratifiedPointwiseSampler(dataset, 64, seed=2), 10),
                       take(StratifiedPointwiseSampler(dataset, 64, seed=2, num_process=2), 10))


@pytest.mark.parametrize('pos_ratio', [-0.1, 1.5])
def test_bad_pos_ratio(pos_ratio):
    with pytest.raises(SettingError, match=r'`pos_ratio` must be a finite number >= 0 and <= 1'):
        StratifiedPointwiseSampler(toy_dataset(), 8, pos_ratio=pos_ratio)
