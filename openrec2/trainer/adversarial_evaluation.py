"""Robustness evaluation of content models: rankings on clean and on attacked item features.

For any model whose serving graph routes its item feature matrix through
``Recommender._perturbable_item_features`` (VBPR, AMR, and every content model built
that way), the attacker perturbs every item's features, ``f_i + delta_i`` with
``||delta_i||_2 <= eps`` (one L2 ball per item), to increase the expected BPR loss of
the training interactions under uniform negatives, computed exactly rather than
sampled (see :mod:`openrec2.modules.feature_perturbation`). Attacks, after Tang et al.
("Adversarial Training Towards Robust Multimedia Recommender System", TKDE 2019) and
Anelli et al. ("Multi-Step Adversarial Perturbations on Recommender Systems
Embeddings", FLAIRS 2021):

* ``'fgsm'``: ``delta_i = eps * g_i / ||g_i||`` with ``g = dL/d delta`` at zero;
* ``'msap'``: from zero, ``nb_iter`` steps of ``eps_iter`` along ``g_i / ||g_i||``, each
  projected back onto the ball of radius ``eps``;
* ``'clean'``: no perturbation.

Every attack starts from zero and is a deterministic function of the model and the
training pairs; serving is perturbed only inside the evaluation.
:class:`AdversarialEvaluation` gives the trainer one split's metrics under each attack
(``'NDCG@10'`` clean, ``'fgsm/NDCG@10'``, ``'msap/NDCG@10'``), so they are logged, kept
in the history and can drive early stopping like any metric.
"""

from __future__ import annotations

import os
from typing import Dict, Optional, Sequence

import numpy as np

from openrec2.errors import DataError, UnknownOptionError, scoped
from openrec2.modules import check_attack_settings, default_eps_iter
from openrec2.trainer.evaluations import model_scorer, split_name_of
from openrec2.utils.dataset import Dataset
from openrec2.utils.evaluators import NDCG, HitRatio, MetricResults, evaluate_with_scorer
from openrec2.validation import check_choice

#: The evaluation settings, in the order results and TSV columns list them.
ATTACKS = ('clean', 'fgsm', 'msap')
#: Largest ``pairs x items`` score block the attack builds at once.
ATTACK_SCORE_BUDGET = 1 << 22
_SCOPE = 'adversarial evaluation'


class AttackBudget:
    """Radius, step size and number of steps of the evaluation attacks.

    Unset values are taken from the model's own ``eps`` / ``eps_iter`` / ``nb_iter``
    (VBPR and AMR have them); ``eps_iter`` defaults to ``2.5 * eps / nb_iter``.

    Args:
        eps: Radius of the per-item L2 ball.
        eps_iter: MSAP step size.
        nb_iter: MSAP number of steps.

    Raises:
        SettingError: A value out of range.
    """

    def __init__(self, eps: Optional[float] = None, eps_iter: Optional[float] = None,
                 nb_iter: Optional[int] = None) -> None:
        self.eps, self.eps_iter, self.nb_iter = eps, eps_iter, nb_iter

    def resolved(self, model) -> tuple[float, float, int]:
        """``(eps, eps_iter, nb_iter)`` for a model (its own values fill the gaps).

        Args:
            model: The attacked recommender.

        Returns:
            The three settings.

        Raises:
            UnknownOptionError: No ``eps`` given and the model has none.
        """
        eps = self.eps if self.eps is not None else getattr(model, 'eps', None)
        if eps is None:
            raise UnknownOptionError(scoped(_SCOPE, f'{type(model).__name__} has no attack budget of its own; '
                                                    'pass eps=... to the evaluation.'))
        nb_iter = self.nb_iter if self.nb_iter is not None else getattr(model, 'nb_iter', 5)
        eps_iter = self.eps_iter if self.eps_iter is not None else getattr(model, 'eps_iter', None)
        eps_iter = default_eps_iter(eps, nb_iter) if eps_iter is None else eps_iter
        check_attack_settings(eps, eps_iter, nb_iter, _SCOPE)
        return float(eps), float(eps_iter), int(nb_iter)


def _perturbation_of(model):
    perturbation = model.feature_perturbation
    if perturbation is None:
        raise UnknownOptionError(scoped(_SCOPE, (
            f'{type(model).__name__} has no perturbable item features; the attacks need a model whose serving '
            'graph calls _perturbable_item_features (VBPR, AMR, ...).')))
    return perturbation


def _pair_blocks(model, train: Dataset):
    """The training pairs in blocks whose all-item score matrix stays within the budget."""
    users, items = train.positive_pairs()
    if users.size == 0:
        raise DataError(scoped(_SCOPE, 'the attack needs training interactions; the dataset has none.'))
    size = max(1, ATTACK_SCORE_BUDGET // model.max_item)
    return [(users[start:start + size], items[start:start + size]) for start in range(0, users.size, size)]


def hold_attack(model, train: Dataset, attack: str, budget: Optional[AttackBudget] = None) -> None:
    """Compute an attack from zero and leave it held in the model's perturbation.

    Args:
        model: A recommender with perturbable item features.
        train: Training interactions (their expected BPR loss is attacked).
        attack: ``'clean'``, ``'fgsm'`` or ``'msap'``.
        budget: The attack settings (default: the model's).

    Raises:
        SettingError: Unknown attack.
        UnknownOptionError: The model has no perturbable features or no budget.
        DataError: ``train`` has no interaction.
    """
    check_choice(attack, 'attack', _SCOPE, ATTACKS)
    perturbation = _perturbation_of(model)
    eps, eps_iter, nb_iter = (budget or AttackBudget()).resolved(model)
    steps = {'clean': [], 'fgsm': [eps], 'msap': [eps_iter] * nb_iter}[attack]
    blocks = _pair_blocks(model, train) if steps else []
    perturbation.hold(model.sess, None)
    for step_size in steps:
        for users, items in blocks:
            perturbation.accumulate_gradient(model.sess, users, items)
        perturbation.step(model.sess, step_size, eps)


def attack_perturbation(model, train: Dataset, attack: str = 'fgsm',
                        budget: Optional[AttackBudget] = None) -> np.ndarray:
    """The evaluation perturbation of every item's features under one attack.

    Args:
        model: A recommender with perturbable item features.
        train: Training interactions.
        attack: ``'fgsm'``, ``'msap'`` (or ``'clean'``, all zeros).
        budget: The attack settings (default: the model's).

    Returns:
        ``[max_item, F]`` float32 perturbation; row ``i`` has L2 norm ``<= eps``
        (exactly ``eps`` for FGSM when the item's gradient is not zero).
    """
    try:
        hold_attack(model, train, attack, budget)
        return _perturbation_of(model).value(model.sess)
    finally:
        _perturbation_of(model).hold(model.sess, None)


def attack_loss(model, train: Dataset, perturbation: Optional[np.ndarray] = None) -> float:
    """The loss the evaluation attacks increase, at a given perturbation.

    Args:
        model: A recommender with perturbable item features.
        train: Training interactions.
        perturbation: ``[max_item, F]`` added to the item features (None: zero).

    Returns:
        ``sum over training pairs (u, i) of mean over items j of softplus(s(u, j) - s(u, i))``.

    Raises:
        ShapeError: The perturbation has the wrong shape.
    """
    state = _perturbation_of(model)
    try:
        state.hold(model.sess, perturbation)
        return float(sum(state.loss(model.sess, users, items) for users, items in _pair_blocks(model, train)))
    finally:
        state.hold(model.sess, None)


class AdversarialEvaluation:
    """Metrics of one split on clean features and under each attack, side by side.

    Keys: the clean metrics under their own names (``'NDCG@10'``, so early stopping and
    comparisons read them as usual), the attacked ones prefixed (``'fgsm/NDCG@10'``).

    Args:
        sampler: The evaluation sampler of the split (full or sampled ranking).
        train: Training interactions (the attacked loss).
        attacks: Settings among :data:`ATTACKS`.
        budget: The attack settings (default: the model's ``eps`` ...).
        evaluators: Evaluators of this evaluation (None: the trainer's, else HR@10 and
            NDCG@10).
        name: Name of the split (default: from the sampler).

    Raises:
        SettingError: An unknown attack.
    """

    def __init__(self, sampler, train: Dataset, attacks: Sequence[str] = ATTACKS,
                 budget: Optional[AttackBudget] = None, evaluators: Optional[Sequence] = None,
                 name: Optional[str] = None) -> None:
        self.attacks = [check_choice(attack, 'attack', _SCOPE, ATTACKS) for attack in attacks]
        self.sampler, self.train = sampler, train
        self.budget = budget or AttackBudget()
        self.evaluators = None if evaluators is None else list(evaluators)
        self.name = name or split_name_of(sampler)

    def evaluate(self, model, evaluators: Optional[Sequence] = None) -> MetricResults:
        """Evaluate the model on clean features and under every attack.

        Args:
            model: A recommender with perturbable item features.
            evaluators: The trainer's evaluators (used when this evaluation has none).

        Returns:
            :class:`MetricResults` with clean and prefixed attacked metrics.
        """
        chosen = self.evaluators or (list(evaluators) if evaluators else [HitRatio(10), NDCG(10)])
        values: dict[str, float] = {}
        first = None
        try:
            for attack in self.attacks:
                hold_attack(model, self.train, attack, self.budget)
                results = evaluate_with_scorer(model_scorer(model, self.sampler, perturbed=attack != 'clean'),
                                               self.sampler, chosen)
                first = results if first is None else first
                prefix = '' if attack == 'clean' else f'{attack}/'
                values.update({f'{prefix}{key}': value for key, value in results.items()})
        finally:
            _perturbation_of(model).hold(model.sess, None)
        merged = MetricResults(values, first.num_evaluated, first.num_skipped, first.unit)
        return merged.with_spread(first.score_spread, first.score_scale) if first.score_spread is not None else merged


def results_by_attack(results: MetricResults) -> Dict[str, Dict[str, float]]:
    """Split the keys of :class:`AdversarialEvaluation` results by attack.

    Args:
        results: Results with clean and ``'<attack>/'``-prefixed keys.

    Returns:
        ``{attack: {metric: value}}`` with ``'clean'`` for the unprefixed keys.
    """
    split: Dict[str, Dict[str, float]] = {}
    for key, value in results.items():
        attack, _, metric = key.rpartition('/')
        split.setdefault(attack or 'clean', {})[metric] = value
    return split


def write_attack_tsv(path: str, results: MetricResults, epoch: Optional[int] = None) -> None:
    """Append clean / attacked metrics side by side to a TSV file.

    Columns: ``epoch``, ``metric``, one column per setting, then ``<attack>_change``
    (relative change from clean) per attack when ``'clean'`` is among them. The header
    is written when the file is new.

    Args:
        path: TSV file.
        results: :class:`AdversarialEvaluation` results.
        epoch: Epoch number (empty cell when None).
    """
    by_attack = results_by_attack(results)
    settings = list(by_attack)
    changed = [s for s in settings if s != 'clean'] if 'clean' in by_attack else []
    header = ['epoch', 'metric'] + settings + [f'{s}_change' for s in changed]
    new = not os.path.exists(path) or os.path.getsize(path) == 0
    with open(path, 'a', encoding='utf-8') as handle:
        if new:
            handle.write('\t'.join(header) + '\n')
        for metric in by_attack[settings[0]]:
            values = [by_attack[s][metric] for s in settings]
            clean = by_attack['clean'][metric] if changed else None
            changes = [(by_attack[s][metric] - clean) / clean if clean else float('nan') for s in changed]
            cells = ['' if epoch is None else str(epoch), metric] + [f'{v:.6f}' for v in values + changes]
            handle.write('\t'.join(cells) + '\n')
