"""FastDotProductServer returns exactly what a full sort of the score matrix returns, and refuses bad input."""

from types import SimpleNamespace

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from openrec2.datasets import make_planted_implicit
from openrec2.errors import DataError, DTypeError, SettingError, ShapeError, UnknownOptionError
from openrec2.recommenders import BPR, CML, GMF, PMF, UserPMF
from openrec2.utils import Dataset, FastDotProductServer
from openrec2.utils.item_lists import ItemLists
from openrec2.utils.samplers import EvaluationSampler, PairwiseSampler


def full_sort_top_k(scores, excluded, k):
    """Reference: excluded items removed, a stable full sort by score descending (ties: lower id)."""
    masked = np.array(scores, copy=True)
    for user, items in enumerate(excluded):
        masked[user, np.asarray(items, dtype=np.int64)] = -np.inf
    order = np.argsort(-masked, axis=1, kind='stable')[:, :k]
    values = np.take_along_axis(masked, order, axis=1)
    return np.where(values == -np.inf, -1, order), values


def integer_problem(seed=0, users=40, items=1001, dim=6, excluded_per_user=60):
    """Small integer factors and half-integer biases: every score is exact whatever the
    summation order, and many scores tie, so tie-breaking is tested for real."""
    rng = np.random.default_rng(seed)
    user_factors = rng.integers(-2, 3, (users, dim)).astype(np.float32)
    item_factors = rng.integers(-2, 3, (items, dim)).astype(np.float32)
    biases = (rng.integers(-2, 3, items) / 2).astype(np.float32)
    excluded = [rng.choice(items, rng.integers(0, excluded_per_user), replace=False) for _ in range(users)]
    return user_factors, item_factors, biases, excluded


def gaussian_problem(seed=1, users=300, items=2500, dim=16):
    rng = np.random.default_rng(seed)
    excluded = [rng.choice(items, rng.integers(0, 80), replace=False) for _ in range(users)]
    return (rng.standard_normal((users, dim)).astype(np.float32), rng.standard_normal((items, dim)).astype(np.float32),
            rng.standard_normal(items).astype(np.float32), excluded)


@pytest.mark.parametrize('item_chunk_size, user_block_size, num_threads', [
    (97, 7, 1), (97, 7, 3), (1000, 64, 2), (1001, 13, 2), (5000, 1, 1), (1, 40, 2)])
@pytest.mark.parametrize('with_biases', [True, False])
def test_top_k_equals_a_full_sort_with_ties_and_exclusions(item_chunk_size, user_block_size, num_threads,
                                                           with_biases):
    users, items, biases, excluded = integer_problem()
    biases = biases if with_biases else None
    server = FastDotProductServer(users, items, biases, excluded, item_chunk_size=item_chunk_size,
                                  user_block_size=user_block_size, num_threads=num_threads)
    top_items, top_scores = server.recommend(np.arange(len(users)), k=25)
    scores = users @ items.T + (0 if biases is None else biases)
    expected_items, expected_scores = full_sort_top_k(scores, excluded, 25)
    # The problem has ties at the cut: for most users the K-th score is shared by items ranked after K.
    masked = full_sort_top_k(scores, excluded, scores.shape[1])[1]
    assert ((masked >= expected_scores[:, -1:]).sum(axis=1) > 25).mean() > 0.5
    np.testing.assert_array_equal(top_items, expected_items)
    np.testing.assert_array_equal(top_scores, expected_scores)
    assert top_items.dtype == np.int64 and top_scores.dtype == np.float32


def test_k_larger_than_the_items_left_pads_with_minus_one():
    rng = np.random.default_rng(3)
    users, items = rng.standard_normal((3, 4)).astype(np.float32), rng.standard_normal((30, 4)).astype(np.float32)
    excluded = [np.arange(25), np.arange(30), []]  # 5 items left, none left, all 30 left
    server = FastDotProductServer(users, items, excluded_items=excluded, item_chunk_size=7, num_threads=2)
    top_items, top_scores = server.recommend(np.arange(3), k=30)
    expected_items, expected_scores = full_sort_top_k(server.score_matrix(np.arange(3)), excluded, 30)
    np.testing.assert_array_equal(top_items, expected_items)
    np.testing.assert_array_equal(top_scores, expected_scores)
    assert (top_items[0, :5] >= 25).all() and (top_items[0, 5:] == -1).all() and np.isneginf(top_scores[0, 5:]).all()
    assert (top_items[1] == -1).all()
    assert sorted(top_items[2]) == list(range(30))


def test_real_valued_factors_match_a_full_sort_of_the_scores_and_numpy_products():
    users, items, biases, excluded = gaussian_problem()
    server = FastDotProductServer(users, items, biases, excluded, item_chunk_size=333, user_block_size=64)
    all_users = np.arange(len(users))
    scores = server.score_matrix(all_users)
    np.testing.assert_allclose(scores, users @ items.T + biases, rtol=1e-5, atol=1e-5)
    top_items, top_scores = server.recommend(all_users, k=50)
    expected_items, expected_scores = full_sort_top_k(scores, excluded, 50)
    np.testing.assert_array_equal(top_items, expected_items)
    np.testing.assert_array_equal(top_scores, expected_scores)


def test_one_and_several_threads_give_identical_results():
    users, items, biases, excluded = gaussian_problem(seed=4)
    results = [FastDotProductServer(users, items, biases, excluded, item_chunk_size=512, user_block_size=32,
                                    num_threads=threads).recommend(np.arange(len(users)), k=40)
               for threads in (1, 2, 5)]
    for top_items, top_scores in results[1:]:
        np.testing.assert_array_equal(top_items, results[0][0])
        np.testing.assert_array_equal(top_scores, results[0][1])


def test_some_users_in_any_order_get_their_own_rows():
    users, items, biases, excluded = integer_problem(seed=5)
    server = FastDotProductServer(users, items, biases, excluded, item_chunk_size=200, user_block_size=3)
    every_items, every_scores = server.recommend(np.arange(len(users)), k=10)
    picked = np.array([7, 0, 7, 39, 12], dtype=np.int32)
    top_items, top_scores = server.recommend(picked, k=10)
    np.testing.assert_array_equal(top_items, every_items[picked])
    np.testing.assert_array_equal(top_scores, every_scores[picked])
    empty_items, empty_scores = server.recommend(np.zeros(0, dtype=np.int64), k=10)
    assert empty_items.shape == empty_scores.shape == (0, 10)


def test_float64_factors_are_served_in_float64():
    users, items, biases, excluded = gaussian_problem(users=20, items=300)
    server = FastDotProductServer(users.astype(np.float64), items, biases.astype(np.float64), excluded)
    top_items, top_scores = server.recommend(np.arange(20), k=5)
    expected_items, expected_scores = full_sort_top_k(server.score_matrix(np.arange(20)), excluded, 5)
    assert top_scores.dtype == np.float64
    np.testing.assert_array_equal(top_items, expected_items)
    np.testing.assert_array_equal(top_scores, expected_scores)


def as_dataset(lists, num_items, name):
    users = np.repeat(np.arange(len(lists)), [len(items) for items in lists])
    raw = np.zeros(users.size, dtype=[('user_id', np.int32), ('item_id', np.int32)])
    raw['user_id'], raw['item_id'] = users, np.concatenate(lists)
    return Dataset(raw, len(lists), num_items, name=name)


def test_every_representation_of_excluded_items_excludes_the_same_items():
    users, items, biases, excluded = integer_problem(seed=6, users=12, items=80, excluded_per_user=20)
    first, second = [e[: len(e) // 2] for e in excluded], [e[len(e) // 2:] for e in excluded]
    train, valid = as_dataset(first, 80, 'train'), as_dataset(second, 80, 'valid')
    sampler = EvaluationSampler(valid, batch_size=4, excluded_datasets=[train, valid])
    representations = [excluded, ItemLists.from_lists(excluded, num_items=80), [train, valid],
                       sampler.excluded_items]
    expected = full_sort_top_k(users @ items.T + biases, excluded, 70)
    for representation in representations:
        result = FastDotProductServer(users, items, biases, representation, item_chunk_size=9).recommend(
            np.arange(12), k=70)
        np.testing.assert_array_equal(result[0], expected[0])
    only_train = FastDotProductServer(users, items, biases, train).recommend(np.arange(12), k=70)
    np.testing.assert_array_equal(only_train[0], full_sort_top_k(users @ items.T + biases, first, 70)[0])
    no_exclusion = FastDotProductServer(users, items, biases).recommend(np.arange(12), k=80)
    assert (np.sort(no_exclusion[0], axis=1) == np.arange(80)).all()


@pytest.mark.parametrize('arguments, error', [
    (dict(user_factors=np.ones((3, 2), dtype=np.int64)), DTypeError),
    (dict(item_factors=np.ones((5, 3), dtype=np.float32)), ShapeError),
    (dict(item_factors=np.ones(5, dtype=np.float32)), ShapeError),
    (dict(user_factors=np.ones((0, 2), dtype=np.float32)), ShapeError),
    (dict(item_biases=np.ones(4, dtype=np.float32)), ShapeError),
    (dict(item_biases=np.array(['a'] * 5)), DTypeError),
    (dict(item_factors=np.full((5, 2), np.nan, dtype=np.float32)), DataError),
    (dict(user_factors=np.full((3, 2), 3e19, np.float32), item_factors=np.full((5, 2), 3e19, np.float32)), DataError),
    (dict(excluded_items=[[0]] * 2), ShapeError),
    (dict(excluded_items=[[0], [5], []]), ShapeError),
    (dict(excluded_items=[[0.5], [], []]), DTypeError),
    (dict(excluded_items={'user': [1]}), DTypeError),
    (dict(excluded_items=as_dataset([[0], [1]], 5, 'other')), DataError),
    (dict(item_chunk_size=0), SettingError),
    (dict(user_block_size=2.0), SettingError),
    (dict(num_threads=0), SettingError),
])
def test_bad_constructor_arguments_raise_clear_errors(arguments, error):
    settings = dict(user_factors=np.ones((3, 2), np.float32), item_factors=np.ones((5, 2), np.float32),
                    item_biases=np.zeros(5, np.float32))
    settings.update(arguments)
    with pytest.raises(error, match='FastDotProductServer|excluded_items|item lists'):
        FastDotProductServer(**settings)


@pytest.mark.parametrize('user_ids, k, error', [
    ([0, 1], 0, SettingError), ([0, 1], 6, SettingError), ([0, 1], 2.0, SettingError), ([0, 1], True, SettingError),
    ([0.0, 1.0], 2, DTypeError), ([[0, 1]], 2, ShapeError), ([0, 3], 2, ShapeError), ([-1], 2, ShapeError),
])
def test_bad_requests_raise_clear_errors(user_ids, k, error):
    server = FastDotProductServer(np.ones((3, 2), np.float32), np.ones((5, 2), np.float32))
    with pytest.raises(error, match='FastDotProductServer'):
        server.recommend(np.array(user_ids), k=k)


def trained_bpr(split, steps=200):
    model = BPR(batch_size=128, max_user=split.max_user, max_item=split.max_item, dim_embed=8, lr=0.02, seed=0)
    with PairwiseSampler(split.train, batch_size=128, seed=0) as sampler:
        for _ in range(steps):
            model.train(next(sampler))
    return model


def test_a_trained_bpr_is_served_as_its_own_full_ranking():
    split = make_planted_implicit(num_users=120, num_items=90, rank=4, per_user=15, seed=2)
    with trained_bpr(split) as model:
        server = FastDotProductServer.from_model(model, excluded_items=split.train, item_chunk_size=32)
        users = np.arange(split.max_user)
        model_scores = model.serve_all_items(users)
        biases = model.sess.run(model._get_module('item_bias').embedding)
    assert np.abs(biases).max() > 1e-3  # the trained item biases are part of the scores
    top_items, top_scores = server.recommend(users, k=10)
    expected_items, expected_scores = full_sort_top_k(model_scores, split.train.item_lists(users), 10)
    # TensorFlow and numpy round products differently in the last bit: equal top-K scores,
    # and equal items except where two scores tie within that rounding.
    np.testing.assert_allclose(top_scores, expected_scores, rtol=1e-5, atol=1e-6)
    assert (top_items == expected_items).mean() > 0.99
    assert not split.train.positives.contains(np.repeat(users, 10), top_items.ravel()).any()


def test_pmf_without_sigmoid_is_served():
    with PMF(16, 4, 10, 12, seed=0) as model:
        server = FastDotProductServer.from_model(model)
        np.testing.assert_allclose(server.score_matrix(np.arange(10)), model.serve_all_items(np.arange(10)),
                                   rtol=1e-5, atol=1e-6)


def graph_without_factor_tables():
    """A model-like object (graph, session, scope) whose graph holds no user/item tables, as DIEN's."""
    graph = tf.Graph()
    with graph.as_default():
        tf.get_variable('dien/item_id_embedding/embedding', shape=[12, 4])
        init = tf.global_variables_initializer()
    session = tf.Session(graph=graph)
    session.run(init)
    return SimpleNamespace(graph=graph, sess=session, scope='dien', close=session.close)


@pytest.mark.parametrize('make_model, reason', [
    (lambda: CML(16, 10, 12, 4, seed=0), 'does not score'),
    (lambda: PMF(16, 4, 10, 12, sigmoid=True, seed=0), 'does not score'),
    # GMF's weights start at ones (a plain dot product); weighted, its tables no longer give its scores.
    (lambda: GMF(16, 4, 10, 12, seed=0, init_dict={'interaction/ge_weights': np.array([2, .5, 1, 3], np.float32)}),
     'does not score'),
    (lambda: UserPMF(16, 10, 12, 4, dims=[4], user_f_source=np.ones((10, 3), np.float32), seed=0), 'does not score'),
    (lambda: graph_without_factor_tables(), 'no plain factor table'),
    (lambda: object(), 'needs a trained openrec2 recommender'),
])
def test_models_without_plain_dot_product_factors_are_refused(make_model, reason):
    model = make_model()
    try:
        with pytest.raises(UnknownOptionError, match=reason):
            FastDotProductServer.from_model(model)
    finally:
        if hasattr(model, 'close'):
            model.close()


@pytest.mark.slow
def test_a_bpr_trained_on_ml1m_is_served_exactly_with_train_and_validation_excluded():
    from openrec2.datasets import load_ml1m_ratings3

    split = load_ml1m_ratings3()
    with trained_bpr(split, steps=300) as model:
        server = FastDotProductServer.from_model(model, excluded_items=[split.train, split.validation])
        users = np.arange(0, split.max_user, 7)
        model_scores = model.serve_all_items(users)
    top_items, top_scores = server.recommend(users, k=100)
    seen = [np.union1d(a, b) for a, b in zip(split.train.item_lists(users), split.validation.item_lists(users))]
    exact_items, exact_scores = full_sort_top_k(server.score_matrix(users), seen, 100)
    np.testing.assert_array_equal(top_items, exact_items)
    np.testing.assert_array_equal(top_scores, exact_scores)
    model_items, model_top_scores = full_sort_top_k(model_scores, seen, 100)
    np.testing.assert_allclose(top_scores, model_top_scores, rtol=1e-5, atol=1e-5)
    assert (top_items == model_items).mean() > 0.99
