"""WCML: the legacy argument order (neg_num last), WARP-weighted metric learning (planted and ML-100K)."""

import inspect

import pytest

from openrec2.recommenders import WCML

from planted import planted_split
from zoo import assert_beats_most_popular, assert_learns_planted


def test_wcml_learns_planted_problem():
    split = planted_split()
    assert_learns_planted(WCML(256, split.max_user, split.max_item, 8, lr=0.01, seed=0, neg_num=5), split)


def test_neg_num_follows_sess_config_as_in_legacy_openrec():
    names = list(inspect.signature(WCML).parameters)
    assert names.index("neg_num") == names.index("sess_config") + 1


@pytest.mark.slow
def test_wcml_beats_most_popular_on_ml100k():
    assert_beats_most_popular("WCML", "ml-100k")
