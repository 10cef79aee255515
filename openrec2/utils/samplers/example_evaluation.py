"""Evaluation samplers over precomputed example rows: labelled examples and scored candidates.

Models whose serving inputs are more than ids (DIEN reads a behaviour history with
every target) are evaluated on fixed example rows built once, seeded
(:func:`~openrec2.utils.samplers.sequence_examples.labelled_sequence_examples`,
:func:`~openrec2.utils.samplers.sequence_examples.sampled_ranking_examples`). These two
samplers hand such rows to :func:`~openrec2.utils.evaluators.evaluate_with_scorer` (and
so to :class:`~openrec2.ModelTrainer`) in batches:

* :class:`LabelledEvaluationSampler`: every example has a label; one prediction per
  example is evaluated with labelled metrics (AUC, LogLoss, ...);
* :class:`CandidateEvaluationSampler`: every row is one (user, candidate item) pair of a
  sampled ranking; each user's positives are ranked among its candidates (HR, NDCG, ...).

Both are one-pass iterators with the interface of
:class:`~openrec2.utils.samplers.EvaluationSampler` (``for batch in sampler`` runs a fresh
pass; ``close()`` does nothing).
"""

from __future__ import annotations

import math
from typing import Any, Mapping, Optional

import numpy as np

from openrec2.errors import MissingInputError, ShapeError, scoped
from openrec2.utils.item_lists import ItemLists
from openrec2.validation import check_int

Batch = dict[str, np.ndarray]


class _ExampleRows:
    """Rows of equal-length arrays served ``batch_size`` at a time, in order."""

    sampled = False
    labelled = False

    def __init__(self, examples: Mapping[str, Any], batch_size: int, scope: str, name: str) -> None:
        self.scope = scope
        self.name = name
        self.batch_size = check_int(batch_size, 'batch_size', scope)
        self.examples = {key: np.asarray(value) for key, value in examples.items()}
        lengths = {key: len(value) for key, value in self.examples.items()}
        if not lengths or len(set(lengths.values())) != 1:
            raise ShapeError(scoped(scope, f'every example array needs the same number of rows, got {lengths}.'))
        self.num_rows = next(iter(lengths.values()))

    @property
    def num_batches(self) -> int:
        """Batches in one pass."""
        return math.ceil(self.num_rows / self.batch_size)

    def __len__(self) -> int:
        return self.num_batches

    def _inputs(self) -> dict[str, np.ndarray]:
        return self.examples

    def __iter__(self):
        inputs = self._inputs()
        for start in range(0, self.num_rows, self.batch_size):
            yield {key: value[start:start + self.batch_size] for key, value in inputs.items()}

    def close(self) -> None:
        """Nothing to stop; kept for the sampler interface."""

    def __enter__(self):
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return f'{type(self).__name__}(name={self.name!r}, rows={self.num_rows}, batch_size={self.batch_size})'


class LabelledEvaluationSampler(_ExampleRows):
    """Labelled example rows for labelled metrics (CTR: AUC, LogLoss).

    Batches hold every example array except the labels.

    Args:
        examples: ``{input name: [n, ...] array}`` including ``label_key``.
        batch_size: Examples per batch.
        label_key: Key of the labels.
        name: Name of the split (trainers name the evaluation after its last part).

    Raises:
        MissingInputError: No ``label_key`` array.
        ShapeError: The arrays differ in length.
        SettingError: A bad ``batch_size``.
    """

    labelled = True

    def __init__(self, examples: Mapping[str, Any], batch_size: int = 4096, label_key: str = 'label',
                 name: str = 'labelled') -> None:
        scope = 'LabelledEvaluationSampler'
        if label_key not in examples:
            raise MissingInputError(scoped(scope, f'the examples have no {label_key!r} array; they have '
                                           f'{sorted(examples)}.'))
        super().__init__(examples, batch_size, scope, name)
        self.label_key = label_key
        self.labels = self.examples[label_key].astype(np.float64).ravel()

    def _inputs(self) -> dict[str, np.ndarray]:
        return {key: value for key, value in self.examples.items() if key != self.label_key}


class CandidateEvaluationSampler(_ExampleRows):
    """Rows of (user, candidate item) examples of a sampled ranking.

    The rows must follow ``candidate_items`` user by user (rows are user ids), in its
    stored order (ascending item id within a user), as
    :func:`~openrec2.utils.samplers.sequence_examples.sampled_ranking_examples` builds
    them; the scores of one pass then line up with the candidates.

    Args:
        examples: ``{input name: [n, ...] array}`` with ``user_id`` and ``item_id``.
        candidate_items: Per-user candidates (:class:`ItemLists`, rows are user ids).
        positive_items: Per-user positives (each among the user's candidates).
        batch_size: Rows per batch.
        name: Name of the split.
        drop: Example keys not fed to the model (default: ``label``).

    Raises:
        MissingInputError: No ``user_id`` / ``item_id`` array.
        ShapeError: The rows do not follow the candidates.
        SettingError: A bad ``batch_size``.
    """

    sampled = True

    def __init__(self, examples: Mapping[str, Any], candidate_items: ItemLists, positive_items: ItemLists,
                 batch_size: int = 4096, name: str = 'sampled', drop: Optional[tuple] = ('label',)) -> None:
        scope = 'CandidateEvaluationSampler'
        missing = [key for key in ('user_id', 'item_id') if key not in examples]
        if missing:
            raise MissingInputError(scoped(scope, f'the examples lack {missing}; they have {sorted(examples)}.'))
        super().__init__(examples, batch_size, scope, name)
        if not (np.array_equal(self.examples['user_id'], candidate_items.row_ids)
                and np.array_equal(self.examples['item_id'], candidate_items.indices)):
            raise ShapeError(scoped(scope, 'the example rows must list candidate_items user by user in its stored '
                                    'order (ascending item ids within each user).'))
        self.candidate_items = candidate_items
        self.positive_items = positive_items
        self.max_item = candidate_items.num_items
        self._drop = tuple(drop or ())

    def _inputs(self) -> dict[str, np.ndarray]:
        return {key: value for key, value in self.examples.items() if key not in self._drop}
