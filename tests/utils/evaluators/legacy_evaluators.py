"""Evaluators written as legacy OpenRec wrote them (``Evaluator(etype, name)`` + ``compute``), for the tests."""

import numpy as np

from openrec2.utils.evaluators import Evaluator


class LegacyAUC(Evaluator):
    """Legacy OpenRec's AUC: share of the negatives each positive beats, averaged over positives."""

    def __init__(self, name='LegacyAUC'):
        super(LegacyAUC, self).__init__(etype='rank', name=name)

    def compute(self, rank_above, negative_num):
        return np.mean((negative_num - rank_above) / negative_num)


class LegacyRecall(Evaluator):
    """Legacy OpenRec's Recall, whose ``rank <= k`` test counts the top k + 1 (kept as legacy had it)."""

    def __init__(self, recall_at, name='LegacyRecall'):
        self._recall_at = np.array(recall_at)
        super(LegacyRecall, self).__init__(etype='rank', name=name)

    def compute(self, rank_above, negative_num):
        del negative_num
        results = np.zeros(len(self._recall_at))
        for rank in rank_above:
            results += (rank <= self._recall_at).astype(np.float32)
        return results / len(rank_above)


class LegacySquaredError(Evaluator):
    """A legacy ``'regression'`` evaluator: per-example squared errors."""

    def __init__(self, name='LegacyMSE'):
        super(LegacySquaredError, self).__init__(etype='regression', name=name)

    def compute(self, predictions, labels):
        return np.square(predictions - labels)
