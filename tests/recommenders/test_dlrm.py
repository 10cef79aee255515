"""DLRM: it learns a planted user x item interaction that a logistic regression on the same
features cannot fit, shares its variables between training and serving, refuses bad
settings, and on MovieLens 100K CTR examples beats the logistic regression (slow)."""

import numpy as np
import pytest

from openrec2.datasets import load_ml100k_ctr, make_planted_ctr
from openrec2.errors import SettingError, ShapeError
from openrec2.recommenders import DLRM
from openrec2.trainer import LogisticRegressionBaseline
from openrec2.utils.evaluators import AUC, LogLoss, evaluate_labelled
from openrec2.utils.samplers import CTRSampler


def small_dlrm(split, **options):
    settings = dict(m_spa=8, ln_bot=[8], ln_top=[16], lr=0.01, seed=0)
    settings.update(options)
    return DLRM(256, split.max_user, split.max_item, split.cardinalities, split.num_dense, **settings)


def features(examples):
    return {key: value for key, value in examples.inputs().items() if key != 'label'}


def train_and_test(model, split, steps):
    """Train ``steps`` batches; return (first loss, last loss, test metrics)."""
    with model, CTRSampler(split.train, model.batch_size, seed=0) as sampler:
        first = np.mean([model.train(next(sampler)) for _ in range(10)])
        for _ in range(steps):
            last = model.train(next(sampler))
        probabilities = model.serve_in_chunks(features(split.test))
    return first, last, evaluate_labelled(probabilities, split.test.label, [AUC(), LogLoss()])


def logistic_regression_auc(split):
    baseline = LogisticRegressionBaseline(split.train, split.validation)
    return evaluate_labelled(baseline.predict(split.test.inputs()), split.test.label, [AUC()])['AUC']


STEPS = 200


@pytest.fixture(scope='module')
def planted():
    return make_planted_ctr()


@pytest.fixture(scope='module')
def trained_dot(planted):
    return train_and_test(small_dlrm(planted), planted, STEPS)


def test_dlrm_learns_the_planted_interaction_that_logistic_regression_cannot(planted, trained_dot):
    first, last, metrics = trained_dot
    linear = logistic_regression_auc(planted)
    assert last < 0.5 * first
    assert linear < 0.65  # one-hot users and items alone do not explain u . v
    assert metrics['AUC'] > 0.9 and metrics['AUC'] > linear + 0.25
    assert metrics['LogLoss'] < 0.45


def test_dot_interactions_beat_concatenation_on_the_planted_problem(planted, trained_dot):
    cat = train_and_test(small_dlrm(planted, arch_interaction_op='cat'), planted, STEPS)[2]['AUC']
    assert trained_dot[2]['AUC'] > cat


def test_serving_shares_the_training_variables_and_returns_probabilities(planted):
    with small_dlrm(planted, arch_interaction_itself=True) as model:
        names = [v.name for v in model.graph.get_collection('variables')]
        assert len(names) == len(set(names))
        assert sum('embedding' in name and 'Adam' not in name for name in names) == len(planted.cardinalities)
        assert model.input_names(train=False) == ['dense_features', 'sparse_features']
        batch = {key: value[:5] for key, value in features(planted.test).items()}
        before = model.serve(batch)
        model.train(planted.train.inputs(np.arange(256)))
        after = model.serve(batch)
        assert before.shape == (5,) and ((after >= 0) & (after <= 1)).all()
        assert not np.allclose(before, after)  # the serving graph reads the trained variables


def test_settings_and_inputs_are_checked(planted):
    with pytest.raises(SettingError, match=r'ln_bot\[-1\] = 12 but m_spa = 8'):
        small_dlrm(planted, ln_bot=[12])
    with pytest.raises(SettingError, match='arch_interaction_op'):
        small_dlrm(planted, arch_interaction_op='outer')
    with pytest.raises(SettingError, match='ln_emb'):
        DLRM(16, 5, 5, [], 2)
    with small_dlrm(planted, arch_interaction_op='cat', ln_bot=[12]) as model:  # 'cat' needs no equal widths
        with pytest.raises(ShapeError, match='sparse_features'):
            model.serve({'dense_features': np.zeros((2, planted.num_dense)), 'sparse_features': np.zeros((2, 3), np.int32)})


@pytest.mark.slow
def test_dlrm_beats_logistic_regression_on_ml100k_ctr_examples():
    split = load_ml100k_ctr()
    model = DLRM(1024, split.max_user, split.max_item, split.cardinalities, split.num_dense, m_spa=16,
                 ln_bot=[64, 16], ln_top=[64, 32], lr=1e-3, seed=0)
    _, _, metrics = train_and_test(model, split, 5 * 79)  # five epochs, the validation-best of the CLI run
    linear = logistic_regression_auc(split)
    assert linear > 0.75  # the baseline is a real one
    assert metrics['AUC'] > linear + 0.004
