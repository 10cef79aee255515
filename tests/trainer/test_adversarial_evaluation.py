"""Tests of the robustness evaluation: FGSM / MSAP perturbations of item features, the
attacked rankings the trainer logs, the TSV writer, and its errors."""

import sys
from pathlib import Path

import numpy as np
import pytest

from openrec2 import ModelTrainer
from openrec2.errors import SettingError, ShapeError, UnknownOptionError
from openrec2.recommenders import BPR, VBPR
from openrec2.trainer.adversarial_evaluation import (AdversarialEvaluation, AttackBudget, attack_loss,
                                                     attack_perturbation, results_by_attack, write_attack_tsv)
from openrec2.utils.evaluators import NDCG, HitRatio, evaluate
from openrec2.utils.samplers import EvaluationSampler, PairwiseSampler

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / 'recommenders'))
from visual_data import planted_with_features, small_model  # noqa: E402


@pytest.fixture(scope='module')
def trained():
    """A VBPR fitted on a small planted problem whose features are informative."""
    split, features = planted_with_features()
    model = small_model(VBPR, split, features, batch_size=128, l_w=0.01, l_b=0.01, l_e=0.01, nb_iter=4, epochs=10)
    model.fit(split.train, seed=0, verbose=False)
    yield model, split, features
    model.close()


def test_fgsm_has_norm_eps_per_item_and_increases_the_loss(trained):
    model, split, _ = trained
    before = model.serve({'user_id': np.arange(5, dtype=np.int32)})
    delta = attack_perturbation(model, split.train, 'fgsm')
    assert delta.shape == (split.max_item, 4)
    # Every item enters the attacked loss (as a negative at least), so every gradient is nonzero.
    np.testing.assert_allclose(np.linalg.norm(delta, axis=1), 0.5, rtol=1e-4)
    clean, attacked = attack_loss(model, split.train), attack_loss(model, split.train, delta)
    assert attacked > clean
    random = np.random.default_rng(0).standard_normal(delta.shape)
    random *= 0.5 / np.linalg.norm(random, axis=1, keepdims=True)
    assert attack_loss(model, split.train, random) < attacked  # the gradient direction matters
    # The attack starts from zero each time and never touches clean serving.
    np.testing.assert_array_equal(attack_perturbation(model, split.train, 'fgsm'), delta)
    np.testing.assert_array_equal(model.serve({'user_id': np.arange(5, dtype=np.int32)}), before)


def test_the_attack_loss_is_the_expected_bpr_loss_over_all_items(trained):
    model, split, _ = trained
    scores = model.serve_all_items(np.arange(split.max_user))
    users, items = split.train.positive_pairs()
    margins = scores[users] - scores[users, items][:, None]
    assert attack_loss(model, split.train) == pytest.approx(np.log1p(np.exp(margins)).mean(axis=1).sum(), rel=1e-4)


def test_msap_stays_in_the_ball_and_increases_the_loss_at_least_as_much_as_fgsm(trained):
    model, split, _ = trained
    fgsm = attack_perturbation(model, split.train, 'fgsm')
    msap = attack_perturbation(model, split.train, 'msap')
    assert np.all(np.linalg.norm(msap, axis=1) <= 0.5 + 1e-5)
    assert not np.allclose(msap, fgsm)
    assert attack_loss(model, split.train, msap) >= attack_loss(model, split.train, fgsm)
    smaller = attack_perturbation(model, split.train, 'fgsm', AttackBudget(eps=0.1))
    np.testing.assert_allclose(np.linalg.norm(smaller, axis=1), 0.1, rtol=1e-4)


def test_the_evaluation_matches_evaluate_and_writes_a_tsv(trained, tmp_path):
    model, split, _ = trained
    sampler = EvaluationSampler(split.test, 64, [split.train])
    results = AdversarialEvaluation(sampler, split.train, evaluators=[HitRatio(10), NDCG(10)]).evaluate(model)
    assert list(results) == ['Hit@10', 'NDCG@10', 'fgsm/Hit@10', 'fgsm/NDCG@10', 'msap/Hit@10', 'msap/NDCG@10']
    users = split.test.users
    direct = evaluate(model.serve_all_items(users), split.test.item_lists(users), split.train.item_lists(users),
                      [HitRatio(10), NDCG(10)])
    assert results['NDCG@10'] == pytest.approx(direct['NDCG@10'])
    assert results['fgsm/NDCG@10'] < results['NDCG@10']
    by_attack = results_by_attack(results)
    assert list(by_attack) == ['clean', 'fgsm', 'msap'] and by_attack['fgsm']['NDCG@10'] == results['fgsm/NDCG@10']
    path = tmp_path / 'attack.tsv'
    write_attack_tsv(str(path), results, epoch=3)
    lines = path.read_text().splitlines()
    assert lines[0].split('\t') == ['epoch', 'metric', 'clean', 'fgsm', 'msap', 'fgsm_change', 'msap_change']
    row = dict(zip(lines[0].split('\t'), lines[2].split('\t')))
    assert row['epoch'] == '3' and row['metric'] == 'NDCG@10'
    assert float(row['fgsm_change']) == pytest.approx(results['fgsm/NDCG@10'] / results['NDCG@10'] - 1, abs=1e-5)
    write_attack_tsv(str(path), results)
    assert len(path.read_text().splitlines()) == 3 + 2  # appended, no second header


def test_the_trainer_logs_attacked_metrics_and_stops_on_the_clean_ones(trained):
    _, split, features = trained
    with small_model(VBPR, split, features, batch_size=128) as model, \
            PairwiseSampler(split.train, 128, seed=0) as sampler:
        evaluation = AdversarialEvaluation(EvaluationSampler(split.validation, 64, [split.train]), split.train,
                                           attacks=['clean', 'fgsm'])
        history = ModelTrainer(model, early_stop_metric='NDCG@10', verbose=False).train(
            40, 20, None, sampler, eval_samplers={'validation': evaluation}, evaluators=[NDCG(10)])
    assert [sorted(e['metrics']) for e in history.evaluations] == [['NDCG@10', 'fgsm/NDCG@10']] * 2
    assert history.best_value == max(e['metrics']['NDCG@10'] for e in history.evaluations)


def test_errors(trained):
    model, split, _ = trained
    with pytest.raises(SettingError, match="`attack` must be one of .*got 'pgd'"):
        attack_perturbation(model, split.train, 'pgd')
    with pytest.raises(SettingError, match="`attack` must be one of"):
        AdversarialEvaluation(EvaluationSampler(split.test, 64), split.train, attacks=['pgd'])
    with pytest.raises(ShapeError, match="^vbpr: a perturbation must have the feature matrix's shape"):
        attack_loss(model, split.train, np.zeros((3, 4)))
    with pytest.raises(SettingError, match='`eps` must be a finite number >= 0'):
        attack_perturbation(model, split.train, 'fgsm', AttackBudget(eps=-1.0))
    with BPR(batch_size=8, max_user=split.max_user, max_item=split.max_item) as plain:
        with pytest.raises(UnknownOptionError, match='BPR has no perturbable item features'):
            attack_perturbation(plain, split.train)
        with pytest.raises(UnknownOptionError, match='perturbed serving needs item features'):
            plain.serve({'user_id': np.array([0])}, perturbed=True)
