"""Leave-last-out next-item evaluation over all items for the YouTube candidate
generation models (Covington, Adams and Sargin, "Deep Neural Networks for YouTube
Recommendations", RecSys 2016): :class:`~openrec2.utils.samplers.next_item_evaluation.NextItemEvaluationSampler`
with the batch keys ``user_id``, ``item_seq``, ``item_seq_len`` of
:class:`~openrec2.utils.samplers.YouTubeSampler`.
"""

from __future__ import annotations

from openrec2.utils.samplers.next_item import YOUTUBE_KEYS
from openrec2.utils.samplers.next_item_evaluation import NextItemEvaluationSampler


class YouTubeEvaluationSampler(NextItemEvaluationSampler):
    """Full-ranking batches of one leave-last-out part with each user's history.

    Arguments (``sequences, part='test', max_seq_len=20, batch_size=1024,
    exclude_history=True``) and errors as
    :class:`~openrec2.utils.samplers.next_item_evaluation.NextItemEvaluationSampler`.
    """

    keys = YOUTUBE_KEYS
