"""ItrMLP: identity pre-training, a learned transition of pretrained embeddings, forward updates."""

import numpy as np
import pytest

from openrec2 import ModelTrainer
from openrec2.recommenders import PMF, ItrMLP
from openrec2.utils.samplers import StratifiedPointwiseSampler

from planted import planted_split, test_metrics
from zoo import assert_beats_most_popular


def rotated_problem():
    """Planted split whose pretrained user embeddings are the true ones rotated: only a
    learned transition recovers the preferences."""
    split = planted_split()
    rotation, _ = np.linalg.qr(np.random.default_rng(0).normal(size=(4, 4)))
    users = (split.metadata["user_factors"] @ rotation.T).astype(np.float32)  # true = users @ rotation
    return split, users, split.metadata["item_factors"].astype(np.float32)


def test_identity_pretraining_keeps_the_pretrained_ranking():
    split, users, items = rotated_problem()
    with ItrMLP(64, 4, split.max_user, split.max_item, users, items, [16, 4], [16, 4], seed=0) as model:
        served = model.serve_all_items(np.arange(split.max_user))
    pretrained = users @ items.T
    agreement = np.mean([np.corrcoef(a, b)[0, 1] for a, b in zip(served, pretrained)])
    assert agreement > 0.9


def test_itr_mlp_learns_the_transition_of_its_embeddings():
    split, users, items = rotated_problem()
    before = test_metrics(users @ items.T, split)
    model = ItrMLP(256, 4, split.max_user, split.max_item, users, items, [16, 4], [16, 4], lr=0.01, seed=0)
    with model, StratifiedPointwiseSampler(split.train, 256, seed=0) as sampler:
        ModelTrainer(model, verbose=False).train(total_iter=600, eval_iter=600, save_iter=None, train_sampler=sampler)
        after = test_metrics(model.serve_all_items(np.arange(split.max_user)), split)
    assert before["AUC"] < 0.6 and after["AUC"] > 0.85
    assert after["Recall@10"] > 3 * before["Recall@10"]


def test_forward_updates_move_only_the_rows_used_since_the_last_one():
    split, users, items = rotated_problem()
    with ItrMLP(8, 4, split.max_user, split.max_item, users, items, [8, 4], [8, 4], seed=0, update_itr=1,
                identity_steps=0) as model:
        table = model._get_module("user_vec")._embedding
        model.train({"user_id": np.array([0, 1]), "item_id": np.array([0, 1]), "label": np.array([1.0, 0.0])})
        ((every, update),) = model.periodic_updates()
        assert every == 1
        update()
        moved = model.sess.run(table)
    assert not np.allclose(moved[:2], users[:2]) and np.allclose(moved[2:], users[2:])


def test_pretrained_keywords_read_a_factorisation_checkpoint(tmp_path):
    with PMF(8, 4, 6, 5, seed=0) as pmf:
        path = pmf.save(str(tmp_path / "pmf"))
        expected = pmf.sess.run(pmf._get_module("user_vec").embedding)
    keywords = ItrMLP.pretrained_keywords(path, 6, 5, 4)
    np.testing.assert_array_equal(keywords["pretrained_user_embeddings"], expected)
    assert keywords["pretrained_item_embeddings"].shape == (5, 4)


@pytest.mark.slow
def test_itr_mlp_beats_most_popular_on_ml100k():
    assert_beats_most_popular("ItrMLP", "ml-100k")
