"""Tests of MetricResults and MetricAccumulator."""

import numpy as np

from openrec2.utils.evaluators import MetricResults
from openrec2.utils.evaluators.results import MetricAccumulator


def test_accumulator_averages_over_users_and_skips_nan():
    accumulator = MetricAccumulator(['AUC', 'Recall@1'])
    accumulator.add({'AUC': np.array([1.0, np.nan]), 'Recall@1': np.array([1.0, 0.0])}, 2)
    accumulator.add({'AUC': np.array([0.5]), 'Recall@1': np.array([1.0])}, 1)
    results = accumulator.results(num_rows=5)
    assert results == {'AUC': 0.75, 'Recall@1': 2 / 3}
    assert results.num_evaluated == 3 and results.num_users == 3 and results.num_skipped == 2
    assert list(results) == ['AUC', 'Recall@1']


def test_undefined_metric_is_nan_and_results_is_a_dict():
    results = MetricAccumulator(['AUC']).results(num_rows=0)
    assert np.isnan(results['AUC'])
    assert isinstance(MetricResults({'MSE': 1.0}, 4, unit='examples'), dict)
    assert 'examples=4' in repr(MetricResults({'MSE': 1.0}, 4, unit='examples'))
