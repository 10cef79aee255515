"""The local launcher: a 2-ps/2-worker BPR run on loopback through `python -m openrec2 cluster`'s
LocalCluster, logs prefixed by task, and no process left when it returns or is stopped."""

import io
import os
import stat
import time

import pytest

from openrec2.cli import main
from openrec2.distributed import LocalCluster


def gone(process):
    """The process has exited and been reaped (its pid no longer exists as our child)."""
    if process.poll() is None:
        return False
    try:
        os.kill(process.pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_a_cluster_run_trains_bpr_prints_prefixed_logs_and_leaves_no_process(tmp_path):
    log = io.StringIO()
    cluster = LocalCluster(2, 2, ['--model', 'BPR', '--dataset', 'ml-100k', '--epochs', '2', '--eval-every', '1',
                                  '--run-dir', str(tmp_path / 'run')], log_stream=log)
    assert cluster.run(timeout=600) == 0
    text = log.getvalue()
    for task in ('ps0', 'ps1', 'worker0', 'worker1'):
        assert f'[{task}] ' in text
    assert '[ps0] ps0: serving 127.0.0.1:' in text
    assert '[worker1] worker1: trained' in text
    table = [line for line in text.splitlines() if line.startswith('[worker0] test BPR')]
    popular = [line for line in text.splitlines() if line.startswith('[worker0] test MostPopular')]
    assert table and popular
    ndcg = float(table[0].split()[5])  # Recall@10 Recall@20 NDCG@10 ...
    assert ndcg > float(popular[0].split()[5])  # the cluster's BPR beats most-popular on test
    assert (tmp_path / 'run' / 'history.json').exists() or any((tmp_path / 'run').iterdir())
    assert len(cluster.started) == 4 and all(gone(p) for p in cluster.started)


@pytest.fixture
def sleeper(tmp_path):
    """A stand-in interpreter that ignores its arguments, prints a line and sleeps."""
    path = tmp_path / 'fake-python'
    path.write_text('#!/bin/sh\necho started "$@" | cut -c1-40\nexec sleep 300\n')
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path)


def test_stop_ends_every_task_and_a_dead_ps_is_a_clear_error(sleeper):
    log = io.StringIO()
    cluster = LocalCluster(2, 2, ['--model', 'BPR'], log_stream=log, python=sleeper).start()
    time.sleep(0.5)
    assert all(p.poll() is None for p in cluster.started)
    cluster.kill('ps', 1)
    with pytest.raises(Exception, match='parameter server ps1 exited'):
        cluster.wait(timeout=30)
    started = time.monotonic()
    cluster.stop()
    assert time.monotonic() - started < 10
    assert all(gone(p) for p in cluster.started)
    assert '[worker1] started -m openrec2 train' in log.getvalue()


def test_the_cluster_command_chooses_the_tasks_itself(capsys):
    assert main(['cluster', '--ps', '1', '--workers', '1', '--model', 'BPR', '--dataset', 'ml-100k',
                 '--job', 'ps']) == 2
    assert 'chooses --cluster/--job/--task itself' in capsys.readouterr().err
    assert main(['cluster', '--ps', '0', '--model', 'BPR', '--dataset', 'ml-100k']) == 2
    assert '--ps must be a positive int' in capsys.readouterr().err
