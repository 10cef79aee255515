"""Tests of the command-line model registry."""

import pytest

from openrec2.errors import SettingError, UnknownOptionError
from openrec2.experiments.model_registry import MODELS, ModelSpec, get_model_spec, register_model
from openrec2.experiments.model_settings import constructor_parameters
from openrec2.recommenders import AMR, BPR, DIEN, KTUP, PMF, VBPR, ConvNCF

SEVEN = {'BPR': BPR, 'PMF': PMF, 'VBPR': VBPR, 'AMR': AMR, 'ConvNCF': ConvNCF, 'KTUP': KTUP, 'DIEN': DIEN}


def test_every_builtin_model_is_registered_with_its_class_and_data():
    assert set(SEVEN) <= set(MODELS)
    for name, model_class in SEVEN.items():
        spec = get_model_spec(name.lower())
        assert spec.recommender_class() is model_class
        assert spec.dim_setting in constructor_parameters(model_class)
    assert get_model_spec('KTUP').data == 'knowledge_graph' and get_model_spec('DIEN').data == 'sequences'
    assert get_model_spec('AMR').data == 'item_features' and get_model_spec('ConvNCF').pretrain == 'BPR'


def test_register_and_unknown():
    spec = register_model(ModelSpec('MyBPR', 'BPR', defaults=dict(lr=0.1)))
    try:
        assert get_model_spec('mybpr') is spec and spec.recommender_class() is BPR
    finally:
        del MODELS['MyBPR']
    with pytest.raises(UnknownOptionError, match=r"unknown model 'Nope'; valid models: \[.*'BPR'.*'PMF'"):
        get_model_spec('Nope')
    with pytest.raises(UnknownOptionError, match="unknown default.*'epoch'"):
        ModelSpec('X', 'BPR', defaults=dict(epoch=3))
    with pytest.raises(SettingError, match="`data` must be one of"):
        ModelSpec('X', 'BPR', data='graphs')
