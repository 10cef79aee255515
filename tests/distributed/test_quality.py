"""2 ps + 2 workers train BPR on ML-100K to the validation NDCG@10 of one process on the
same split: within 3% in sync mode, within 5% in async mode (slow: about ten minutes)."""

import io
import json
import os
import subprocess
import sys

import pytest

from openrec2.distributed import LocalCluster

pytestmark = pytest.mark.slow
ARGS = ['--model', 'BPR', '--dataset', 'ml-100k', '--epochs', '10', '--eval-every', '2', '--seed', '2020', '--quiet']


def validation_ndcg(folder):
    with open(os.path.join(folder, 'metrics.json')) as handle:
        return json.load(handle)['results']['validation']['NDCG@10']


@pytest.fixture(scope='module')
def single(tmp_path_factory):
    folder = str(tmp_path_factory.mktemp('single') / 'run')
    subprocess.run([sys.executable, '-m', 'openrec2', 'train', *ARGS, '--run-dir', folder], check=True,
                   stdout=subprocess.DEVNULL)
    return validation_ndcg(folder)


@pytest.mark.parametrize('mode, tolerance', [('sync', 0.03), ('async', 0.05)])
def test_the_cluster_matches_one_process(single, tmp_path, mode, tolerance):
    folder = str(tmp_path / 'run')
    log = io.StringIO()
    assert LocalCluster(2, 2, ARGS + ['--run-dir', folder], mode=mode, log_stream=log).run(timeout=1800) == 0, \
        log.getvalue()[-2000:]
    assert validation_ndcg(folder) >= (1 - tolerance) * single
