"""Tests of AUC: global (labelled) and per-user (ranking)."""

import numpy as np
import pytest

from openrec2.errors import DataError
from openrec2.utils.evaluators import AUC
from openrec2.utils.evaluators.ranking import RankedBlock


def test_global_auc_with_ties():
    predictions = np.array([0.1, 0.4, 0.4, 0.8])
    labels = np.array([0.0, 0.0, 1.0, 1.0])
    # Pairs (pos, neg): (0.4, 0.1)=1, (0.4, 0.4)=0.5, (0.8, 0.1)=1, (0.8, 0.4)=1 -> 3.5 / 4.
    assert AUC().labelled_values(predictions, labels) == {'AUC': pytest.approx(3.5 / 4)}


def test_global_auc_needs_both_classes_and_binary_labels():
    with pytest.raises(DataError, match='both classes'):
        AUC().labelled_values(np.array([0.1, 0.2]), np.array([1.0, 1.0]))
    with pytest.raises(DataError, match='0/1 labels'):
        AUC().labelled_values(np.array([0.1, 0.2]), np.array([1.0, 2.0]))


def test_ranking_auc_reads_the_block():
    block = RankedBlock(np.zeros((2, 1), dtype=bool), np.array([1, 1]), np.array([3, 1]),
                        auc=np.array([0.75, np.nan]))
    values = AUC().ranking_values(block)['AUC']
    assert values[0] == 0.75 and np.isnan(values[1])
