"""Tests of the CTR example samplers: seeded epochs, resumable stream, labelled evaluation rows."""

import numpy as np
import pytest

from openrec2.errors import DataError, DTypeError
from openrec2.utils import CTRExamples
from openrec2.utils.samplers import CTRSampler, LabelledEvaluationSampler, labelled_ctr_sampler


def rows(count=10):
    ids = np.arange(count)
    return CTRExamples('toy/validation', ids, ids % 3, ids % 2, ids[:, None].astype(float), ids[:, None],
                       [max(count, 1)], max(count, 1), 3)


def test_each_epoch_visits_every_row_once_in_a_seeded_order():
    with CTRSampler(rows(), 4, seed=3) as sampler:
        assert sampler.batches_per_epoch == 3
        batches = [next(sampler) for _ in range(5)]  # 20 rows: two epochs
    seen = np.concatenate([b['sparse_features'][:, 0] for b in batches])
    assert sorted(seen[:10]) == list(range(10)) and sorted(seen[10:]) == list(range(10))
    assert list(seen[:10]) != list(seen[10:])  # a fresh order every epoch
    first = batches[0]
    np.testing.assert_array_equal(first['dense_features'][:, 0], first['sparse_features'][:, 0])
    np.testing.assert_array_equal(first['label'], first['sparse_features'][:, 0] % 2)


def test_the_stream_depends_only_on_the_seed_and_resumes_exactly():
    with CTRSampler(rows(), 4, seed=3) as one, CTRSampler(rows(), 4, seed=3, num_process=2) as two, \
            CTRSampler(rows(), 4, seed=4) as other:
        reference = [next(one)['sparse_features'] for _ in range(6)]
        two.seek(2)
        for expected in reference[2:]:
            np.testing.assert_array_equal(next(two)['sparse_features'], expected)
        assert any(not np.array_equal(next(other)['sparse_features'], r) for r in reference)


def test_labelled_evaluation_rows_hold_every_example_once():
    sampler = labelled_ctr_sampler(rows(), batch_size=4)
    assert isinstance(sampler, LabelledEvaluationSampler) and sampler.name == 'toy/validation'
    batches = list(sampler)
    assert [len(b['dense_features']) for b in batches] == [4, 4, 2] and 'label' not in batches[0]
    np.testing.assert_array_equal(sampler.labels, np.arange(10) % 2)


def test_errors():
    with pytest.raises(DTypeError, match='CTRExamples'):
        CTRSampler(np.zeros(3), 4)
    with pytest.raises(DataError, match='no example'):
        labelled_ctr_sampler(rows(0))
