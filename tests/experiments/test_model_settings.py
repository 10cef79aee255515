"""Tests of --set parsing: keys checked against the constructor, values typed from it."""

import typing

import pytest

from openrec2.errors import SettingError
from openrec2.experiments.experiment import owned_settings
from openrec2.experiments.model_registry import get_model_spec
from openrec2.experiments.model_settings import (
    coerce_setting,
    constructor_parameters,
    parse_model_settings,
    settable_names,
    setting_types,
)
from openrec2.recommenders import AMR, DIEN, KTUP, PMF, ConvNCF


def test_types_come_from_annotations_defaults_and_the_bases():
    types = setting_types(AMR)
    assert types['l_adv'] is float and types['eps'] is float  # eps comes from VBPR through **kwargs
    assert list(constructor_parameters(AMR))[:5] == ['batch_size', 'max_user', 'max_item', 'item_features', 'l_adv']
    assert setting_types(PMF)['a'] is float and setting_types(PMF)['sigmoid'] is bool  # unannotated: defaults


@pytest.mark.parametrize('model, key, text, value', [
    (ConvNCF, 'cnn_channels', '1,32,32', [1, 32, 32]), (ConvNCF, 'cnn_channels', '[1, 8]', [1, 8]),
    (ConvNCF, 'reg_weights', '0.1,0', [0.1, 0.0]), (KTUP, 'use_st_gumbel', 'False', False),
    (KTUP, 'margin', '2', 2.0), (DIEN, 'gru_type', 'AGRU', 'AGRU'), (DIEN, 'max_seq_length', '12', 12),
    (AMR, 'eps_iter', 'none', None), (AMR, 'eps_iter', '0.1', 0.1), (AMR, 'opt', 'SGD', 'SGD')])
def test_values_are_parsed_to_the_settings_type(model, key, text, value):
    assert coerce_setting(key, text, setting_types(model)[key]) == value


def test_unknown_owned_repeated_and_mistyped_keys_are_errors():
    owned = owned_settings(get_model_spec('KTUP'))
    assert 'margin' in settable_names(KTUP, owned) and 'max_item' not in settable_names(KTUP, owned)
    with pytest.raises(SettingError, match=r"KTUP has no setting 'margn'; valid: \[.*'margin'"):
        parse_model_settings(KTUP, ['margn=1'], owned)
    with pytest.raises(SettingError, match='num_entities is set by the dataset, not by --set'):
        parse_model_settings(KTUP, ['num_entities=3'], owned)
    with pytest.raises(SettingError, match='margin is set twice'):
        parse_model_settings(KTUP, ['margin=1', 'margin=2'], owned)
    with pytest.raises(SettingError, match="train_kg_step='two': `train_kg_step` takes an integer"):
        parse_model_settings(KTUP, ['train_kg_step=two'], owned)
    assert parse_model_settings(KTUP, ['margin=3', 'L1_flag=yes'], owned) == {'margin': 3.0, 'L1_flag': True}


@pytest.mark.parametrize('name', ['GMF', 'NBPR', 'CML', 'WCML', 'UCML', 'ItrMLP', 'VisualPMF', 'VisualGMF', 'VisualBPR',
                                  'ConcatVisualBPR', 'VisualCML', 'UserPMF', 'UserVisualPMF', 'CDL', 'WRMF'])
def test_every_zoo_setting_has_a_type_the_command_line_parses(name):
    """No settable key of a zoo model falls back to text: each parses from its constructor's type."""
    spec = get_model_spec(name)
    types = setting_types(spec.recommender_class())
    untyped = [key for key in settable_names(spec.recommender_class(), owned_settings(spec))
               if types[key] is typing.Any]
    assert untyped == []


def test_zoo_settings_parse_from_text():
    cdl = get_model_spec('CDL')
    parsed = parse_model_settings(cdl.recommender_class(), ['dims=661,128,64', 'dropout=0.2', 'l2_reconst=none'],
                                  owned_settings(cdl))
    assert parsed == {'dims': [661, 128, 64], 'dropout': 0.2, 'l2_reconst': None}
