"""Tests of the labelled CTR example rows."""

import numpy as np
import pytest

from openrec2.errors import DataError, SettingError, ShapeError
from openrec2.utils import CTRExamples


def examples(**changes):
    columns = dict(name='toy/train', user_id=[0, 1, 2], item_id=[1, 1, 0], label=[1, 0, 1],
                   dense=np.zeros((3, 2)), sparse=[[0, 1], [1, 1], [2, 0]], cardinalities=[3, 2], max_user=3,
                   max_item=2)
    columns.update(changes)
    return CTRExamples(**columns)


def test_inputs_and_interactions():
    rows = examples()
    batch = rows.inputs(np.array([2, 0]))
    assert batch['sparse_features'].dtype == np.int32 and batch['dense_features'].dtype == np.float32
    np.testing.assert_array_equal(batch['label'], [1, 1])
    np.testing.assert_array_equal(batch['sparse_features'], [[2, 0], [0, 1]])
    assert rows.num_dense == 2 and len(rows) == 3 and rows.sparse_names == ['sparse0', 'sparse1']
    assert rows.interactions.num_positives == 2 and rows.interactions.name == 'toy/train'


@pytest.mark.parametrize('changes, error, message', [
    (dict(label=[1, 0]), ShapeError, 'one row per example'),
    (dict(cardinalities=[3]), ShapeError, 'cardinalities'),
    (dict(label=[1, 0, 2]), DataError, 'must be 0 or 1'),
    (dict(dense=np.full((3, 2), np.nan)), DataError, 'NaN'),
    (dict(sparse=[[0, 1], [1, 2], [2, 0]]), DataError, r"\['sparse1'\]"),
    (dict(sparse=np.zeros((3, 2)) + 0.5), DataError, 'integer ids'),
    (dict(dense_names=['a']), ShapeError, 'one name per column'),
    (dict(cardinalities=[3, 0]), SettingError, 'cardinalities'),
])
def test_bad_rows_are_refused(changes, error, message):
    with pytest.raises(error, match=message):
        examples(**changes)
