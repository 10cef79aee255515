"""VisualPMF: item vectors q_i + MLP(f_i), feature matrices of any size and source, learning."""

import h5py
import numpy as np
import pytest

from openrec2.errors import ShapeError
from openrec2.recommenders import VisualPMF

from planted import planted_split
from zoo import assert_beats_most_popular, assert_learns_planted, planted_item_features


def test_visual_pmf_learns_planted_problem():
    split = planted_split()
    model = VisualPMF(256, split.max_user, split.max_item, 8, [16, 8], planted_item_features(split), lr=0.01, seed=0)
    assert_learns_planted(model, split)


def test_features_come_from_an_h5py_dataset(tmp_path):
    features = np.random.default_rng(0).random((6, 4)).astype(np.float32)
    with h5py.File(tmp_path / "f.h5", "w") as handle:
        handle["items"] = features
    with h5py.File(tmp_path / "f.h5", "r") as handle, VisualPMF(4, 3, 6, 2, [2], handle["items"]) as model:
        np.testing.assert_array_equal(model.item_features, features)
        assert model.serve({"user_id": np.array([0, 1])}).shape == (2, 6)


def test_a_feature_matrix_over_64_mb_stays_out_of_the_graph():
    features = np.ones((18000, 1000), dtype=np.float32)  # 72 MB
    with VisualPMF(4, 3, 18000, 2, [2], features) as model:
        assert model.graph.as_graph_def().ByteSize() < 5_000_000
        assert model.serve({"user_id": np.array([0])}).shape == (1, 18000)


def test_the_encoding_must_match_the_latent_size():
    with pytest.raises(ShapeError, match=r"last of dims=\[4, 3\] must equal dim_embed=2"):
        VisualPMF(4, 3, 6, 2, [4, 3], np.ones((6, 5)))
    with pytest.raises(ShapeError, match=r"\[6, F\]"):
        VisualPMF(4, 3, 6, 2, [2], np.ones((5, 5)))


@pytest.mark.slow
def test_visual_pmf_beats_most_popular_on_citeulike_tags():
    assert_beats_most_popular("VisualPMF", "citeulike-a", margin=3.0, epochs=20)
