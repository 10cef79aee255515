"""Tests of run_experiment, the path the command line and the benchmarks share."""

import numpy as np
import pytest

from openrec2.datasets import make_planted_implicit
from openrec2.errors import CollapsedScoresError, DataError, SettingError
from openrec2.experiments.experiment import (ExperimentData, ExperimentSettings, load_experiment_data, model_keywords,
                                             owned_settings, run_experiment)
from openrec2.experiments.model_registry import get_model_spec


def test_settings_resolve_from_the_option_then_the_model_then_the_defaults():
    spec = get_model_spec('ConvNCF')
    resolved = ExperimentSettings(lr=0.01).resolved(spec)
    assert (resolved.lr, resolved.epochs, resolved.eval_every, resolved.dim) == (0.01, 6, 1, 64)
    assert ExperimentSettings().resolved(get_model_spec('BPR')).eval_every == 2
    with pytest.raises(SettingError, match='`batch-size` must be an integer >= 1'):
        ExperimentSettings(batch_size=0).resolved(spec)
    assert owned_settings(spec)['embedding_size'] == '--dim' and owned_settings(spec)['max_item'] == 'the dataset'


def test_one_split_serves_several_models_and_results_carry_the_protocol(tmp_path):
    split = make_planted_implicit(num_users=150, num_items=100, rank=3, per_user=15, seed=4)
    data = ExperimentData('synthetic', split)
    settings = ExperimentSettings(epochs=20, dim=16, verbose=False, save_dir=str(tmp_path))
    bpr = run_experiment('BPR', 'synthetic', settings, data=data)
    pmf = run_experiment('PMF', 'synthetic', settings, data=data)
    for result in (bpr, pmf):
        assert result.results['test']['NDCG@10'] > result.baseline['test']['NDCG@10'] + 0.05
        assert result.baseline_name == 'MostPopular' and 'planted' in result.protocol
        assert result.checkpoint and result.history.iterations_run <= 20 * result.iterations_per_epoch
    assert bpr.baseline['test'] == pmf.baseline['test']  # the same split, the same baseline
    assert bpr.model_settings['dim_embed'] == 16 and 'max_item' not in bpr.model_settings


def test_a_collapsed_model_raises_with_its_result_attached():
    from collapsing_model import registered_collapsing_model
    split = make_planted_implicit(num_users=60, num_items=40, rank=2, per_user=6, seed=1)
    with registered_collapsing_model():
        with pytest.raises(CollapsedScoresError, match='scores every item the same') as raised:
            run_experiment('GlobalBias', 'synthetic', ExperimentSettings(epochs=1, verbose=False),
                           data=ExperimentData('synthetic', split))
    assert raised.value.result.results['test'].collapsed


def test_content_models_get_the_split_features_and_settings_derived_from_dim():
    split = make_planted_implicit(num_users=60, num_items=40, rank=3, per_user=6, seed=2)
    split.item_features = split.metadata['item_factors'] * 3.0
    split.user_features = split.metadata['user_factors']
    data = ExperimentData('synthetic', split)
    settings = ExperimentSettings(dim=8).resolved(get_model_spec('CDL'))
    keywords = model_keywords(get_model_spec('CDL'), data, settings)
    assert keywords['dims'] == [3, 16, 8]  # [content size, 2 * dim, dim]
    assert np.allclose(np.linalg.norm(keywords['item_f'], axis=1), 1.0)  # unit rows
    keywords = model_keywords(get_model_spec('UserVisualPMF'), data, settings)
    assert keywords['dims_user'] == [8] and keywords['user_f_source'].shape == (60, 3)
    assert owned_settings(get_model_spec('UserPMF'))['user_f_source'] == 'the dataset'


def test_a_dataset_without_the_features_a_model_needs_is_refused():
    with pytest.raises(DataError, match=r'UserPMF: .* has no user features; use ml-100k'):
        load_experiment_data(get_model_spec('UserPMF'), 'synthetic', ExperimentSettings())
    with pytest.raises(DataError, match='has no item features; use ml-100k .genres., citeulike-a .tags.'):
        load_experiment_data(get_model_spec('CDL'), 'synthetic', ExperimentSettings())
