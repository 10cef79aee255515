"""Tests of the command-line model registry."""

import pytest

from openrec2.datasets import make_planted_implicit
from openrec2.errors import UnknownOptionError
from openrec2.recommenders import BPR, PMF, ConvNCF
from openrec2.trainer.model_registry import (MODELS, ModelSpec, TrainSettings, get_model_spec,
                                             matrix_factorization_builder, pairwise_sampler, register_model)
from openrec2.utils.samplers import PairwiseSampler, StratifiedPointwiseSampler


def test_builtin_models_build_with_their_samplers():
    split = make_planted_implicit(num_users=30, num_items=50, per_user=5)
    settings = TrainSettings(dim=64, batch_size=16)  # ConvNCF's default tower needs 64
    for name, model_class, sampler_class in (('BPR', BPR, PairwiseSampler), ('pmf', PMF, StratifiedPointwiseSampler),
                                             ('ConvNCF', ConvNCF, PairwiseSampler)):
        spec = get_model_spec(name)
        with spec.build(split, settings) as model, spec.make_sampler(split.train, settings) as sampler:
            assert type(model) is model_class and type(sampler) is sampler_class
            assert model.train(next(sampler)) > 0


def test_register_and_unknown():
    spec = register_model(ModelSpec('MyBPR', matrix_factorization_builder('BPR'), pairwise_sampler, dict(lr=0.1)))
    try:
        assert get_model_spec('mybpr') is spec
    finally:
        del MODELS['MyBPR']
    with pytest.raises(UnknownOptionError, match=r"unknown model 'Nope'; valid models: \[.*'BPR'.*'PMF'"):
        get_model_spec('Nope')
    with pytest.raises(UnknownOptionError, match="unknown default.*'epoch'"):
        ModelSpec('X', None, None, dict(epoch=3))


def test_amr_cli_schedule_trains_bpr_then_adversarially():
    from openrec2.trainer.model_registry import epoch_schedule
    import numpy as np
    split = make_planted_implicit(num_users=30, num_items=50, per_user=5)
    split.item_features = np.random.default_rng(0).random((split.max_item, 6)).astype(np.float32)
    settings = TrainSettings(dim=8, batch_size=16, epochs=6)
    with get_model_spec('AMR').build(split, settings) as amr, get_model_spec('VBPR').build(split, settings) as vbpr:
        assert epoch_schedule(amr, 6, 10) == [('bpr', 20), ('adversarial', 40)]
        assert epoch_schedule(vbpr, 6, 10) == [('bpr', 60)]


def test_visual_models_need_item_features():
    from openrec2.errors import DataError
    split = make_planted_implicit(num_users=30, num_items=50, per_user=5)
    with pytest.raises(DataError, match="^VBPR: synthetic has no item features"):
        get_model_spec('VBPR').build(split, TrainSettings())
