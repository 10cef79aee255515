"""UCML: OpenRec 0.2's argument order, the unit-ball and unit-sphere constraints, learning (planted and ML-100K)."""

import numpy as np
import pytest

from openrec2.errors import SettingError
from openrec2.recommenders import CML, UCML

from planted import planted_split
from zoo import assert_beats_most_popular, assert_learns_planted

BATCH = {"user_id": np.array([0, 1]), "p_item_id": np.array([0, 1]), "n_item_id": np.array([2, 3])}


def trained_tables(norm_constraint, start):
    """User and item tables after one step from user rows of norm ``|start| * sqrt(2)``."""
    init = {"user/embedding": np.full((4, 2), start, np.float32)}
    with UCML(2, 2, 2, 4, 6, lr=0.01, seed=0, init_dict=init, norm_constraint=norm_constraint) as model:
        model.train(BATCH)
        return (model.sess.run(model._get_module("user_vec").embedding),
                model.sess.run(model._get_module("item_vec").embedding))


@pytest.mark.parametrize("norm_constraint", ["ball", "sphere"])
def test_ucml_learns_planted_problem(norm_constraint):
    split = planted_split()
    # On the sphere every row has norm 1, so steps of 0.01 move the points slowly: a larger rate.
    lr = 0.05 if norm_constraint == "sphere" else 0.01
    assert_learns_planted(UCML(256, 8, 8, split.max_user, split.max_item, lr=lr, seed=0,
                               norm_constraint=norm_constraint), split)


def test_defaults_are_openrec_tf2_s():
    with UCML(16, 4, 4, 30, 50) as model:
        assert model.norm_constraint == "sphere" and model._margin == 0.5


def test_a_positional_openrec_0_2_call_keeps_its_meaning():
    # openrec.tf1: UCML(batch_size, dim_user_embed, dim_item_embed, total_users, total_items, l2_reg)
    with UCML(16, 4, 4, 30, 50, 0.01) as model:
        assert (model.batch_size, model.max_user, model.max_item) == (16, 30, 50)
        assert model.serve({"user_id": [0, 29]}).shape == (2, 50)
        assert model._get_module("user_vec").embedding.shape.as_list() == [30, 4]


def test_ball_scales_down_long_rows_and_keeps_short_ones():
    users, items = trained_tables("ball", 3.0)
    assert (np.linalg.norm(users[:2], axis=1) <= 1.0 + 1e-5).all()
    np.testing.assert_allclose(np.linalg.norm(users[2:], axis=1), np.sqrt(18.0))  # rows not in the batch stay
    short_users, short_items = trained_tables("ball", 0.1)
    assert (np.linalg.norm(short_users[:2], axis=1) < 0.5).all()  # inside the ball: not lengthened
    assert (np.linalg.norm(short_items[:4], axis=1) < 0.5).all()


def test_sphere_puts_the_batch_rows_at_norm_one():
    users, items = trained_tables("sphere", 0.1)
    np.testing.assert_allclose(np.linalg.norm(users[:2], axis=1), 1.0, rtol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(items[:4], axis=1), 1.0, rtol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(users[2:], axis=1), 0.1 * np.sqrt(2.0), rtol=1e-5)
    assert (np.linalg.norm(items[4:], axis=1) < 0.5).all()  # items 4 and 5 were not in the batch


def test_ball_ucml_trains_exactly_as_cml_with_the_same_margin():
    ucml = UCML(2, 3, 3, 4, 6, lr=0.05, seed=3, margin=1.0, norm_constraint="ball")
    with ucml, CML(2, 4, 6, 3, lr=0.05, seed=3) as cml:
        losses = [(ucml.train(BATCH), cml.train(BATCH)) for _ in range(5)]
        np.testing.assert_allclose(ucml.serve_all_items(np.arange(4)), cml.serve_all_items(np.arange(4)), rtol=1e-5)
    np.testing.assert_allclose(*zip(*losses), rtol=1e-5)


def test_settings_are_checked():
    with pytest.raises(SettingError, match="dim_item_embed=8 differs from dim_user_embed=4"):
        UCML(16, 4, 8, 30, 50)
    with pytest.raises(SettingError, match="norm_constraint"):
        UCML(16, 4, 4, 30, 50, norm_constraint="cube")
    with pytest.raises(SettingError, match="margin"):
        UCML(16, 4, 4, 30, 50, margin=-1.0)


@pytest.mark.slow
def test_ucml_beats_most_popular_on_ml100k():
    assert_beats_most_popular("UCML", "ml-100k")
