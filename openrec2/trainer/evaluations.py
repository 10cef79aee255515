"""What :class:`~openrec2.ModelTrainer` evaluates on each split, and how.

An evaluation split is given to the trainer as any of:

* an evaluation sampler (:class:`~openrec2.utils.samplers.EvaluationSampler` for full or
  sampled ranking, :class:`~openrec2.utils.samplers.CandidateEvaluationSampler`,
  :class:`~openrec2.utils.samplers.LabelledEvaluationSampler`), scored by the model and
  evaluated with the trainer's evaluators;
* an evaluation object with ``evaluate(model, evaluators) -> MetricResults``:
  :class:`Evaluation` (a sampler with its own evaluators),
  :class:`~openrec2.trainer.adversarial_evaluation.AdversarialEvaluation` (clean, FGSM
  and MSAP rankings of a content model),
  :class:`~openrec2.trainer.kg_evaluation.KGTailEvaluation` (knowledge-graph triples);
* a list of the above, whose metrics are merged into one result for the split (DIEN:
  labelled AUC / LogLoss and a sampled HR / NDCG ranking of the same targets).

:func:`evaluate_split` runs one split; :func:`name_eval_samplers` names the splits.
"""

from __future__ import annotations

import reprlib
from collections.abc import Mapping, Sequence
from typing import Any, Optional, Union

import numpy as np

from openrec2.errors import SettingError, UnknownOptionError, scoped
from openrec2.utils.evaluators import MetricResults, evaluate_with_scorer

_SCOPE = 'ModelTrainer'


def model_scorer(model, sampler, perturbed: bool = False):
    """The ``score_fn`` that scores a sampler's batches with a model's serving graph.

    Args:
        model: A recommender.
        sampler: An evaluation sampler (full ranking scores every item, from the user ids
            or from the other inputs its batches carry, such as histories; sampled and
            labelled samplers score their rows).
        perturbed: Score under the model's held item-feature perturbation.

    Returns:
        ``score_fn(batch) -> scores`` for :func:`evaluate_with_scorer`.
    """
    # Example rows may carry more than the model reads (a user id for a CTR model, a history
    # for a model without one); full-ranking batches of user ids alone score every item.
    inputs = set(model.input_names(train=False))

    def score(batch):
        if (not (sampler.sampled or getattr(sampler, 'labelled', False)) and set(batch) == {'user_id'}
                and 'user_id' in inputs):
            return model.serve_all_items(batch['user_id'], perturbed=perturbed)
        return model.serve_in_chunks({key: value for key, value in batch.items() if key in inputs},
                                     perturbed=perturbed)

    return score


class Evaluation:
    """An evaluation sampler scored by the model, optionally with evaluators of its own.

    Args:
        sampler: The evaluation sampler.
        evaluators: Evaluators of this evaluation (None: the trainer's).
        name: Name of the split (default: from the sampler, see :func:`name_eval_samplers`).
    """

    def __init__(self, sampler, evaluators: Optional[Sequence] = None, name: Optional[str] = None) -> None:
        self.sampler = sampler
        self.evaluators = None if evaluators is None else list(evaluators)
        self.name = name or split_name_of(sampler)

    def evaluate(self, model, evaluators: Optional[Sequence] = None) -> MetricResults:
        """Score the sampler with the model and evaluate the scores.

        Args:
            model: The recommender.
            evaluators: The trainer's evaluators (used when this evaluation has none;
                None or empty: the default set).

        Returns:
            The :class:`MetricResults`.
        """
        chosen = self.evaluators if self.evaluators is not None else (list(evaluators) if evaluators else None)
        return evaluate_with_scorer(model_scorer(model, self.sampler), self.sampler, chosen)


def as_evaluations(spec: Any) -> list:
    """The evaluation objects of one split (samplers wrapped in :class:`Evaluation`).

    Args:
        spec: A sampler, an evaluation object, or a list / tuple of them.

    Returns:
        A list of objects with ``evaluate(model, evaluators)``.
    """
    return [part if _evaluates_itself(part) else Evaluation(part) for part in _split_parts(spec)]


def _split_parts(spec: Any) -> list:
    """The parts of one split: the list's entries, or the one spec."""
    return list(spec) if isinstance(spec, (list, tuple)) else [spec]


def _evaluates_itself(part: Any) -> bool:
    """Whether a split part is an evaluation object (else a sampler the model scores)."""
    return callable(getattr(part, 'evaluate', None))


def evaluate_split(model, spec: Any, evaluators: Optional[Sequence] = None) -> MetricResults:
    """Run every evaluation of one split and merge their metrics.

    Args:
        model: The recommender.
        spec: What to evaluate (see the module docstring).
        evaluators: The trainer's evaluators.

    Returns:
        One :class:`MetricResults`: the metrics of every part (the first part's counts);
        collapsed when any part's scores collapsed.

    Raises:
        UnknownOptionError: Two parts produce the same metric key.
    """
    results = [evaluation.evaluate(model, evaluators) for evaluation in as_evaluations(spec)]
    if len(results) == 1:
        return results[0]
    values: dict[str, float] = {}
    for part in results:
        clash = sorted(set(values) & set(part))
        if clash:
            raise UnknownOptionError(scoped(_SCOPE, f'two evaluations of one split both produce {clash}; give '
                                                    'them disjoint evaluators (Evaluation(sampler, evaluators)).'))
        values.update(part)
    merged = MetricResults(values, results[0].num_evaluated, results[0].num_skipped, results[0].unit)
    collapsed = [part for part in results if part.collapsed]
    if collapsed:
        merged.with_spread(collapsed[0].score_spread, collapsed[0].score_scale)
    return merged


def split_name_of(sampler: Any, index: int = 0) -> str:
    """The default name of an evaluation: the last part of its dataset's or its own name.

    Args:
        sampler: An evaluation sampler or object.
        index: Its position, for a fallback name.

    Returns:
        ``'validation'`` for a sampler of dataset ``'ml-100k/validation'``, else
        ``eval<index>``.
    """
    explicit = getattr(sampler, 'name', None)
    dataset = getattr(sampler, 'dataset', None)
    base = explicit if isinstance(explicit, str) and explicit else getattr(dataset, 'name', '')
    return str(base or f'eval{index}').split('/')[-1]


def _check_split(spec: Any, name: str) -> None:
    """Raise SettingError unless every part of a split is an evaluation sampler or object."""
    parts = _split_parts(spec)
    if not parts:
        raise SettingError(scoped(_SCOPE, f'evaluation split {name} is an empty list; give it a sampler.'))
    for part in parts:
        # An evaluation sampler says how it ranks (``sampled``).
        if not _evaluates_itself(part) and not hasattr(part, 'sampled'):
            given = f'{reprlib.repr(part)} (a {type(part).__name__})'
            raise SettingError(scoped(_SCOPE, f'evaluation split {name} is {given}, not an evaluation sampler '
                                              'or evaluation object; pass EvaluationSampler(...) objects as a '
                                              'list or {name: sampler}.'))


def name_eval_samplers(eval_samplers: Union[Mapping[str, Any], Sequence[Any], None]) -> dict[str, Any]:
    """Give each evaluation split a name.

    Args:
        eval_samplers: ``{name: spec}``, or a list of specs named by :func:`split_name_of`
            (made unique with a suffix when two coincide), or one spec; None: no evaluation.

    Returns:
        ``{name: spec}`` in the given order.

    Raises:
        SettingError: A split that is neither an evaluation sampler nor an evaluation
            object (a number, a training array), or an empty list.
    """
    if eval_samplers is None:
        return {}
    if isinstance(eval_samplers, Mapping):
        for name, spec in eval_samplers.items():
            _check_split(spec, repr(name))
        return dict(eval_samplers)
    if not isinstance(eval_samplers, (list, tuple)):
        eval_samplers = [eval_samplers]  # a single sampler or evaluation object
    named: dict[str, Any] = {}
    for index, spec in enumerate(eval_samplers):
        _check_split(spec, f'[{index}]')
        first = spec[0] if isinstance(spec, (list, tuple)) and spec else spec
        base = split_name_of(first, index)
        name, suffix = base, 2
        while name in named:
            name, suffix = f'{base}_{suffix}', suffix + 1
        named[name] = spec
    return named


def spread_text(results: MetricResults) -> str:
    """How far the scores behind collapsed results varied, for a warning.

    Args:
        results: Collapsed results.

    Returns:
        E.g. ``'spread 1.2e-09 at scale 0.031'``.
    """
    scale = results.score_scale if results.score_scale is not None else np.nan
    return f'spread {results.score_spread:.1e} at scale {scale:.3g}'
