"""Tests of model.fit: a short call into ModelTrainer with the model's own sampler."""

import pytest

from openrec2.datasets import make_planted_implicit
from openrec2.errors import SettingError, TrainingError
from openrec2.recommenders import BPR, DIEN, PMF
from openrec2.utils.evaluators import Recall
from openrec2.utils.samplers import EvaluationSampler


def test_fit_trains_epochs_of_the_models_sampler_and_evaluates(tmp_path):
    split = make_planted_implicit(num_users=80, num_items=50, rank=3, per_user=8, seed=2)
    validation = EvaluationSampler(split.validation, 40, [split.train])
    with BPR(batch_size=64, max_user=split.max_user, max_item=split.max_item, dim_embed=8, lr=0.02, seed=0) as model:
        history = model.fit(split.train, epochs=6, eval_samplers=[validation], evaluators=[Recall(10)], eval_every=2,
                            save_dir=str(tmp_path), verbose=False)
    assert history.iterations_run == 6 * history.batches_per_epoch and len(history.evaluations) == 3
    assert history.evaluations[-1]['metrics']['Recall@10'] > history.evaluations[0]['metrics']['Recall@10']
    assert len(history.checkpoints) == 3
    with PMF(batch_size=64, dim_embed=20, max_user=split.max_user, max_item=split.max_item, seed=0) as model:
        assert model.fit(split.train, epochs=1, verbose=False).iterations_run > 0  # its pointwise sampler
        with pytest.raises(SettingError, match='`epochs` must be an integer >= 1'):
            model.fit(split.train)  # PMF has no epochs setting of its own


def test_models_with_several_data_sources_point_to_the_trainer():
    with DIEN(batch_size=8, max_user=5, max_item=9, max_seq_length=3, mlp_hidden_size=[4],
              attention_mlp_size=[4]) as model:
        with pytest.raises(TrainingError, match=r'call ModelTrainer\(model\).train'):
            model.fit(None, epochs=1)
