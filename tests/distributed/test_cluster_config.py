"""TF_CONFIG and --cluster/--job/--task parsing, with clear errors for what cannot run."""

import json

import pytest

from openrec2.distributed import ClusterConfig, from_flags, from_tf_config, resolve
from openrec2.errors import SettingError

CLUSTER = {'ps': ['10.0.0.1:2222', '10.0.0.2:2222'], 'worker': ['10.0.0.3:2222', '10.0.0.4:2222']}


def test_tf_config_gives_the_cluster_and_the_task():
    config = from_tf_config(json.dumps({'cluster': CLUSTER, 'task': {'type': 'worker', 'index': 1}}))
    assert (config.job, config.task, config.num_ps, config.num_workers) == ('worker', 1, 2, 2)
    assert not config.is_chief and ClusterConfig(CLUSTER, 'worker', 0).is_chief
    assert config.name == 'worker1'
    assert from_tf_config(config.to_tf_config()) == config
    assert config.cluster_spec().as_dict() == CLUSTER


def test_flags_win_over_tf_config_and_nothing_means_one_process(monkeypatch):
    monkeypatch.setenv('TF_CONFIG', json.dumps({'cluster': CLUSTER, 'task': {'type': 'ps', 'index': 0}}))
    assert resolve(json.dumps(CLUSTER), 'worker', 0).is_chief
    assert resolve().job == 'ps'
    monkeypatch.delenv('TF_CONFIG')
    assert resolve() is None and from_flags(None, None, None) is None


@pytest.mark.parametrize('cluster, job, task, message', [
    ({'ps': ['a:1'], 'worker': ['b:2'], 'chief': ['c:3']}, 'worker', 0, 'unknown job'),
    ({'ps': [], 'worker': ['b:2']}, 'worker', 0, "at least one 'ps'"),
    ({'ps': ['a'], 'worker': ['b:2']}, 'worker', 0, 'is not "host:port"'),
    ({'ps': ['a:1', 'a:1'], 'worker': ['b:2']}, 'worker', 0, 'repeat'),
    ({'ps': ['a:1'], 'worker': ['a:1']}, 'worker', 0, 'given to a ps and a worker'),
    (CLUSTER, 'evaluator', 0, 'job must be one of'),
    (CLUSTER, 'worker', 2, 'task 2 is no worker'),
])
def test_a_cluster_that_cannot_run_is_refused(cluster, job, task, message):
    with pytest.raises(SettingError, match=message):
        ClusterConfig(cluster, job, task)


def test_bad_flags_and_tf_config_say_what_to_give():
    with pytest.raises(SettingError, match='--job, --task missing'):
        from_flags(json.dumps(CLUSTER), None, None)
    with pytest.raises(SettingError, match='--cluster is not JSON'):
        from_flags('{ps: 1}', 'worker', 0)
    with pytest.raises(SettingError, match='TF_CONFIG is not JSON'):
        from_tf_config('{nope')
    with pytest.raises(SettingError, match='TF_CONFIG needs "cluster" and "task"'):
        from_tf_config(json.dumps({'cluster': CLUSTER}))
