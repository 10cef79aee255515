"""Tests of load_dataset, the named-dataset registry."""

import pytest
from split_checks import requires_data

from openrec2.datasets import DataSplit, load_dataset
from openrec2.errors import UnknownOptionError


def test_synthetic_by_name_with_kwargs():
    split = load_dataset('synthetic', num_users=50, num_items=60, per_user=10, seed=3)
    assert isinstance(split, DataSplit) and (split.max_user, split.max_item) == (50, 60)


@requires_data
@pytest.mark.parametrize('name,max_user', [('ml-100k', 943), ('ml-1m', 6039), ('citeulike-a', 5551),
                                           ('amazon-beauty', 22363)])
def test_every_real_name_loads(name, max_user):
    assert load_dataset(name).max_user == max_user


def test_unknown_name_lists_valid_names():
    with pytest.raises(UnknownOptionError, match=r"unknown dataset 'movielens'.*'amazon-beauty'.*'synthetic'"):
        load_dataset('movielens')


def test_unknown_kwarg_lists_valid_ones():
    with pytest.raises(UnknownOptionError, match=r"takes no argument\(s\) \['ratio'\]; valid: .*'ratios'"):
        load_dataset('ml-100k', ratio=(0.8, 0.2))
