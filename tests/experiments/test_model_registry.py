"""Tests of the command-line model registry."""

import pytest

from openrec2.errors import SettingError, UnknownOptionError
from openrec2.experiments.model_registry import MODELS, ModelSpec, get_model_spec, register_model
from openrec2.experiments.model_settings import constructor_parameters
import openrec2.recommenders as recommenders
from openrec2.recommenders import AMR, BPR, DIEN, KTUP, PMF, VBPR, ConvNCF

SEVEN = {'BPR': BPR, 'PMF': PMF, 'VBPR': VBPR, 'AMR': AMR, 'ConvNCF': ConvNCF, 'KTUP': KTUP, 'DIEN': DIEN}
#: The legacy OpenRec zoo (openrec.legacy.recommenders) besides BPR and PMF.
ZOO = ['GMF', 'NBPR', 'CML', 'WCML', 'UCML', 'ItrMLP', 'VisualPMF', 'VisualGMF', 'VisualBPR', 'ConcatVisualBPR',
       'VisualCML', 'UserPMF', 'UserVisualPMF', 'CDL']
#: Models added after the legacy zoo, from OpenRec 0.2 / tf2 and the papers (checked by name).
LATER = ['DLRM', 'VanillaYouTubeRec', 'YouTubeRec', 'WRMF', 'RNNRec']


def test_every_builtin_model_is_registered_with_its_class_and_data():
    assert set(SEVEN) | set(ZOO) | set(LATER) == set(MODELS)
    for name, model_class in {**SEVEN, **{name: getattr(recommenders, name) for name in ZOO + LATER}}.items():
        spec = get_model_spec(name.lower())
        assert spec.recommender_class() is model_class
        assert spec.dim_setting in constructor_parameters(model_class)
    assert get_model_spec('KTUP').data == 'knowledge_graph' and get_model_spec('DIEN').data == 'sequences'
    assert get_model_spec('DLRM').data == 'ctr'
    assert get_model_spec('RNNRec').data == 'next_item'
    assert get_model_spec('AMR').data == 'item_features' and get_model_spec('ConvNCF').pretrain == 'BPR'
    assert get_model_spec('AMR').features == {'item': 'item_features'} and get_model_spec('AMR').attacked
    assert get_model_spec('CDL').features == {'item': 'item_f'} and get_model_spec('ItrMLP').pretrain == 'PMF'
    assert get_model_spec('UserVisualPMF').features == {'user': 'user_f_source', 'item': 'item_f_source'}
    assert get_model_spec('YouTubeRec').data == 'next_item' and get_model_spec('VanillaYouTubeRec').data == 'next_item'
    assert get_model_spec('YouTubeRec').features == {'user': 'user_features', 'item': 'item_features'}


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


def test_feature_sides_are_checked():
    with pytest.raises(SettingError, match="`features side` must be one of"):
        ModelSpec('X', 'VisualPMF', features={'items': 'item_f_source'})
