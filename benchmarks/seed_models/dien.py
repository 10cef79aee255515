"""Seed-model benchmark of DIEN (Zhou et al., "Deep Interest Evolution Network for
Click-Through Rate Prediction", AAAI 2019) on Amazon Beauty.

Protocol: leave-last-out per user (last purchase -> test, second-last -> validation);
training examples are every training purchase after a user's first, predicted from the
purchases before it, each with one sampled negative target; the labelled test set is
every user's last purchase plus one fixed sampled negative (seed 2020) with the whole
history before it. Reported: test AUC and LogLoss, plus HR@10 / NDCG@10 of the true
item against 99 fixed sampled negatives for a seeded subset of users. Baselines: target
popularity (training purchase counts of the target) and the same network with the
history removed (``use_history=False``). DIEN is also trained with ``gru_type='AGRU'``
to show that the GRU type changes the predictions.

Run: ``OPENREC2_DATA=... python benchmarks/seed_models/dien.py`` (about 10 minutes on
2 CPU cores).
"""

from __future__ import annotations

import os
import time
from typing import Optional

import numpy as np

from openrec2.datasets.sequences import BehaviourSequences, load_beauty_sequences
from openrec2.recommenders import DIEN
from openrec2.trainer.baselines import popularity_scorer
from openrec2.utils.evaluators import AUC, NDCG, HitRatio, LogLoss, evaluate_labelled, evaluate_sampled
from openrec2.utils.samplers.sequence_examples import labelled_sequence_examples, sampled_ranking_examples
from openrec2.utils.samplers.sequence_sampler import SequenceSampler

MAX_SEQ_LENGTH = 20
BATCH_SIZE = 1024
LEARNING_RATE = 0.004
EPOCHS = 1
RANKING_USERS = 2000
SEED = 2020


def _metrics(predict, labelled: dict, ranking: tuple, probabilities: bool = True) -> tuple[dict, float]:
    """Test AUC / LogLoss (for probabilities) and sampled HR@10 / NDCG@10 of a
    prediction function, and the seconds the labelled evaluation took."""
    start = time.perf_counter()
    labelled_results = evaluate_labelled(predict(labelled), labelled['label'],
                                         [AUC(), LogLoss()] if probabilities else [AUC()])
    seconds = time.perf_counter() - start
    batch, candidates, positives = ranking
    ranking_results = evaluate_sampled(predict(batch), candidates, positives, evaluators=[HitRatio(10), NDCG(10)])
    return {'test AUC': labelled_results['AUC'], 'test LogLoss': labelled_results.get('LogLoss'),
            'HR@10 (1+99)': ranking_results['Hit@10'], 'NDCG@10 (1+99)': ranking_results['NDCG@10']}, seconds


def _train_dien(sequences: BehaviourSequences, **options) -> tuple[DIEN, float]:
    """Train DIEN for EPOCHS epochs; returns the model and training examples/s."""
    model = DIEN(BATCH_SIZE, sequences.max_user, sequences.max_item, item_features=sequences.item_features,
                 max_seq_length=MAX_SEQ_LENGTH, embedding_size=10, mlp_hidden_size=[256, 256, 256],
                 dropout_prob=0.0, alpha=1.0, lr=LEARNING_RATE, test_batch_size=4096, seed=SEED, **options)
    with SequenceSampler(sequences, BATCH_SIZE, MAX_SEQ_LENGTH, num_process=1, seed=SEED) as sampler:
        steps = EPOCHS * sampler.batches_per_epoch
        start = time.perf_counter()
        for _ in range(steps):
            model.train(next(sampler))
        seconds = time.perf_counter() - start
    return model, steps * BATCH_SIZE / seconds


def run(data_home: Optional[str] = None) -> list[dict]:
    """Train and evaluate DIEN, its history-free variant and target popularity.

    Args:
        data_home: Data home holding ``amazon-beauty/`` (default: ``$OPENREC2_DATA``).

    Returns:
        One row per model: model, train examples/s, seconds per evaluation of the
        labelled test set, test AUC / LogLoss, HR@10 / NDCG@10 over 1 + 99 candidates,
        and (for DIEN) how far its predictions move when ``gru_type`` changes.
    """
    sequences = load_beauty_sequences(data_home=data_home)
    labelled = labelled_sequence_examples(sequences, 'test', MAX_SEQ_LENGTH, num_negatives=1, seed=SEED)
    ranking = sampled_ranking_examples(sequences, 'test', MAX_SEQ_LENGTH, num_candidates=99,
                                       max_users=RANKING_USERS, seed=SEED)
    common = {'dataset': 'amazon-beauty', 'protocol': f'leave-last-out, 1 sampled negative per positive, '
              f'{EPOCHS} epoch(s), max_seq_length {MAX_SEQ_LENGTH}'}
    rows = []

    metrics, seconds = _metrics(popularity_scorer(sequences.train), labelled, ranking, probabilities=False)
    rows.append(dict(common, model='target popularity', **{'train examples/s': None, 'eval seconds': seconds},
                     **metrics))

    predictions = {}
    for label, options in (('DIEN (AUGRU)', {'gru_type': 'AUGRU'}), ('DIEN (AGRU)', {'gru_type': 'AGRU'}),
                           ('DIEN history-free', {'use_history': False})):
        model, speed = _train_dien(sequences, **options)
        with model:
            metrics, seconds = _metrics(model.predict, labelled, ranking)
            predictions[label] = model.predict(labelled)
        rows.append(dict(common, model=label, **{'train examples/s': speed, 'eval seconds': seconds}, **metrics))
    change = float(np.abs(predictions['DIEN (AUGRU)'] - predictions['DIEN (AGRU)']).mean())
    for row in rows:
        if row['model'].startswith('DIEN ('):
            row['mean |p(AUGRU) - p(AGRU)|'] = change
    return rows


def _print(rows: list[dict]) -> None:
    for row in rows:
        print(' | '.join(f'{key}: {value:.4f}' if isinstance(value, float) else f'{key}: {value}'
                         for key, value in row.items()))


if __name__ == '__main__':
    _print(run(os.environ.get('OPENREC2_DATA')))
