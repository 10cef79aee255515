"""The run folder of ``train --run-dir`` and the commands that read it: evaluate, recommend, export, compare."""

import csv
import io
import json
import os
import subprocess
import sys
from types import SimpleNamespace

import h5py
import numpy as np
import pytest
import tensorflow as tf2

from openrec2.cli import main
from openrec2.experiments import learning_curves
from openrec2.experiments.run_folder import rebuild_run, write_results
from openrec2.trainer.history import TrainingHistory
from openrec2.trainer.tensorboard import read_scalars

TRAIN = ['train', '--model', 'BPR', '--dataset', 'synthetic', '--epochs', '4', '--eval-every', '2', '--dim', '8',
         '--lr', '0.02', '--batch-size', '256', '--quiet', '--no-progress']


def run(argv):
    out = io.StringIO()
    assert main(argv, out=out) == 0, out.getvalue()
    return out.getvalue()


@pytest.fixture(scope='module')
def run_dir(tmp_path_factory):
    folder = str(tmp_path_factory.mktemp('runs') / 'bpr')
    run(TRAIN + ['--run-dir', folder])
    return folder


def test_train_writes_settings_history_metrics_model_curves_and_events(run_dir):
    names = set(os.listdir(run_dir))
    assert {'settings.json', 'history.json', 'history.csv', 'metrics.json', 'metrics.txt', 'final.index',
            'tensorboard', 'checkpoint'} <= names
    assert ('learning_curves.png' in names) == learning_curves.matplotlib_available()
    settings = json.load(open(os.path.join(run_dir, 'settings.json')))
    assert settings['model'] == 'BPR' and settings['dataset'] == 'synthetic'
    assert settings['settings']['epochs'] == 4 and settings['settings']['dim'] == 8
    history = json.load(open(os.path.join(run_dir, 'history.json')))
    rows = list(csv.DictReader(open(os.path.join(run_dir, 'history.csv'))))
    assert len([r for r in rows if r['kind'] == 'loss']) == len(history['losses']) == 2
    ndcg = [float(r['value']) for r in rows if r['name'] == 'NDCG@10' and r['part'] == 'validation']
    assert ndcg == pytest.approx([e['metrics']['NDCG@10'] for e in history['evaluations']])
    metrics = json.load(open(os.path.join(run_dir, 'metrics.json')))
    assert set(metrics['results']) == {'validation', 'test'} and metrics['baseline_name'] == 'MostPopular'
    assert 'test BPR' in open(os.path.join(run_dir, 'metrics.txt')).read()
    scalars = read_scalars(os.path.join(run_dir, 'tensorboard'))
    assert [step for step, _ in scalars['validation/NDCG@10']] == [e['iteration'] for e in history['evaluations']]


def test_evaluate_gives_the_metrics_training_reported(run_dir):
    text = run(['evaluate', run_dir])
    metrics = json.load(open(os.path.join(run_dir, 'metrics.json')))
    line = next(row for row in text.splitlines() if row.startswith('test BPR'))
    assert f'{metrics["results"]["test"]["NDCG@10"]:.4f}' in line
    assert f'{metrics["results"]["test"]["Recall@10"]:.4f}' in line


def test_recommend_prints_the_top_items_without_the_training_items(run_dir):
    text = run(['recommend', run_dir, '--user', '3', '--index', '--k', '5'])
    lines = text.strip().splitlines()
    assert lines[0].startswith('top 5 items of user 3 (index 3) by BPR') and len(lines) == 6
    items = [int(line.split()[2]) for line in lines[1:]]
    with rebuild_run(run_dir) as rebuilt:
        scores = rebuilt.model.serve_all_items(np.array([3]))[0]
        seen = rebuilt.data.split.train.positive_items(3)
    scores[seen] = -np.inf
    assert items == list(np.argsort(-scores, kind='stable')[:5])
    assert 'index 3' in run(['recommend', run_dir, '--user', '3', '--k', '2'])  # synthetic ids are the indices
    assert main(['recommend', run_dir, '--user', '100000', '--k', '2']) == 2


def test_export_writes_a_saved_model_and_embeddings_that_match_the_run(run_dir, tmp_path):
    out, h5 = str(tmp_path / 'serving'), str(tmp_path / 'bpr.h5')
    text = run(['export', run_dir, '--out', out, '--top-k', '7', '--embeddings', h5])
    assert 'recommend' in text and os.path.isfile(os.path.join(out, '1', 'saved_model.pb'))
    loaded = tf2.saved_model.load(os.path.join(out, '1'))
    users = np.array([0, 1, 2], dtype=np.int32)
    got = loaded.signatures['recommend'](user_id=tf2.constant(users))
    with rebuild_run(run_dir) as rebuilt:
        scores = rebuilt.model.serve({'user_id': users})
        for row, user in enumerate(users):
            scores[row, rebuilt.data.split.train.positive_items(int(user))] = -np.inf
    np.testing.assert_array_equal(got['item_ids'].numpy(), np.argsort(-scores, axis=1, kind='stable')[:, :7])
    with h5py.File(h5, 'r') as handle:
        assert handle.attrs['dataset'] == 'synthetic' and handle['item_factors'].shape[0] == scores.shape[1]


def test_compare_prints_runs_side_by_side(run_dir, tmp_path):
    other = str(tmp_path / 'pmf')
    run(['train', '--model', 'PMF', '--dataset', 'synthetic', '--epochs', '2', '--eval-every', '2', '--dim', '8',
         '--batch-size', '256', '--quiet', '--run-dir', other])
    text = run(['compare', run_dir, other])
    lines = text.splitlines()
    assert lines[0] == 'test metrics' and 'NDCG@10' in lines[1]
    assert [line.split()[0] for line in lines[3:]] == ['BPR', 'PMF', 'MostPopular']
    assert main(['compare', run_dir, str(tmp_path)]) == 2  # a folder without a run is an error


def test_without_matplotlib_the_run_folder_has_no_png(run_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(learning_curves, 'matplotlib_available', lambda: False)
    history = TrainingHistory.from_dict(json.load(open(os.path.join(run_dir, 'history.json'))))
    result = SimpleNamespace(history=history, model='BPR', dataset='synthetic', protocol='', results={},
                             baseline_name='MostPopular', baseline={}, epochs_run=4, best_epoch=4, seconds=1.0,
                             model_settings={})
    assert write_results(str(tmp_path), result) is None
    assert not os.path.exists(tmp_path / 'learning_curves.png') and os.path.exists(tmp_path / 'history.csv')


def test_the_export_command_runs_as_python_dash_m(run_dir, tmp_path):
    out = str(tmp_path / 'm')
    subprocess.run([sys.executable, '-m', 'openrec2', 'export', run_dir, '--out', out], check=True, timeout=300,
                   capture_output=True)
    assert os.listdir(out) == ['1']
