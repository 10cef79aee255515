"""Tests of openrec2.validation: one error class and one message shape for every bad setting."""

import math

import numpy as np
import pytest

from openrec2.errors import SettingError, UnknownOptionError
from openrec2.validation import (check_bool, check_choice, check_int, check_int_list, check_learning_rate,
                                 check_non_negative, check_number, check_number_list, check_positive,
                                 check_probability)


def test_integers_refuse_bools_floats_and_out_of_range_values():
    assert check_int(np.int64(4), 'dim', 'bpr') == 4 and type(check_int(np.int64(4), 'dim', 'bpr')) is int
    assert check_int(None, 'seed', 'bpr', allow_none=True) is None
    for bad, text in ((True, r'got True \(a bool\)'), (8.0, r'got 8.0 \(a float\)'), ('8', r"got '8' \(a str\)"),
                      (0, 'got 0; choose a value >= 1')):
        with pytest.raises(SettingError, match=f'^bpr: `dim` must be an integer >= 1, {text}'):
            check_int(bad, 'dim', 'bpr')
    with pytest.raises(SettingError, match='must be an integer >= 0 and <= 6, got 7'):
        check_int(7, 'adversarial_epochs', 'amr', minimum=0, maximum=6)


def test_numbers_rates_and_probabilities():
    assert check_number(2, 'margin', 's') == 2.0
    for bad in (math.nan, math.inf, 'x', None, True):
        with pytest.raises(SettingError, match='`margin` must be a finite number'):
            check_number(bad, 'margin', 's')
    with pytest.raises(SettingError, match='must be a finite number > 0, got 0'):
        check_positive(0, 'margin', 's')
    with pytest.raises(SettingError, match='must be a finite number >= 0, got -1'):
        check_non_negative(-1, 'l2_reg', 's')
    assert check_probability(None, 'dropout', 's') is None and check_probability(0.0, 'dropout', 's') == 0.0
    with pytest.raises(SettingError, match='must be a finite number >= 0 and < 1'):
        check_probability(1.0, 'dropout', 's')
    assert check_probability(1.0, 'pos_ratio', 's', allow_one=True) == 1.0
    for bad in (0, -1e-3, math.nan, '1e-3'):
        with pytest.raises(SettingError, match='^m: `lr` must be a finite number > 0.*typical values'):
            check_learning_rate(bad, 'm')
    assert check_learning_rate(None, 'm') is None and check_learning_rate(1e-3, 'm') == 1e-3


def test_choices_flags_and_lists():
    assert check_choice('AUGRU', 'gru_type', 'dien', ['AGRU', 'AUGRU']) == 'AUGRU'
    with pytest.raises(SettingError, match=r"`gru_type` must be one of \['AGRU', 'AUGRU'\], got 'augru'; check"):
        check_choice('augru', 'gru_type', 'dien', ['AGRU', 'AUGRU'])
    with pytest.raises(SettingError):
        check_choice([1], 'init', 'lf', ['normal'])  # unhashable values are simply not a choice
    assert check_bool(np.bool_(True), 'flag', 's') is True
    with pytest.raises(SettingError, match=r'`flag` must be True or False, got 1 \(a int\)'):
        check_bool(1, 'flag', 's')
    assert check_int_list((64, np.int32(32)), 'dims', 'mlp') == [64, 32]
    for bad in ([], [0], 'abc', 5, [2.5]):
        with pytest.raises(SettingError, match='^mlp: `dims` must be a non-empty list of integers >= 1'):
            check_int_list(bad, 'dims', 'mlp')
    with pytest.raises(SettingError, match='give exactly 2 values'):
        check_int_list([4], 'shape', 'lf', length=2)
    assert check_number_list([0.1, 0], 'reg_weights', 'c', minimum=0.0, length=2) == [0.1, 0.0]
    with pytest.raises(SettingError, match='entry -1 is not a finite number >= 0'):
        check_number_list([0.1, -1], 'reg_weights', 'c', minimum=0.0, length=2)


def test_setting_errors_are_the_unknown_option_errors_older_code_catches():
    assert issubclass(SettingError, UnknownOptionError) and issubclass(SettingError, ValueError)


def test_the_same_mistake_raises_the_same_error_in_models_samplers_and_datasets():
    from openrec2.recommenders import BPR
    from openrec2.utils import ImplicitDataset
    from openrec2.utils.dataset import make_interactions
    from openrec2.utils.samplers import PairwiseSampler
    data = ImplicitDataset(make_interactions([0, 1], [1, 0]), 2, 2)
    for build in (lambda: BPR(batch_size=0, max_user=2, max_item=2), lambda: PairwiseSampler(data, 0),
                  lambda: ImplicitDataset(make_interactions([0], [0]), 0, 2)):
        with pytest.raises(SettingError, match='must be an integer >= 1, got 0'):
            build()
