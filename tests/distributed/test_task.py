"""A worker's task: a lost parameter server becomes a ClusterError that says how to resume."""

import pytest
import tensorflow.compat.v1 as tf

import openrec2.experiments.experiment as experiment
from openrec2.distributed import ClusterConfig, free_ports, run_task
from openrec2.errors import ClusterError


@pytest.mark.parametrize('error, message', [
    (tf.errors.UnavailableError(None, None, 'Socket closed'), 'A parameter server probably died'),
    (tf.errors.FailedPreconditionError(None, None, 'Could not find variable bpr/user/embedding/part_1'),
     'was restarted and lost its variables'),
])
def test_a_lost_ps_is_a_cluster_error_naming_the_fix(monkeypatch, error, message):
    ports = free_ports(2)
    config = ClusterConfig({'ps': [f'127.0.0.1:{ports[0]}'], 'worker': [f'127.0.0.1:{ports[1]}']}, 'worker', 0)

    def lost(*args, **kwargs):
        raise error
    monkeypatch.setattr(experiment, 'run_experiment', lost)
    with pytest.raises(ClusterError, match=message) as caught:
        run_task(config, 'BPR', 'ml-100k')
    assert 'worker0:' in str(caught.value) and '--resume' in str(caught.value)


@pytest.mark.parametrize('name, reason', [
    ('ItrMLP', 'pretrained PMF tables in its constructor'),
    ('DIEN', 'trains on sequences data'),
    ('DLRM', 'trains on ctr data'),
    ('RNNRec', 'trains on next_item data'),
])
def test_models_that_cannot_train_on_a_cluster_are_refused_before_anything_is_built(name, reason):
    from inprocess import inprocess_cluster, worker_placement
    from openrec2.errors import SettingError
    cluster, _ = inprocess_cluster(1, 1)
    with pytest.raises(SettingError, match=f'{name} does not train on a cluster: .*{reason}.*without --cluster'):
        experiment.run_experiment(name, 'ml-100k', cluster=worker_placement(cluster, 0))
