"""Labelled behaviour-sequence examples for CTR models such as DIEN (Zhou et al., "Deep
Interest Evolution Network for Click-Through Rate Prediction", AAAI 2019).

An example is (history up to ``max_seq_length`` items, history length, target item,
label) plus a negative-behaviour sequence (one item the user never had, per history
position) for DIEN's auxiliary loss. Every positive target gets ``num_negatives``
sampled negative targets sharing its history. :func:`sequence_examples` assembles them
for the training sampler and the evaluation builders alike;
:func:`labelled_sequence_examples` is the fixed, seeded labelled test set and
:func:`sampled_ranking_examples` the candidates of sampled ranking evaluation.

Batch keys: ``user_id`` int32 ``[n]``, ``item_seq`` int32 ``[n, L]`` (oldest first,
left-aligned, padded with item 0), ``item_seq_len`` int32 ``[n]``, ``neg_item_seq``
int32 ``[n, L]``, ``item_id`` int32 ``[n]`` (the target), ``label`` float32 ``[n]``.
"""

from __future__ import annotations

from typing import Optional

import numpy as np

from openrec2.errors import DataError, UnknownOptionError, scoped
from openrec2.utils.dataset import Dataset
from openrec2.utils.item_lists import ItemLists
from openrec2.utils.samplers.evaluation import draw_fixed_negatives
from openrec2.utils.samplers.example_evaluation import CandidateEvaluationSampler, LabelledEvaluationSampler
from openrec2.utils.samplers.negatives import sample_negatives
from openrec2.utils.sequences import PADDING_ITEM, BehaviourSequences
from openrec2.validation import check_int

Batch = dict[str, np.ndarray]
_SCOPE = 'sequence examples'


def sequence_examples(sequences: BehaviourSequences, users: np.ndarray, positions: np.ndarray,
                      max_seq_length: int, rng: np.random.Generator, excluded: Dataset,
                      num_negatives: int = 1) -> Batch:
    """Positive examples at (user, position) followed by their sampled negatives.

    Rows ``0 .. n-1`` are the positives (label 1, the real item at ``position``);
    then, for ``k = 1 .. num_negatives``, rows ``k*n .. (k+1)*n - 1`` repeat the
    histories with a target drawn uniformly among the items the user does not have in
    ``excluded`` (label 0). The negative-behaviour sequence of a positive is drawn the
    same way (0 at padded positions) and shared by its negatives.

    Args:
        sequences: The behaviour sequences.
        users: int array ``[n]`` of users.
        positions: int array ``[n]`` of target positions.
        max_seq_length: History length ``L`` of the batch.
        rng: Generator of the negatives.
        excluded: Dataset whose positives are never drawn as negatives for the user.
        num_negatives: Negative targets per positive.

    Returns:
        The batch dict (``n * (1 + num_negatives)`` rows).

    Raises:
        DataError: A user has every item as a positive of ``excluded``.
    """
    users = np.asarray(users, dtype=np.int64)
    history, length = sequences.histories(users, positions, max_seq_length)
    negative_history = sample_negatives(rng, users, excluded, per_user=max_seq_length)
    real = np.arange(max_seq_length)[None, :] < length[:, None]
    negative_history = np.where(real, negative_history, PADDING_ITEM)
    negative_targets = sample_negatives(rng, users, excluded, per_user=num_negatives).T.ravel()
    copies = 1 + num_negatives
    return {
        'user_id': np.tile(users, copies).astype(np.int32),
        'item_seq': np.tile(history, (copies, 1)).astype(np.int32),
        'item_seq_len': np.tile(length, copies).astype(np.int32),
        'neg_item_seq': np.tile(negative_history, (copies, 1)).astype(np.int32),
        'item_id': np.concatenate([sequences.items_at(users, positions), negative_targets]).astype(np.int32),
        'label': np.repeat(np.array([1.0] + [0.0] * num_negatives, np.float32), users.size),
    }


def labelled_sequence_examples(sequences: BehaviourSequences, part: str = 'test', max_seq_length: int = 50,
                               num_negatives: int = 1, seed: int = 2020) -> Batch:
    """The fixed labelled examples of an evaluation part: each target and its negatives.

    Negative targets avoid every item the user has in any part; the same seed gives
    the same examples.

    Args:
        sequences: The behaviour sequences.
        part: ``'validation'`` or ``'test'``.
        max_seq_length: History length kept.
        num_negatives: Negative targets per positive.
        seed: Seed of the negatives.

    Returns:
        The batch dict (all positives first, then the negatives; see
        :func:`sequence_examples`).

    Raises:
        UnknownOptionError: ``part`` is not an evaluation part, or a bad size.
        DataError: The part has no target.
    """
    scope = 'labelled_sequence_examples'
    users, positions = _evaluation_targets(sequences, part, scope)
    return sequence_examples(sequences, users, positions, check_int(max_seq_length, 'max_seq_length', scope),
                             np.random.default_rng(seed), sequences.known,
                             check_int(num_negatives, 'num_negatives', scope))


def sampled_ranking_examples(sequences: BehaviourSequences, part: str = 'test', max_seq_length: int = 50,
                             num_candidates: int = 99, max_users: Optional[int] = None,
                             seed: int = 2020) -> tuple[Batch, ItemLists, ItemLists]:
    """Examples scoring each user's true next item against fixed sampled negatives.

    Every evaluated user gets ``num_candidates`` distinct negatives drawn once among the
    items it never had (:func:`~openrec2.utils.samplers.evaluation.draw_fixed_negatives`);
    one example row per (user, candidate) carries the user's history. Feed the model's
    probabilities for the rows, in order, to
    :func:`~openrec2.utils.evaluators.evaluate_sampled` with the returned item lists.

    Args:
        sequences: The behaviour sequences.
        part: ``'validation'`` or ``'test'``.
        max_seq_length: History length kept.
        num_candidates: Sampled negatives per user.
        max_users: Evaluate a seeded random subset of this many users (``None``: all).
        seed: Seed of the user subset and the negatives.

    Returns:
        ``(batch, candidate_items, positive_items)``: the rows (``label`` 1 for the true
        item), and per-user item lists aligned with them (rows are user ids; the example
        rows follow ``candidate_items`` user by user, in its stored order).

    Raises:
        UnknownOptionError: ``part`` is not an evaluation part, or a bad size.
        DataError: The part has no target.
    """
    scope = 'sampled_ranking_examples'
    users, positions = _evaluation_targets(sequences, part, scope)
    max_seq_length = check_int(max_seq_length, 'max_seq_length', scope)
    rng = np.random.default_rng(seed)
    if max_users is not None and check_int(max_users, 'max_users', scope) < users.size:
        keep = np.sort(rng.choice(users.size, size=max_users, replace=False))
        users, positions = users[keep], positions[keep]
    targets = sequences.items_at(users, positions)
    negatives = draw_fixed_negatives(rng, users, sequences.known,
                                     check_int(num_candidates, 'num_candidates', scope))
    positives = ItemLists.from_pairs(users, targets, sequences.max_user, num_items=sequences.max_item,
                                     name='positive_items')
    candidates = positives.union(negatives)
    rows, items = candidates.take(users)  # rows index ``users``
    history, length = sequences.histories(users, positions, max_seq_length)
    batch = {
        'user_id': users[rows].astype(np.int32),
        'item_seq': history[rows].astype(np.int32),
        'item_seq_len': length[rows].astype(np.int32),
        'item_id': items.astype(np.int32),
        'label': (items == targets[rows]).astype(np.float32),
    }
    return batch, candidates, positives


def _evaluation_targets(sequences: BehaviourSequences, part: str, scope: str) -> tuple[np.ndarray, np.ndarray]:
    if part not in ('validation', 'test'):
        raise UnknownOptionError(scoped(scope, f"part must be 'validation' or 'test', got {part!r}."))
    users, positions = sequences.targets(part)
    if users.size == 0:
        raise DataError(scoped(scope, f'dataset {sequences.name!r} has no {part} target; load it with '
                               'validation=True for validation targets.'))
    return users, positions


def labelled_sequence_sampler(sequences: BehaviourSequences, part: str = 'validation', max_seq_length: int = 50,
                              num_negatives: int = 1, seed: int = 2020,
                              batch_size: int = 4096) -> LabelledEvaluationSampler:
    """The labelled examples of :func:`labelled_sequence_examples` as an evaluation sampler.

    Args:
        sequences: The behaviour sequences.
        part: ``'validation'`` or ``'test'``.
        max_seq_length: History length kept.
        num_negatives: Negative targets per positive.
        seed: Seed of the negatives.
        batch_size: Examples per batch.

    Returns:
        A :class:`~openrec2.utils.samplers.LabelledEvaluationSampler` named ``part``.
    """
    examples = labelled_sequence_examples(sequences, part, max_seq_length, num_negatives, seed)
    return LabelledEvaluationSampler(examples, batch_size, name=part)


def ranking_sequence_sampler(sequences: BehaviourSequences, part: str = 'validation', max_seq_length: int = 50,
                             num_candidates: int = 99, max_users: Optional[int] = None, seed: int = 2020,
                             batch_size: int = 4096) -> CandidateEvaluationSampler:
    """The sampled ranking of :func:`sampled_ranking_examples` as an evaluation sampler.

    Args:
        sequences: The behaviour sequences.
        part: ``'validation'`` or ``'test'``.
        max_seq_length: History length kept.
        num_candidates: Sampled negatives per user.
        max_users: Evaluate a seeded subset of this many users (``None``: all).
        seed: Seed of the subset and the negatives.
        batch_size: Rows per batch.

    Returns:
        A :class:`~openrec2.utils.samplers.CandidateEvaluationSampler` named ``part``.
    """
    examples, candidates, positives = sampled_ranking_examples(sequences, part, max_seq_length, num_candidates,
                                                               max_users, seed)
    return CandidateEvaluationSampler(examples, candidates, positives, batch_size, name=part)
