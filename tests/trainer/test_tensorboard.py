"""TensorBoard summaries of ModelTrainer, read back from the event files with summary_iterator."""

import glob
import os

import pytest
import tensorflow.compat.v1 as tf

from openrec2 import ModelTrainer
from openrec2.datasets import make_planted_implicit
from openrec2.recommenders import BPR
from openrec2.trainer.tensorboard import has_graph, read_scalars
from openrec2.utils.evaluators import NDCG, Recall
from openrec2.utils.samplers import EvaluationSampler, KGSampler, PairwiseSampler

from model_cases import small_model


@pytest.fixture(scope='module')
def split():
    return make_planted_implicit(num_users=120, num_items=80, rank=3, per_user=12, seed=3)


def events(folder):
    """Every event of the folder's event files, read with TensorFlow's own iterator."""
    return [event for path in sorted(glob.glob(os.path.join(folder, 'events.out.tfevents.*')))
            for event in tf.train.summary_iterator(path)]


def same_curve(written, expected):
    """Steps equal, values equal to float32 precision (summaries store float32)."""
    assert [step for step, _ in written] == [step for step, _ in expected]
    assert [value for _, value in written] == pytest.approx([value for _, value in expected], rel=1e-6)


def test_the_trainer_writes_losses_metrics_learning_rate_speed_and_the_graph(split, tmp_path):
    save_dir = str(tmp_path / 'run')
    with BPR(batch_size=64, max_user=split.max_user, max_item=split.max_item, dim_embed=8, lr=0.02, seed=0) as model, \
            PairwiseSampler(split.train, 64, seed=0) as sampler:
        history = ModelTrainer(model, save_dir=save_dir, verbose=False, progress=False).train(
            60, 20, 20, sampler, eval_samplers={'validation': EvaluationSampler(split.validation, 64, [split.train])},
            evaluators=[NDCG([10]), Recall([10])])
    board = os.path.join(save_dir, 'tensorboard')
    found = events(board)
    assert any(event.HasField('graph_def') for event in found) and has_graph(board)
    scalars = {}
    for event in found:
        for value in event.summary.value:
            scalars.setdefault(value.tag, []).append((event.step, value.simple_value))
    assert scalars == read_scalars(board)
    losses = [(row['iteration'], row['loss']) for row in history.losses]
    same_curve(scalars['loss/default'], losses)
    same_curve(scalars['learning_rate/default'], [(20, 0.02), (40, 0.02), (60, 0.02)])
    assert [step for step, _ in scalars['examples_per_second']] == [20, 40, 60]
    assert all(value > 0 for _, value in scalars['examples_per_second'])
    for key in ('NDCG@10', 'Recall@10'):
        same_curve(scalars[f'validation/{key}'], [(row['iteration'], row['metrics'][key])
                                                  for row in history.evaluations])


def test_every_objective_has_its_own_loss_and_a_folder_or_false_chooses_where(tmp_path):
    model, data = small_model('KTUP')
    with model, PairwiseSampler(data.split.train, 64, seed=0) as rec:
        with KGSampler(data.kg_train, 64, seed=0) as kg:
            ModelTrainer(model, verbose=False, progress=False, tensorboard=str(tmp_path / 'board')).train(
                8, 4, None, {'rec': rec, 'kg': kg}, objective_schedule=[('rec', 1), ('kg', 1)])
            ModelTrainer(model, save_dir=str(tmp_path / 'quiet'), verbose=False, progress=False,
                         tensorboard=False).train(4, 4, None, {'rec': rec, 'kg': kg},
                                                  objective_schedule=[('rec', 1), ('kg', 1)])
    scalars = read_scalars(str(tmp_path / 'board'))
    assert [step for step, _ in scalars['loss/rec']] == [4, 8] and [step for step, _ in scalars['loss/kg']] == [4, 8]
    assert {'learning_rate/rec', 'learning_rate/kg'} <= set(scalars)
    assert not os.path.exists(tmp_path / 'quiet' / 'tensorboard')
