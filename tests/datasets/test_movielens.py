"""Tests of the MovieLens loaders on the real files and on broken copies."""

import shutil

import numpy as np
import pytest
from split_checks import assert_consistent, assert_disjoint_parts, assert_follows_recbole_rule, requires_data

from openrec2.datasets import get_data_home, load_ml100k, load_ml1m_ratings3
from openrec2.errors import DataError, DataFileNotFoundError, UnknownOptionError


@requires_data
def test_ml100k_counts_features_and_random_split():
    split = load_ml100k()
    assert (split.max_user, split.max_item) == (943, 1682)
    assert len(split.train) + len(split.validation) + len(split.test) == 100_000
    assert split.item_features.shape == (1682, 19) and split.item_features.dtype == np.float32
    assert split.item_feature_names[0] == 'unknown' and split.item_feature_names[-1] == 'Western'
    # Toy Story (original id 1) is Animation, Children's, Comedy.
    toy_story = int(np.flatnonzero(split.item_id_map == 1)[0])
    assert [split.item_feature_names[g] for g in np.flatnonzero(split.item_features[toy_story])] == [
        'Animation', "Children's", 'Comedy']
    titles = split.metadata['item_titles']
    assert len(titles) == 1682 and titles[toy_story] == 'Toy Story (1995)'
    assert titles[int(np.flatnonzero(split.item_id_map == 50)[0])] == 'Star Wars (1977)'
    assert split.user_id_map.tolist() == list(range(1, 944))
    # User 1: 24 years old, male, technician (u.user); every user has one group of each kind.
    assert split.user_features.shape == (943, 30) and (split.user_features.sum(axis=1) == 3).all()
    assert [split.user_feature_names[j] for j in np.flatnonzero(split.user_features[0])] == [
        'age_18-24', 'gender_M', 'occupation_technician']
    assert set(split.train.data.dtype.names) >= {'label', 'timestamp'}
    assert split.protocol.startswith('per-user random 0.8:0.1:0.1 (train:validation:test), seed 2020')
    assert_consistent(split)
    assert_follows_recbole_rule(split, (0.8, 0.1, 0.1))
    assert_disjoint_parts(split)


@requires_data
def test_ml100k_leave_one_out_and_min_rating():
    split = load_ml100k(split='leave_one_out')
    assert len(split.test) == 943 and len(split.validation) == 943
    last = {}
    for row in np.concatenate([split.train.data, split.validation.data]):
        last[row['user_id']] = max(last.get(row['user_id'], 0), row['timestamp'])
    assert all(row['timestamp'] >= last[row['user_id']] for row in split.test.data)
    assert_consistent(split)
    liked = load_ml100k(min_rating=4)
    total = len(liked.train) + len(liked.validation) + len(liked.test)
    assert total == 55_375 and liked.train.data['label'].min() >= 4
    assert 'only ratings >= 4 kept' in liked.protocol


@requires_data
def test_ml1m_ratings3_given_and_random():
    given = load_ml1m_ratings3()
    assert (given.max_user, given.max_item) == (6039, 3628)
    sizes = [len(given.train), len(given.validation), len(given.test)]
    assert sizes == [590_733, 80_897, 164_848] and sum(sizes) == 836_478
    assert 'given split' in given.protocol
    resplit = load_ml1m_ratings3(split='random', seed=1)
    assert len(resplit.train) + len(resplit.validation) + len(resplit.test) == 836_478
    rows = np.concatenate([p.data for p in (resplit.train, resplit.validation, resplit.test)])
    assert np.unique(rows['user_id'] * resplit.max_item + rows['item_id']).size == 836_478
    assert_consistent(resplit)
    assert_follows_recbole_rule(resplit, (0.8, 0.1, 0.1))


def test_ml1m_rejects_temporal_split():
    with pytest.raises(UnknownOptionError, match="unknown split 'temporal'.*no timestamps"):
        load_ml1m_ratings3(split='temporal')


def test_missing_ml100k_file_is_named(tmp_path):
    with pytest.raises(DataFileNotFoundError, match=r'load_ml100k: expected file .*ml-100k/u\.data'):
        load_ml100k(data_home=tmp_path)


@requires_data
def test_missing_genre_file_is_named(tmp_path):
    (tmp_path / 'ml-100k').mkdir()
    for name in ('u.data', 'u.item'):
        shutil.copy(get_data_home() / 'ml-100k' / name, tmp_path / 'ml-100k' / name)
    with pytest.raises(DataFileNotFoundError, match=r'ml-100k/u\.genre'):
        load_ml100k(data_home=tmp_path)


@requires_data
def test_a_malformed_user_line_is_reported(tmp_path):
    (tmp_path / 'ml-100k').mkdir()
    for name in ('u.data', 'u.item', 'u.genre', 'u.occupation'):
        shutil.copy(get_data_home() / 'ml-100k' / name, tmp_path / 'ml-100k' / name)
    (tmp_path / 'ml-100k' / 'u.user').write_text('1|24|M|technician|85711\n2|53|X|other|94043\n')
    with pytest.raises(DataError, match=r'u\.user: line 2 is malformed'):
        load_ml100k(data_home=tmp_path)


def test_malformed_ml100k_line_is_reported(tmp_path):
    (tmp_path / 'ml-100k').mkdir()
    (tmp_path / 'ml-100k' / 'u.data').write_text('1\t2\t3\t881250949\n1\t3\tfive\t881250950\n')
    with pytest.raises(DataError, match=r'u\.data: line 2 is malformed.*4 integer fields'):
        load_ml100k(data_home=tmp_path)


def test_short_ml100k_line_is_reported(tmp_path):
    (tmp_path / 'ml-100k').mkdir()
    (tmp_path / 'ml-100k' / 'u.data').write_text('1\t2\t3\t881250949\n1\t3\t4\n')
    with pytest.raises(DataError, match='line 2 is malformed'):
        load_ml100k(data_home=tmp_path)


def test_malformed_ml1m_line_is_reported(tmp_path):
    folder = tmp_path / 'ml-1m-ratings3'
    folder.mkdir()
    for name in ('train.txt', 'valid.txt', 'test.txt'):
        (folder / name).write_text('0 1 2\n1 2 x3\n' if name == 'valid.txt' else '0 1 2\n')
    with pytest.raises(DataError, match=r"valid\.txt: line 2 is malformed: '1 2 x3'"):
        load_ml1m_ratings3(data_home=tmp_path)
