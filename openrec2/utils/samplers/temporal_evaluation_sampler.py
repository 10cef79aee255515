"""Leave-last-out, full-ranking evaluation of RNNRec (Hidasi et al., "Session-based
Recommendations with Recurrent Neural Networks", ICLR 2016), as OpenRec's
``TemporalEvaluationSampler``: :class:`~openrec2.utils.samplers.next_item_evaluation.NextItemEvaluationSampler`
with the batch keys ``user_id``, ``seq_item_id``, ``seq_len`` of
:class:`~openrec2.utils.samplers.TemporalSampler`.
"""

from __future__ import annotations

from typing import Union

from openrec2.utils.dataset import Dataset
from openrec2.utils.samplers.next_item import TEMPORAL_KEYS
from openrec2.utils.samplers.next_item_evaluation import NextItemEvaluationSampler
from openrec2.utils.sequences import BehaviourSequences


class TemporalEvaluationSampler(NextItemEvaluationSampler):
    """Users, histories and targets of one leave-last-out part, for full ranking.

    Args:
        dataset: :class:`BehaviourSequences`, or a :class:`~openrec2.utils.Dataset`
            with timestamps (each user's last interaction is then its test target).
        max_seq_len: History length fed to the model.
        part: ``'test'`` or ``'validation'``.
        batch_size: Users per batch.
        exclude_history: Remove the user's earlier items from the ranking.

    Raises:
        SettingError: A bad ``part`` or size.
        DataError: The part has no target (e.g. validation targets were not held out).
    """

    keys = TEMPORAL_KEYS

    def __init__(self, dataset: Union[BehaviourSequences, Dataset], max_seq_len: int = 50, part: str = 'test',
                 batch_size: int = 1024, exclude_history: bool = True) -> None:
        super().__init__(dataset, part=part, max_seq_len=max_seq_len, batch_size=batch_size,
                         exclude_history=exclude_history)
