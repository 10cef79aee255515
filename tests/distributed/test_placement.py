"""A BPR on an in-process 2-ps cluster: tables split over both servers, the sparse Adam
update on the servers, async and sync training learn a planted problem, and the chief's
checkpoint loads into a single-process model."""

import threading

import numpy as np
import pytest

from openrec2.datasets import make_planted_implicit
from openrec2.errors import SettingError
from openrec2.recommenders import BPR, CML, PMF
from openrec2.recommenders.graph_placement import placing
from openrec2.utils.evaluators import AUC, Recall, evaluate
from openrec2.utils.samplers import PairwiseSampler, StratifiedPointwiseSampler

from inprocess import inprocess_cluster, worker_placement


@pytest.fixture(scope='module')
def split():
    return make_planted_implicit(num_users=200, num_items=150, rank=4, per_user=20, seed=1)


def metrics(model, split):
    users = np.arange(split.max_user)
    return evaluate(model.serve_all_items(users), split.test.item_lists(users), split.train.item_lists(users),
                    evaluators=[AUC(), Recall(10)])


def popularity(split):
    users = np.arange(split.max_user)
    scores = np.tile(split.train.item_popularity.astype(np.float64), (split.max_user, 1))
    return evaluate(scores, split.test.item_lists(users), split.train.item_lists(users), evaluators=[AUC(), Recall(10)])


def build(cls, split, placement, **kw):
    with placing(placement):
        return cls(batch_size=256, max_user=split.max_user, max_item=split.max_item, dim_embed=8, lr=0.01, seed=0, **kw)


def ps_of(device):
    """``'/job:ps/task:1'`` -> 1 (None for a worker device)."""
    return int(device.split('task:')[1].split('/')[0]) if '/job:ps' in device else None


def test_tables_and_slots_live_half_on_each_ps_and_adam_runs_there(split):
    cluster, _ = inprocess_cluster(2, 1)
    model = build(BPR, split, worker_placement(cluster, 0))
    with model:
        variables = {v.op.name: v for v in model.graph.get_collection('variables')}
        for table in ('bpr/user/embedding', 'bpr/item/embedding'):
            parts = sorted(name for name in variables if name.startswith(table + '/part_') and name.count('/') == 3)
            assert len(parts) == 2, sorted(variables)
            devices = [ps_of(variables[name].device) for name in parts]
            assert sorted(devices) == [0, 1]  # one part on each parameter server
            rows = [variables[name].shape[0] for name in parts]
            assert sum(rows) == (split.max_user if 'user' in table else split.max_item)
            for name in parts:  # the lazy Adam slot sits beside its part
                slot = [v for n, v in variables.items() if (name + '/') in n]
                assert slot and slot[0].device == variables[name].device
        updates = [op for op in model.graph.get_operations() if op.type == 'Openrec2SparseLazyAdam']
        if updates:  # the fused kernel (compiled here) runs where each part lives
            # one per part of each table (factors and the item bias), half on each server
            parts = [v for v in model.graph.get_collection('trainable_variables') if '/part_' in v.op.name]
            assert len(updates) == len(parts) >= 4
            assert sorted(ps_of(op.device) for op in updates) == sorted(ps_of(v.device) for v in parts)
            assert {ps_of(op.device) for op in updates} == {0, 1}
        else:
            scatters = [op for op in model.graph.get_operations() if op.type == 'ResourceScatterSub']
            assert {ps_of(op.device) for op in scatters} == {0, 1}
        assert all(op.device.startswith('/job:worker/task:0') for op in model.graph.get_operations()
                   if op.type == 'MatMul')


def test_async_bpr_learns_and_its_checkpoint_loads_in_one_process(split, tmp_path):
    cluster, _ = inprocess_cluster(2, 1)
    model = build(BPR, split, worker_placement(cluster, 0))
    with model, PairwiseSampler(split.train, batch_size=256, seed=0) as sampler:
        first = np.mean([model.train(next(sampler)) for _ in range(10)])
        for _ in range(300):
            last = model.train(next(sampler))
        learned = metrics(model, split)
        prefix = model.save(str(tmp_path))
        scores = model.serve_all_items(np.arange(20))
    assert last < 0.7 * first
    assert learned['AUC'] > max(0.8, popularity(split)['AUC'] + 0.1)
    assert learned['Recall@10'] > 1.5 * popularity(split)['Recall@10']
    # A checkpoint stores whole tables: a single-process model of the same shape loads it.
    with build(BPR, split, None) as local:
        local.load(prefix)
        np.testing.assert_allclose(local.serve_all_items(np.arange(20)), scores, rtol=1e-5, atol=1e-6)


def test_sync_two_workers_learn_and_take_one_averaged_step_each(split):
    cluster, _ = inprocess_cluster(2, 2)
    placements = [worker_placement(cluster, task, mode='sync') for task in range(2)]
    chief, other = (build(BPR, split, placement) for placement in placements)
    steps, errors = 150, []
    halves = [split.train.data[split.train.data['user_id'] % 2 == k] for k in range(2)]
    from openrec2.utils.dataset import Dataset

    def run(model, placement, rows, seed):
        try:
            with PairwiseSampler(Dataset(rows, split.max_user, split.max_item), batch_size=256, seed=seed) as sampler:
                for _ in range(steps):
                    model.train(next(sampler))
            placement.finish(model.sess)  # what close() does: the other worker never waits for this one
        except Exception as err:  # reported below
            errors.append(err)
    threads = [threading.Thread(target=run, args=(model, placement, rows, task))
               for task, (model, placement, rows) in enumerate(zip((chief, other), placements, halves))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors and not any(t.is_alive() for t in threads)
    # A global step applies the average of two gradients (one of each worker while both
    # train; the last worker's own two once the other left and released its tokens).
    assert steps // 2 <= chief.global_step <= steps
    learned = metrics(chief, split)
    chief.close()
    other.close()
    assert learned['AUC'] > max(0.8, popularity(split)['AUC'] + 0.1)


def test_a_sync_chief_that_restores_an_earlier_checkpoint_goes_on_training(split, tmp_path):
    # The restore moves the global step back behind the gradient accumulators' own step; without
    # ClusterPlacement.restored resetting them, every later gradient is stale and a step never ends.
    cluster, _ = inprocess_cluster(1, 1)
    model = build(BPR, split, worker_placement(cluster, 0, mode='sync'))
    done = []
    with model, PairwiseSampler(split.train, batch_size=256, seed=0) as sampler:
        for _ in range(10):
            model.train(next(sampler))
        prefix = model.save(str(tmp_path))
        for _ in range(10):
            model.train(next(sampler))
        model.load(prefix)
        restored = model.global_step  # 9 or 10: the chief's queue runner applies a step after it returns
        assert 9 <= restored <= 10

        def go_on():
            for _ in range(5):
                model.train(next(sampler))
            done.append(model.global_step)
        thread = threading.Thread(target=go_on, daemon=True)
        thread.start()
        thread.join(timeout=120)
        assert done and done[0] >= restored + 4, 'the sync steps after the restore never finished'


def test_a_phase_trains_its_own_model_in_its_own_container_before_the_next_one(split):
    # ConvNCF's BPR pretraining on the cluster: two sync models, one after the other, on the same
    # servers. The first leaves spare tokens in its token queue when it finishes; in its own
    # container they do not let the second one's workers skip the aggregation.
    cluster, _ = inprocess_cluster(1, 1)
    placement = worker_placement(cluster, 0, mode='sync')
    with pytest.raises(SettingError, match="phase name 'pretrain_BPR' is not a TensorFlow container name"):
        placement.phase('pretrain_BPR')
    steps = []
    for stage in (placement.phase('pretrain-BPR'), placement):
        model = build(BPR, split, stage)
        with model, PairwiseSampler(split.train, batch_size=256, seed=0) as sampler:
            for _ in range(10):
                model.train(next(sampler))
            stage.finish(model.sess)
            steps.append(model.global_step)
            containers = {op.get_attr('container') for op in model.graph.get_operations()
                          if op.type in ('VarHandleOp', 'SparseConditionalAccumulator', 'FIFOQueueV2')}
        assert containers == {stage.container.encode()}
    assert all(9 <= step <= 10 for step in steps), steps


def test_the_other_workers_stop_training_when_the_chief_closes_the_model(split):
    # ConvNCF's pretraining on the cluster: the chief stops early and goes on to the next phase;
    # a worker that trained on to its own total_iter would hold the cluster up (or train alone).
    from openrec2 import ModelTrainer
    from openrec2.trainer.training_run import PEER_CHECK_EVERY
    cluster, _ = inprocess_cluster(1, 2)
    placements = [worker_placement(cluster, task) for task in range(2)]
    chief, other = (build(BPR, split, placement) for placement in placements)
    histories, errors, total = [], [], 10 ** 6

    def train_on():
        try:
            with PairwiseSampler(split.train, batch_size=64, seed=1) as sampler:
                trainer = ModelTrainer(other, progress=False, verbose=False)
                histories.append(trainer.train(total_iter=total, eval_iter=0, save_iter=0, train_sampler=sampler))
        except Exception as err:  # reported below
            errors.append(err)
    thread = threading.Thread(target=train_on, daemon=True)
    thread.start()
    assert not other.training_ended_elsewhere() and not chief.training_ended_elsewhere()
    with PairwiseSampler(split.train, batch_size=256, seed=0) as sampler:
        for _ in range(20):
            chief.train(next(sampler))
    chief.close()
    thread.join(timeout=120)
    assert not errors and not thread.is_alive(), errors
    ended = histories[0].end_iter
    assert ended < total and ended % PEER_CHECK_EVERY == 0
    other.close()


def test_sync_mode_refuses_a_model_that_trains_several_objectives_in_turn(split):
    # Each objective would aggregate separately: a worker that reached AMR's adversarial epochs first would
    # wait there for the other, waiting in its bpr epochs for it (seen as a hang of KTUP and AMR --sync).
    cluster, _ = inprocess_cluster(1, 1)
    with pytest.raises(SettingError, match=r"several \('bpr', 'adversarial', ...\).*async mode"):
        with placing(worker_placement(cluster, 0, mode='sync')):
            family_model('AMR', split)


def family_model(name, split):
    """A small model of each family the cluster trains (content, adversarial, KG, CNN, ...)."""
    from openrec2 import recommenders

    rng = np.random.default_rng(0)
    sizes = dict(batch_size=256, max_user=split.max_user, max_item=split.max_item, seed=0)
    features = rng.normal(size=(split.max_item, 6)).astype(np.float32)
    if name in ('VBPR', 'AMR'):
        return getattr(recommenders, name)(item_features=features, factors=8, factors_d=4, **sizes)
    if name == 'VisualBPR':
        return recommenders.VisualBPR(dim_embed=8, dims=[6, 8], item_f_source=features, **sizes)
    if name == 'CDL':
        return recommenders.CDL(dim_embed=8, item_f=features, dims=[6, 8, 8], **sizes)
    if name == 'KTUP':
        return recommenders.KTUP(num_entities=split.max_item + 10, num_relations=3,
                                 item_entity=np.arange(split.max_item), embedding_size=8, **sizes)
    if name == 'ConvNCF':
        return recommenders.ConvNCF(embedding_size=16, cnn_channels=[1, 8, 8], cnn_kernels=[4, 4],
                                    cnn_strides=[4, 1], **sizes)
    return getattr(recommenders, name)(dim_embed=8, **sizes)


@pytest.mark.parametrize('name', ['VBPR', 'AMR', 'VisualBPR', 'CDL', 'KTUP', 'ConvNCF', 'GMF', 'WRMF', 'NBPR'])
def test_every_family_keeps_its_variables_on_the_ps_tasks_with_tables_split_over_both(split, name):
    cluster, _ = inprocess_cluster(2, 1)
    with placing(worker_placement(cluster, 0)):
        model = family_model(name, split)
    with model:
        variables = model.graph.get_collection('variables')
        assert variables and all(ps_of(v.device) is not None for v in variables), \
            [v.op.name for v in variables if ps_of(v.device) is None]
        parts = {}
        for v in variables:
            if '/part_' in v.op.name:
                parts.setdefault(v.op.name.split('/part_')[0], set()).add(ps_of(v.device))
        assert any(devices == {0, 1} for devices in parts.values()), parts  # e.g. the user table
        model.sess.run(variables)  # the chief initialised every one (an uninitialised one raises)


def test_pmf_trains_on_the_cluster(split):
    cluster, _ = inprocess_cluster(2, 1)
    with build(PMF, split, worker_placement(cluster, 0)) as model, \
            StratifiedPointwiseSampler(split.train, batch_size=256, pos_ratio=0.2, seed=0) as sampler:
        for _ in range(300):
            model.train(next(sampler))
        assert metrics(model, split)['AUC'] > popularity(split)['AUC'] + 0.05


def test_cml_censors_the_rows_of_its_partitioned_tables_and_learns(split):
    cluster, _ = inprocess_cluster(2, 1)
    with build(CML, split, worker_placement(cluster, 0)) as model, \
            PairwiseSampler(split.train, batch_size=256, seed=0) as sampler:
        users = model._get_module('user_vec').embedding
        assert len(list(users)) == 2  # the user table is split over both ps
        for _ in range(300):
            model.train(next(sampler))
        rows = model.sess.run(list(users))
        assert np.linalg.norm(np.concatenate(rows), axis=1).max() <= 1.0 + 1e-5  # the censor ran in both parts
        assert metrics(model, split)['AUC'] > popularity(split)['AUC'] + 0.05


@pytest.mark.parametrize('opt', ['Adagrad', 'DenseAdam', 'SGD'])
def test_other_optimisers_train_partitioned_tables_and_their_checkpoints_load_in_one_process(split, opt, tmp_path):
    cluster, _ = inprocess_cluster(2, 1)
    with build(BPR, split, worker_placement(cluster, 0), opt=opt) as model, \
            PairwiseSampler(split.train, batch_size=256, seed=0) as sampler:
        assert len(list(model._get_module('user_vec').embedding)) == 2
        first = np.mean([model.train(next(sampler)) for _ in range(10)])
        for _ in range(200):
            last = model.train(next(sampler))
        prefix = model.save(str(tmp_path))
        scores = model.serve_all_items(np.arange(20))
    assert last < first
    with build(BPR, split, None, opt=opt) as local:  # slots included: the names match one process's
        local.load(prefix)
        np.testing.assert_allclose(local.serve_all_items(np.arange(20)), scores, rtol=1e-5, atol=1e-6)


def test_init_dict_loads_whole_tables_into_their_parts(split):
    cluster, _ = inprocess_cluster(2, 1)
    table = np.random.default_rng(2).normal(size=(split.max_user, 8)).astype(np.float32)
    with build(BPR, split, worker_placement(cluster, 0), init_dict={'user/embedding': table}) as model:
        parts = list(model._get_module('user_vec').embedding)
        assert len(parts) == 2
        np.testing.assert_array_equal(np.concatenate(model.sess.run(parts)), table)


def test_a_ps_task_builds_no_model(split):
    cluster, _ = inprocess_cluster(1, 1)
    from openrec2.distributed import ClusterConfig, ClusterPlacement
    with pytest.raises(SettingError, match='ps0 is a parameter server'):
        ClusterPlacement(ClusterConfig(cluster, 'ps', 0), server=None)
    with pytest.raises(SettingError, match='mode must be one of'):
        ClusterPlacement(ClusterConfig(cluster, 'worker', 0), server=None, mode='semi')
