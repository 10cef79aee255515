"""Tests of the CiteULike-a loader."""

import numpy as np
import pytest
from split_checks import assert_consistent, assert_follows_recbole_rule, requires_data

from openrec2.datasets import get_data_home, load_citeulike_a
from openrec2.errors import DataError, DataFileNotFoundError


@requires_data
def test_citeulike_counts_and_split():
    split = load_citeulike_a()
    assert (split.max_user, split.max_item) == (5551, 16980)
    assert len(split.train) + len(split.validation) + len(split.test) == 204_986
    assert_consistent(split)
    assert_follows_recbole_rule(split, (0.8, 0.1, 0.1))


@requires_data
def test_citeulike_articles_carry_their_frequent_tags():
    split = load_citeulike_a()
    features, names = split.item_features, split.item_feature_names
    assert features.shape == (16980, 661) and features.dtype == np.float32 and len(names) == 661
    assert set(np.unique(features)) == {0.0, 1.0} and (features.sum(axis=0) >= 50).all()
    # Article 0's tags (line 1 of item-tag.dat) that 50 articles or more share.
    tags = np.fromstring(open(get_data_home() / 'citeulike-a' / 'item-tag.dat').readline(), dtype=int, sep=' ')[1:]
    tag_names = [line.strip() for line in open(get_data_home() / 'citeulike-a' / 'tags.dat')]
    expected = {tag_names[t] for t in tags} & set(names)
    assert {names[j] for j in np.flatnonzero(features[0])} == expected and expected
    assert load_citeulike_a(min_tag_items=10).item_features.shape == (16980, 3629)


@requires_data
def test_citeulike_leave_one_out_without_timestamps():
    split = load_citeulike_a(split='leave_one_out', validation=False)
    assert split.validation is None and len(split.test) == (split.train.positive_counts + split.test.positive_counts
                                                            >= 2).sum()
    assert 'random order (seed 2020)' in split.protocol


def test_missing_users_file(tmp_path):
    with pytest.raises(DataFileNotFoundError, match=r'citeulike-a/users\.dat'):
        load_citeulike_a(data_home=tmp_path)


def test_count_mismatch_is_malformed(tmp_path):
    (tmp_path / 'citeulike-a').mkdir()
    (tmp_path / 'citeulike-a' / 'users.dat').write_text('2 0 1\n3 4 5\n')
    with pytest.raises(DataError, match=r'users\.dat: line 2 says 3 items but lists 2'):
        load_citeulike_a(data_home=tmp_path)


def test_blank_line_is_malformed(tmp_path):
    (tmp_path / 'citeulike-a').mkdir()
    (tmp_path / 'citeulike-a' / 'users.dat').write_text('2 0 1\n\n1 4\n')
    with pytest.raises(DataError, match='line 2 is blank'):
        load_citeulike_a(data_home=tmp_path)


def test_a_tag_line_whose_count_is_wrong_is_malformed(tmp_path):
    (tmp_path / 'citeulike-a').mkdir()
    (tmp_path / 'citeulike-a' / 'users.dat').write_text('2 0 1\n1 1\n')
    (tmp_path / 'citeulike-a' / 'item-tag.dat').write_text('1 0\n2 0\n')
    (tmp_path / 'citeulike-a' / 'tags.dat').write_text('a\n')
    with pytest.raises(DataError, match=r'item-tag\.dat: line 2 says 2 items but lists 1'):
        load_citeulike_a(data_home=tmp_path)
