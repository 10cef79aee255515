"""Tests of the Amazon Beauty loader."""

import numpy as np
import pytest
from split_checks import assert_consistent, assert_disjoint_parts, requires_data

from openrec2.datasets import load_amazon_beauty
from openrec2.errors import DataError, DataFileNotFoundError


@requires_data
def test_beauty_counts_sequence_split_and_attributes():
    split = load_amazon_beauty()
    assert (split.max_user, split.max_item) == (22_363, 12_101)
    assert len(split.test) == len(split.validation) == 22_363
    assert len(split.train) + 2 * 22_363 == 198_502
    assert split.item_features.shape == (12_101, 637)
    assert split.item_features.sum(1).min() >= 1  # every item has an attribute
    # User 1's sequence is "1 2 3 4 5": item 5 is its test item, item 4 its validation item.
    user = int(np.flatnonzero(split.user_id_map == 1)[0])
    test_item = split.item_id_map[split.test.positive_items(user)]
    valid_item = split.item_id_map[split.validation.positive_items(user)]
    assert test_item.tolist() == [5] and valid_item.tolist() == [4]
    assert 'position in the purchase sequence' in split.protocol
    assert_consistent(split)
    assert_disjoint_parts(split)


def write_beauty(folder, lines, attributes='{"1": [1], "2": [2]}'):
    folder.mkdir()
    (folder / 'Beauty.txt').write_text(lines)
    (folder / 'Beauty_item2attributes.json').write_text(attributes)


def test_small_file_positions_and_multi_hot(tmp_path):
    write_beauty(tmp_path / 'amazon-beauty', '1 2 1 2\n2 1 2\n', '{"1": [7, 9], "2": [9]}')
    split = load_amazon_beauty(data_home=tmp_path)
    assert split.item_feature_names == ['attribute_7', 'attribute_9']
    assert split.item_features.tolist() == [[1.0, 1.0], [0.0, 1.0]]
    assert split.test.data['item_id'].tolist() == [1, 1]
    assert split.test.data['timestamp'].tolist() == [2, 1]


def test_missing_attribute_file(tmp_path):
    (tmp_path / 'amazon-beauty').mkdir()
    (tmp_path / 'amazon-beauty' / 'Beauty.txt').write_text('1 1 2\n')
    with pytest.raises(DataFileNotFoundError, match=r'amazon-beauty/Beauty_item2attributes\.json'):
        load_amazon_beauty(data_home=tmp_path)


def test_malformed_json(tmp_path):
    write_beauty(tmp_path / 'amazon-beauty', '1 1 2\n', '{"1": [1], ')
    with pytest.raises(DataError, match=r'Beauty_item2attributes\.json is malformed'):
        load_amazon_beauty(data_home=tmp_path)


def test_malformed_sequence_line(tmp_path):
    write_beauty(tmp_path / 'amazon-beauty', '1 1 2\n2 1 b\n')
    with pytest.raises(DataError, match=r"Beauty\.txt: line 2 is malformed"):
        load_amazon_beauty(data_home=tmp_path)
