"""Faults of a loopback cluster (slow: each run starts four TensorFlow processes): a killed
worker restarted with the same task rejoins; a killed chief restarted with --resume goes on
from its last checkpoint (async and sync); a killed ps stops the run with a ClusterError and the cluster
restarted with --resume goes on; the run still beats most-popular and leaves no process behind."""

import glob
import io
import json
import os
import time

import pytest

from openrec2.distributed import LocalCluster

pytestmark = pytest.mark.slow
# Small batches make the run long enough (about a minute of training) for a restarted
# process, which needs ~30 s to start TensorFlow here, to rejoin while the chief trains.
ARGS = ['--model', 'BPR', '--dataset', 'ml-100k', '--epochs', '16', '--eval-every', '2', '--early-stop', '0',
        '--batch-size', '128']


def wait_for(condition, timeout=300, poll=0.5):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, 'timed out'
        time.sleep(poll)


def final_metrics(folder):
    with open(os.path.join(folder, 'metrics.json')) as handle:
        results = json.load(handle)
    return results['results']['validation']['NDCG@10'], results['baseline']['validation']['NDCG@10']


def assert_resumed_and_learned(log, folder, cluster):
    """The restarted chief resumed past iteration 0, the run beat most-popular, no process is left."""
    resumed = [line for line in log.getvalue().splitlines() if line.startswith('[worker0] resumed from')]
    assert resumed and 'at iteration' in resumed[0] and 'iteration 0' not in resumed[0]
    ndcg, popular = final_metrics(folder)
    assert ndcg > popular
    assert all(process.poll() is not None for process in cluster.started)


def test_a_killed_worker_restarted_rejoins_and_training_goes_on(tmp_path):
    log, folder = io.StringIO(), str(tmp_path / 'run')
    with LocalCluster(2, 2, ARGS + ['--run-dir', folder], log_stream=log) as cluster:
        cluster.start()
        wait_for(lambda: '[worker1] training BPR' in log.getvalue())
        time.sleep(1.0)
        cluster.kill('worker', 1)
        cluster.start_task('worker', 1)
        assert cluster.wait(timeout=900) == 0
    text = log.getvalue()
    assert text.count('[worker1] training BPR from iteration 0') == 2  # the restarted worker trained again
    after_restart = text.split('[worker1] training BPR from iteration 0')[2]
    assert '[worker1] [iter ' in after_restart  # ... and logged its loss while the chief still ran
    ndcg, popular = final_metrics(folder)
    assert ndcg > popular
    assert all(process.poll() is not None for process in cluster.started)


@pytest.mark.parametrize('mode', [[], ['--sync']], ids=['async', 'sync'])
def test_a_killed_chief_restarted_resumes_from_its_last_checkpoint(tmp_path, mode):
    # In sync mode the restored global step is behind the gradient accumulators' step: unless the
    # restarted chief resets them (ClusterPlacement.restored), every gradient is stale and the run hangs.
    log, folder = io.StringIO(), str(tmp_path / 'run')
    with LocalCluster(2, 2, ARGS + mode + ['--run-dir', folder], log_stream=log) as cluster:
        cluster.start()
        wait_for(lambda: glob.glob(os.path.join(folder, 'model.ckpt-*.run.json')))
        cluster.kill('worker', 0)
        cluster.start_task('worker', 0, ['--resume'])
        assert cluster.wait(timeout=900) == 0
    assert_resumed_and_learned(log, folder, cluster)


def test_a_killed_ps_stops_the_run_and_the_cluster_restarted_with_resume_goes_on(tmp_path):
    from openrec2.errors import ClusterError

    log, folder = io.StringIO(), str(tmp_path / 'run')
    with LocalCluster(2, 2, ARGS + ['--run-dir', folder], log_stream=log) as cluster:
        cluster.start()
        wait_for(lambda: glob.glob(os.path.join(folder, 'model.ckpt-*.run.json')))
        cluster.kill('ps', 1)
        with pytest.raises(ClusterError, match='ps1 exited'):
            cluster.wait(timeout=60)
        # The recovery the error names: the ps again (empty), then the chief with --resume and the workers.
        for job, task in (('worker', 0), ('worker', 1)):
            cluster.kill(job, task)
        cluster.start_task('ps', 1)
        cluster.start_task('worker', 0, ['--resume'])
        cluster.start_task('worker', 1)
        assert cluster.wait(timeout=900) == 0
    assert_resumed_and_learned(log, folder, cluster)
