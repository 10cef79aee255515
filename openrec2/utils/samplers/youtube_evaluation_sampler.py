"""Leave-last-out next-item evaluation over all items, for models that read the history
(the YouTube candidate generation models of Covington, Adams and Sargin, "Deep Neural
Networks for YouTube Recommendations", RecSys 2016).

Each evaluated user has one target in the part (``'test'``: the last behaviour;
``'validation'``: the second-last). Its positive is that item; every item the user had
before it is excluded from the ranking (full ranking, as
:class:`~openrec2.utils.samplers.EvaluationSampler` does with training items), and its
batches carry the history before the target, so the model scores all items from it.
"""

from __future__ import annotations

import numpy as np

from openrec2.errors import DataError, DTypeError, UnknownOptionError, scoped
from openrec2.utils.dataset import ImplicitDataset, make_interactions
from openrec2.utils.ragged import ragged_positions
from openrec2.utils.samplers.evaluation import Batch, EvaluationSampler
from openrec2.utils.samplers.youtube_sampler import next_item_examples
from openrec2.utils.sequences import BehaviourSequences
from openrec2.validation import check_int

_SCOPE = 'YouTubeEvaluationSampler'


class YouTubeEvaluationSampler(EvaluationSampler):
    """Full-ranking batches of one leave-last-out part with each user's history.

    Batches: up to ``batch_size`` users, ``{'user_id', 'item_seq', 'item_seq_len'}`` as
    :func:`~openrec2.utils.samplers.youtube_sampler.next_item_examples` makes them (no
    ``item_id``: the model scores every item). :attr:`test_items` are the targets and
    :attr:`excluded_items` every item before each target (what
    :func:`~openrec2.utils.evaluators.evaluate_with_scorer` needs).

    Args:
        sequences: The behaviour sequences.
        part: ``'test'`` or ``'validation'``.
        max_seq_len: History length of the batches.
        batch_size: Users per batch.

    Raises:
        DTypeError: ``sequences`` is not a :class:`BehaviourSequences`.
        UnknownOptionError: ``part`` is not an evaluation part.
        SettingError: A bad size.
        DataError: The part has no target.
    """

    def __init__(self, sequences: BehaviourSequences, part: str = 'test', max_seq_len: int = 20,
                 batch_size: int = 1024) -> None:
        if not isinstance(sequences, BehaviourSequences):
            raise DTypeError(scoped(_SCOPE, f'sequences must be a BehaviourSequences, got {type(sequences).__name__}; '
                                            'build it with openrec2.datasets.sequences.load_ml100k_sequences() or '
                                            'sequences_from_split().'))
        if part not in ('validation', 'test'):
            raise UnknownOptionError(scoped(_SCOPE, f"part must be 'validation' or 'test', got {part!r}."))
        self.max_seq_len = check_int(max_seq_len, 'max_seq_len', _SCOPE)
        self.sequences = sequences
        self.part = part
        users, positions = sequences.targets(part)
        if users.size == 0:
            raise DataError(scoped(_SCOPE, f'dataset {sequences.name!r} has no {part} target; load it with '
                                           'validation=True for validation targets.'))
        targets = ImplicitDataset(make_interactions(users, sequences.items_at(users, positions)), sequences.max_user,
                                  sequences.max_item, name=f'{sequences.name}/{part}')
        before_users, offsets = ragged_positions(positions)
        history_users = users[before_users]
        before = ImplicitDataset(make_interactions(history_users, sequences.items_at(history_users, offsets)),
                                 sequences.max_user, sequences.max_item, name=f'{sequences.name}/before-{part}')
        super().__init__(targets, batch_size, excluded_datasets=[before])
        self.scope = _SCOPE
        # One target per user: the position of each evaluated user's target.
        self._target_position = np.zeros(sequences.max_user, dtype=np.int64)
        self._target_position[users] = positions

    def batch(self, index: int) -> Batch:
        """Batch number ``index`` of a pass: the users and the histories before their targets.

        Args:
            index: Batch number in ``[0, num_batches)``.

        Returns:
            ``{'user_id', 'item_seq', 'item_seq_len'}`` int32 arrays.

        Raises:
            IndexError: ``index`` is out of range.
        """
        users = super().batch(index)['user_id']
        examples = next_item_examples(self.sequences, users, self._target_position[users], self.max_seq_len)
        return {key: examples[key] for key in ('user_id', 'item_seq', 'item_seq_len')}

    def __repr__(self) -> str:
        return (f'YouTubeEvaluationSampler(dataset={self.dataset.name!r}, users={self.users.size}, '
                f'batch_size={self.batch_size}, max_seq_len={self.max_seq_len})')
