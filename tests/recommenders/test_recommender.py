"""Tests of the Recommender base class through BPR: feeding, sharing, objectives, persistence."""

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from openrec2.errors import (CheckpointError, DTypeError, MissingInputError, SettingError, ShapeError,
                             UnknownOptionError, VariableSharingError)
from openrec2.modules.extractions import LatentFactor, MultiLayerFC
from openrec2.modules.interactions import PairwiseLog
from openrec2.recommenders import BPR, Recommender


def _batch(rng, users=20, items=30, size=16):
    return {"user_id": rng.integers(0, users, size).astype(np.int32),
            "p_item_id": rng.integers(0, items, size).astype(np.int32),
            "n_item_id": rng.integers(0, items, size).astype(np.int32)}


@pytest.fixture
def model():
    bpr = BPR(batch_size=16, max_user=20, max_item=30, dim_embed=4, seed=3)
    yield bpr
    bpr.close()


def test_training_and_serving_share_the_same_variables(model):
    names = sorted(v.op.name for v in model.graph.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES))
    assert names == ["bpr/item/embedding", "bpr/item_bias/embedding", "bpr/user/embedding"]
    assert model._get_module("user_vec", True).get_variables() == model._get_module("user_vec", False).get_variables()


def test_serving_reflects_training_immediately(model):
    rng = np.random.default_rng(0)
    before = model.serve({"user_id": np.arange(3)})
    model.train(_batch(rng))
    assert not np.allclose(before, model.serve({"user_id": np.arange(3)}))


def test_serve_all_items_and_pairs_agree(model):
    users = np.array([1, 5, 7], dtype=np.int32)
    items = np.array([0, 29, 3], dtype=np.int32)
    full = model.serve({"user_id": users})
    assert full.shape == (3, 30)
    np.testing.assert_allclose(model.serve({"user_id": users, "item_id": items}), full[[0, 1, 2], items], rtol=1e-5, atol=1e-9)
    np.testing.assert_allclose(model.serve_all_items(np.arange(20))[users], full, rtol=1e-5, atol=1e-9)


def test_graph_does_not_grow_with_training(model):
    rng = np.random.default_rng(0)
    model.train(_batch(rng))
    ops = len(model.graph.get_operations())
    for _ in range(5):
        model.train(_batch(rng))
    assert len(model.graph.get_operations()) == ops


def test_input_names_and_objectives(model):
    assert model.input_names() == ["user_id", "p_item_id", "n_item_id"]
    assert model.input_names(train=False) == ["user_id", "item_id"]
    assert model.objectives == ["default"]


def test_bad_batches_raise_specific_errors(model):
    rng = np.random.default_rng(0)
    batch = _batch(rng)
    with pytest.raises(MissingInputError, match="^bpr: the batch lacks input 'n_item_id'"):
        model.train({k: v for k, v in batch.items() if k != "n_item_id"})
    with pytest.raises(DTypeError, match="'user_id' must hold integers"):
        model.train(dict(batch, user_id=batch["user_id"].astype(np.float32)))
    with pytest.raises(ShapeError, match=r"'p_item_id' must have shape \[None\]"):
        model.train(dict(batch, p_item_id=batch["p_item_id"].reshape(4, 4)))
    with pytest.raises(ShapeError, match=r"'user_id' holds ids outside \[0, 20\)"):
        model.train(dict(batch, user_id=batch["user_id"] + 20))
    with pytest.raises(UnknownOptionError, match="unknown objective 'kg'"):
        model.train(batch, objective="kg")
    with pytest.raises(MissingInputError, match="cannot serve a batch with keys"):
        model.serve({"item_id": np.arange(3)})


def test_init_dict_sets_values_and_rejects_unknown_names():
    table = np.full((20, 4), 0.5, dtype=np.float32)
    with BPR(batch_size=4, max_user=20, max_item=30, dim_embed=4, init_dict={"user/embedding": table}) as bpr:
        np.testing.assert_array_equal(bpr.sess.run(bpr._get_module("user_vec", False).get_variables()[0]), table)
    with pytest.raises(VariableSharingError, match="init_dict names 'nope'"):
        BPR(batch_size=4, max_user=20, max_item=30, init_dict={"nope": table})
    with pytest.raises(ShapeError, match=r"init_dict\['bpr/user/embedding'\] has shape \(3, 3\)"):
        BPR(batch_size=4, max_user=20, max_item=30, dim_embed=4, init_dict={"bpr/user/embedding": np.zeros((3, 3))})


def test_bad_sizes_are_rejected():
    with pytest.raises(SettingError, match="^bpr: `max_item` must be an integer >= 1"):
        BPR(batch_size=4, max_user=20, max_item=0)


class _TwoObjectives(Recommender):
    """A toy model with two objectives training different tables."""

    def _build_inputs(self, train=True):
        self._add_input("user_id", "int32", [None], train=train, max_value=self._max_user)
        if train:
            self._add_input("p_item_id", "int32", [None], train=True)
            self._add_input("n_item_id", "int32", [None], train=True)

    def _build_extractions(self, train=True):
        ids = self._get_input("user_id", train)
        self._add_module("user", LatentFactor([self._max_user, 2], ids=ids, l2_reg=1.0, scope="user"),
                         train=train, train_loss="shrink_user")
        self._add_module("item", LatentFactor([self._max_item, 2], ids=None, scope="item"), train=train,
                         train_loss=False)

    def _build_interactions(self, train=True):
        user = self._get_module("user", train).get_outputs()[0]
        items = self._get_module("item", train).get_outputs()[0]
        if train:
            self._add_module("rank", PairwiseLog(user=user, p_item=tf.gather(items, self._get_input("p_item_id")),
                                                 n_item=tf.gather(items, self._get_input("n_item_id"))),
                             train_loss="rank")
        else:
            self._set_serving_output(PairwiseLog(user=user, item=items, train=False).get_outputs()[0], ["user_id"])


def test_named_objectives_train_only_what_they_depend_on():
    with _TwoObjectives(batch_size=4, max_user=5, max_item=6, seed=0) as model:
        assert model.objectives == ["shrink_user", "rank"]
        items_before = model.sess.run(model._get_module("item", True).get_variables()[0])
        # shrink_user needs only user ids
        losses = [model.train({"user_id": np.arange(5)}, objective="shrink_user") for _ in range(3)]
        assert losses[-1] < losses[0]
        np.testing.assert_array_equal(model.sess.run(model._get_module("item", True).get_variables()[0]), items_before)
        model.train({"user_id": np.arange(4), "p_item_id": np.arange(4), "n_item_id": np.arange(1, 5)}, objective="rank")
        assert not np.allclose(model.sess.run(model._get_module("item", True).get_variables()[0]), items_before)
        assert model.global_step == 4


SCRIPT = textwrap.dedent("""
    import sys, numpy as np
    from openrec2.recommenders import BPR
    model = BPR(batch_size=16, max_user=20, max_item=30, dim_embed=4, seed=99)
    model.load(sys.argv[1])
    np.save(sys.argv[2], model.serve({"user_id": np.arange(20)}))
    rng = np.random.default_rng(5)
    batch = {k: rng.integers(0, n, 16).astype(np.int32) for k, n in (("user_id", 20), ("p_item_id", 30), ("n_item_id", 30))}
    model.train(batch)
    np.save(sys.argv[3], model.serve({"user_id": np.arange(20)}))
    print(model.global_step)
""")


def test_save_then_load_in_a_fresh_process_gives_identical_scores_and_resumes(model, tmp_path):
    rng = np.random.default_rng(0)
    for _ in range(5):
        model.train(_batch(rng))
    prefix = model.save(str(tmp_path / "ckpt"), step=5)
    assert prefix.endswith("model.ckpt-5")
    expected = model.serve({"user_id": np.arange(20)})
    # The next step taken here and in the fresh process must match (optimiser state restored).
    resume_rng = np.random.default_rng(5)
    model.train({k: resume_rng.integers(0, n, 16).astype(np.int32)
                 for k, n in (("user_id", 20), ("p_item_id", 30), ("n_item_id", 30))})
    expected_after = model.serve({"user_id": np.arange(20)})
    script = tmp_path / "reload.py"
    script.write_text(SCRIPT)
    result = subprocess.run([sys.executable, str(script), str(tmp_path / "ckpt"), str(tmp_path / "a.npy"),
                             str(tmp_path / "b.npy")], capture_output=True, text=True, timeout=300,
                            env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"))
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "6"
    np.testing.assert_array_equal(np.load(tmp_path / "a.npy"), expected)
    np.testing.assert_allclose(np.load(tmp_path / "b.npy"), expected_after, rtol=1e-6, atol=1e-7)


def test_load_errors(model, tmp_path):
    with pytest.raises(CheckpointError, match="^bpr: no checkpoint at"):
        model.load(str(tmp_path))
    other = BPR(batch_size=16, max_user=20, max_item=30, dim_embed=8)
    other.save(str(tmp_path / "wide"))
    with pytest.raises(CheckpointError, match="does not match this model"):
        model.load(str(tmp_path / "wide"))


class _BatchNormModel(Recommender):
    """User factors through a batch-normalised MLP, trained with BPR."""

    def _build_inputs(self, train=True):
        for name in ["user_id", "p_item_id", "n_item_id"] if train else ["user_id"]:
            self._add_input(name, "int32", [None], train=train)

    def _build_extractions(self, train=True):
        user = LatentFactor([self._max_user, 4], ids=self._get_input("user_id", train), scope="user")
        self._add_module("mlp", MultiLayerFC(user.get_outputs()[0], dims=[4], batch_norm=True, train=train),
                         train=train)
        self._add_module("items", LatentFactor([self._max_item, 4], scope="item"), train=train)

    def _build_interactions(self, train=True):
        user = self._get_module("mlp", train).get_outputs()[0]
        items = self._get_module("items", train).get_outputs()[0]
        if train:
            self._add_module("bpr", PairwiseLog(user=user, p_item=tf.gather(items, self._get_input("p_item_id")),
                                                n_item=tf.gather(items, self._get_input("n_item_id"))))
        else:
            self._set_serving_output(PairwiseLog(user=user, item=items, train=False).get_outputs()[0], ["user_id"])


def test_training_steps_update_batch_norm_moving_averages():
    with _BatchNormModel(batch_size=8, max_user=10, max_item=12, seed=0) as model:
        moving = [v for v in model.graph.get_collection(tf.GraphKeys.GLOBAL_VARIABLES) if "moving_mean" in v.op.name]
        before = model.sess.run(moving)
        model.train({"user_id": np.arange(8), "p_item_id": np.arange(8), "n_item_id": np.arange(1, 9)})
        assert not np.allclose(model.sess.run(moving), before)


def test_serve_in_chunks_equals_one_serve_and_checks_row_counts():
    with BPR(batch_size=4, max_user=20, max_item=30, dim_embed=4, test_batch_size=3, seed=1) as model:
        users, items = np.arange(10, dtype=np.int32), np.arange(10, 20, dtype=np.int32)
        np.testing.assert_allclose(model.serve_in_chunks({"user_id": users, "item_id": items}),
                                   model.serve({"user_id": users, "item_id": items}), rtol=1e-6)
        assert model.serve_all_items(users).shape == (10, 30)
        assert model.serve_all_items(np.zeros(0, np.int32)).shape == (0, 30)
        with pytest.raises(ShapeError, match="same number of rows"):
            model.serve_in_chunks({"user_id": users, "item_id": items[:5]})


def test_parameters_finite_sees_a_nan_in_any_table():
    with BPR(batch_size=4, max_user=5, max_item=6, dim_embed=2) as model:
        assert model.parameters_finite()
    table = np.zeros((6, 2), np.float32)
    table[3, 1] = np.nan
    with BPR(batch_size=4, max_user=5, max_item=6, dim_embed=2, init_dict={"item/embedding": table}) as model:
        assert not model.parameters_finite()


# ------------------------------------------------------- legacy OpenRec subclassing
def _legacy_pmf(**kwargs):
    from legacy_models import LegacyStylePMF
    return LegacyStylePMF(batch_size=64, dim_embed=8, max_user=200, max_item=150, opt='Adam', seed=0, **kwargs)


def test_a_legacy_style_subclass_trains_through_the_legacy_trainer_and_learns():
    from planted import planted_split, test_metrics

    from openrec2 import ImplicitModelTrainer
    from openrec2.utils.evaluators import AUC
    from openrec2.utils.samplers import PointwiseSampler
    split = planted_split()
    model = _legacy_pmf()
    sampler = PointwiseSampler(batch_size=64, dataset=split.train, pos_ratio=0.3, num_process=1)
    with model, sampler:
        assert model.input_names(train=False) == ['user_id']  # the 'none' item input is no placeholder
        assert model._get_input('item_id', train=False) is None
        history = ImplicitModelTrainer(batch_size=64, test_batch_size=50, train_dataset=split.train, model=model,
                                       sampler=sampler, verbose=False).train(
            num_itr=1500, display_itr=1500, eval_datasets=[split.validation], evaluators=[AUC()])
        scores = model.serve({'user_id_input': np.arange(5)})  # a legacy serving batch
        assert scores.shape == (5, 150)
        assert np.allclose(scores, model.serve_all_items(np.arange(5)))
        assert history.last_metrics()['AUC'] > 0.75
        assert test_metrics(model.serve_all_items(np.arange(split.max_user)), split)['AUC'] > 0.75
        assert model._loss is not None and model._train_op is not None and model._sess is model.sess
        assert {m.__class__.__name__ for m in model._loss_nodes} == {'LatentFactor', 'PointwiseMSE'}


def test_a_legacy_structured_batch_feeds_the_mapping():
    model = _legacy_pmf()
    batch = np.zeros(4, dtype=[('user_id_input', np.int32), ('item_id_input', np.int32), ('labels', np.float32)])
    batch['labels'] = 1.0
    with model:
        assert np.isfinite(model.train(batch))


def test_a_mapping_reading_an_absent_key_or_input_fails_clearly():
    with pytest.raises(MissingInputError, match="no training input 'labels'"):
        _legacy_pmf(label_name='lables')  # the published tutorial's typo
    model = _legacy_pmf()
    with model, pytest.raises(MissingInputError, match="read batch key 'labels'"):
        model.train({'user_id': np.zeros(3, np.int32), 'item_id': np.zeros(3, np.int32)})


def test_extra_functions_run_after_the_defaults_for_both_graphs():
    from legacy_models import LegacyScale
    calls = []

    def extra_interaction(train):
        calls.append(('interaction', train))
        model = holder[0]
        model._add_module('extra_loss', LegacyScale([model._get_module('user_vec', train=train)], 0.0,
                                                    scope='extra', reuse=not train), train=train)

    def extra_fusion(train):
        calls.append(('fusion', train))

    holder = []

    class Recorded(__import__('legacy_models').LegacyStylePMF):
        def __init__(self, **kwargs):
            holder.append(self)
            super().__init__(**kwargs)

    model = Recorded(batch_size=8, dim_embed=4, max_user=10, max_item=12, extra_interactions_funcs=[extra_interaction],
                     extra_fusions_funcs=[extra_fusion])
    with model:
        assert calls == [('fusion', True), ('interaction', True), ('fusion', False), ('interaction', False)]
        assert model.built == [('default_interactions', True), ('default_interactions', False)]
        assert model._get_module('extra_loss', train=False).get_outputs()[0].shape.as_list() == [None, 4]


def test_extra_functions_must_be_a_list_of_callables():
    with pytest.raises(UnknownOptionError, match='extra_interactions_funcs must be a list'):
        _legacy_pmf(extra_interactions_funcs=print)
    with pytest.raises(UnknownOptionError, match='extra_fusions_funcs must hold functions'):
        _legacy_pmf(extra_fusions_funcs=['not a function'])


def test_the_legacy_positional_order_of_the_base():
    from legacy_models import LegacyStylePMF

    class Positional(LegacyStylePMF):
        def __init__(self):
            self._dim_embed, self._label_name, self.built = 4, 'labels', []
            Recommender.__init__(self, 8, 10, 12, [], [], 5, 0.01, 'SGD', 0.1)

    with Positional() as model:
        assert (model.batch_size, model.max_user, model.max_item, model.test_batch_size) == (8, 10, 12, 5)
        assert model._l2_reg == 0.01 and model.learning_rates() == {'default': pytest.approx(0.1)}


def test_a_legacy_optimizer_override_and_post_training_ops():
    from legacy_models import LegacyStylePMF

    class OwnOptimizer(LegacyStylePMF):
        def _build_optimizer(self):
            self._loss = tf.add_n([node.get_loss() for node in self._loss_nodes])
            self._train_op = tf.train.GradientDescentOptimizer(0.1).minimize(self._loss)

        def _build_post_training_ops(self):
            table = [v for v in tf.global_variables() if v.op.name.endswith('item_bias/embedding')][0]
            return [tf.assign(table, tf.ones_like(table) * 0.0)]

    with OwnOptimizer(batch_size=8, dim_embed=4, max_user=10, max_item=12, seed=0) as model:
        batch = {'user_id': np.arange(8, dtype=np.int32), 'item_id': np.arange(8, dtype=np.int32),
                 'label': np.ones(8, np.float32)}
        first = model.train(batch)
        for _ in range(30):
            last = model.train(batch)
        assert last < first
        bias = [v for v in model.graph.get_collection('variables') if v.op.name.endswith('item_bias/embedding')][0]
        assert not model.sess.run(bias).any()  # the post-training op ran after the steps


def test_openrec2_models_still_refuse_a_name_declared_twice():
    class Twice(BPR):
        def _build_extra_inputs(self, train=True):
            self._add_input('user_id', train=train)

    with pytest.raises(VariableSharingError, match='declared twice'):
        Twice(batch_size=4, max_user=5, max_item=6, dim_embed=2)


def test_legacy_compute_module_outputs_and_loss(model):
    rng = np.random.default_rng(0)
    batch = _batch(rng)
    user_vectors = model.compute_module_outputs('user_vec', batch)[0]
    assert user_vectors.shape == (16, 4)
    assert np.isfinite(model.compute_module_loss('interaction', batch))
    assert model.compute_module_outputs('user_vec', {'user_id': np.arange(3)}, train=False)[0].shape == (3, 4)
    with pytest.raises(MissingInputError, match="lacks input 'user_id'"):
        model.compute_module_outputs('user_vec', {'p_item_id': np.arange(3)})
    legacy = _legacy_pmf()
    with legacy:
        out = legacy.compute_module_outputs('user_vec', {'user_id_input': np.arange(2)}, train=False)
        assert out[0].shape == (2, 8)
