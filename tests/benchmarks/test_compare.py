"""Tests of benchmarks/compare.py and its venv-independent helpers (no other library needed).

The runners of implicit, RecBole and Cornac need the separate benchmark venv and are
not run here; what they share with openrec2 is: the split hand-over files, the
full-ranking metrics (checked against openrec2's own evaluators) and compare.py's
result parsing, summary and skipping.
"""

import os
import sys

import numpy as np
import pytest

from benchmark_scripts import load_script
from openrec2.datasets import load_ml100k
from openrec2.utils.evaluators import NDCG, Recall, evaluate

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUNNERS = os.path.join(ROOT, 'benchmarks', 'compare_runners')


full_ranking = load_script('full_ranking', os.path.join(RUNNERS, 'full_ranking.py'))
split_files = load_script('split_files', os.path.join(RUNNERS, 'split_files.py'))


@pytest.fixture(scope='module')
def compare_module():
    """benchmarks/compare.py imported as a module (it puts benchmarks/ on sys.path itself)."""
    saved = list(sys.path)
    try:
        yield load_script('compare_benchmark', os.path.join(ROOT, 'benchmarks', 'compare.py'))
    finally:
        sys.path[:] = saved


def _per_user(pairs, num_users):
    return [pairs[pairs[:, 0] == u, 1] for u in range(num_users)]


def _random_problem(seed, num_users=60, num_items=40, dim=4, ties=False):
    rng = np.random.default_rng(seed)
    users = rng.normal(size=(num_users, dim))
    items = rng.normal(size=(num_items, dim))
    if ties:  # few distinct scores: many ties at the cut-off
        users, items = np.round(users), np.round(items)
    pairs = np.unique(np.stack([rng.integers(0, num_users, 700), rng.integers(0, num_items, 700)], 1), axis=0)
    rng.shuffle(pairs)
    excluded, test = pairs[:450], pairs[450:]
    return users, items, excluded, test


@pytest.mark.parametrize('ties', [False, True])
def test_recall_ndcg_equals_openrec2_evaluators(ties):
    users, items, excluded, test = _random_problem(3, ties=ties)
    ours = full_ranking.recall_ndcg(users, items, excluded, test, k=10, block=7)
    expected = evaluate(users @ items.T, _per_user(test, len(users)), _per_user(excluded, len(users)),
                        evaluators=[Recall(10), NDCG(10)], num_items=len(items))
    assert ours['Recall@10'] == pytest.approx(expected['Recall@10'], abs=1e-12)
    assert ours['NDCG@10'] == pytest.approx(expected['NDCG@10'], abs=1e-12)
    assert ours['users'] == len(np.unique(test[:, 0]))


def test_recall_ndcg_item_bias_puts_the_test_items_first():
    users, items, excluded, test = _random_problem(5)
    one_user = test[test[:, 0] == 0]
    bias = np.where(np.isin(np.arange(len(items)), one_user[:, 1]), 1e9, 0.0)
    result = full_ranking.recall_ndcg(users, items, excluded[excluded[:, 0] != 0], one_user, k=10, item_bias=bias)
    assert result['users'] == 1
    assert result['NDCG@10'] == pytest.approx(1.0)
    assert result['Recall@10'] == pytest.approx(min(len(one_user), 10) / len(one_user))
    without = full_ranking.recall_ndcg(users, items, excluded[excluded[:, 0] != 0], one_user, k=10)
    assert without['NDCG@10'] < 1.0


def test_recall_ndcg_rejects_bad_input():
    users, items, excluded, test = _random_problem(1)
    with pytest.raises(ValueError, match='columns'):
        full_ranking.recall_ndcg(users, items[:, :2], excluded, test)
    with pytest.raises(ValueError, match='k=40'):
        full_ranking.recall_ndcg(users, items, excluded, test, k=40)


def test_export_split_round_trip_on_ml100k(tmp_path, compare_module):
    split = load_ml100k(split='random', ratios=(0.8, 0.1, 0.1), seed=2020)
    parts = [compare_module.split_pairs(p) for p in (split.train, split.validation, split.test)]
    path = split_files.export_split(str(tmp_path), *parts, split.max_user, split.max_item)
    loaded = split_files.load_split(path)
    assert (loaded['num_users'], loaded['num_items']) == (split.max_user, split.max_item)
    for name, pairs in zip(split_files.PARTS, parts):
        np.testing.assert_array_equal(loaded[name], pairs)
        with open(tmp_path / 'ml' / f'ml.{name}.inter') as handle:
            lines = handle.read().splitlines()
        assert lines[0] == 'user_id:token\titem_id:token'
        np.testing.assert_array_equal(np.array([line.split('\t') for line in lines[1:]], dtype=np.int64), pairs)
    assert sum(len(p) for p in parts) == 100_000


def test_export_split_rejects_bad_pairs(tmp_path):
    good = np.array([[0, 1], [1, 2]])
    with pytest.raises(ValueError, match=r'train must be \[N, 2\]'):
        split_files.export_split(str(tmp_path), np.arange(3), good, good, 2, 3)
    with pytest.raises(ValueError, match='test has ids outside'):
        split_files.export_split(str(tmp_path), good, good, np.array([[0, 3]]), 2, 3)


def test_parse_result_takes_the_last_result_line(compare_module):
    stdout = 'log line\nRESULT {"a": 1}\nmore log\nRESULT {"a": 2}\n'
    assert compare_module.parse_result(stdout) == {'a': 2}
    assert compare_module.parse_result('no result here') is None


def test_summarise_pools_epochs_and_keeps_errors(compare_module):
    run = {'system': 'X', 'settings': 's', 'epoch_seconds': [1.0, 3.0, 2.0],
           'test_at_budget': {'Recall@10': 0.1, 'NDCG@10': 0.2},
           'quality_run': {'epochs': 100, 'test': {'Recall@10': 0.3, 'NDCG@10': 0.4}}}
    second = dict(run, epoch_seconds=[10.0, 11.0], quality_run=None)
    del second['quality_run']
    row = compare_module.summarise([run, second])
    assert row['s/epoch'] == 3.0  # median of the five pooled epochs
    assert (row['quality epochs'], row['q NDCG@10']) == (100, 0.4)
    means = compare_module.summarise([{**run, 'mean_s_per_epoch': 4.0, 'epoch_seconds': None}])
    assert 'error' not in means
    assert compare_module.summarise([{'error': 'boom'}]) == {'error': 'boom'}
    table = compare_module.markdown_table({'x': dict(row, **{'x openrec2': 2.0}), 'y': {'error': 'not installed'}})
    assert '| X | 3.000 | 2.00 | 0.1000 | 0.2000 | 100, 0.3000, 0.4000 |' in table
    assert '| y | skipped: not installed |' in table


def test_compare_rejects_unknown_system(compare_module):
    with pytest.raises(ValueError, match='unknown systems'):
        compare_module.compare(systems=('lightfm',))
