"""Bad inputs and faults raise a named openrec2 error (never a silent result, never a raw
TensorFlow or numpy error), and divergence stops a run without saving the diverged state."""

import glob
import io
import json
import os
import tempfile
import threading

import numpy as np
import pytest

from openrec2 import ModelTrainer
from openrec2.cli import main
from openrec2.datasets import load_ml100k, make_planted_implicit
from openrec2.errors import (CheckpointError, DataError, DivergenceError, DTypeError, MissingInputError,
                             NaNLossError, SamplerError, SettingError, ShapeError)
from openrec2.recommenders import BPR, DIEN, VBPR
from openrec2.utils.evaluators import NDCG
from openrec2.utils.dataset import make_interactions
from openrec2.utils.samplers import EvaluationSampler, PairwiseSampler


@pytest.fixture(scope='module')
def split():
    return make_planted_implicit(num_users=60, num_items=40, rank=2, per_user=6, seed=1)


def bpr(split, **kwargs):
    return BPR(batch_size=32, max_user=split.max_user, max_item=split.max_item, dim_embed=4, seed=0, **kwargs)


# ---------------------------------------------------------------------- batches
def test_arrays_of_different_lengths_in_one_batch_are_a_shape_error(split):
    with bpr(split) as model:
        with pytest.raises(ShapeError, match='one row per example, got different lengths'):
            model.train({'user_id': np.arange(4), 'p_item_id': np.arange(4), 'n_item_id': np.arange(3)})
        with pytest.raises(ShapeError, match='one row per example, got different lengths'):
            model.serve({'user_id': np.arange(4), 'item_id': np.arange(2)})
        with pytest.raises(ShapeError, match='the same number of rows'):
            model.serve_in_chunks({'user_id': np.arange(4), 'item_id': np.arange(2)})
    with DIEN(batch_size=8, max_user=5, max_item=9, max_seq_length=3, mlp_hidden_size=[4],
              attention_mlp_size=[4]) as dien:
        with pytest.raises(ShapeError, match='one row per example'):
            dien.serve({'item_id': np.arange(3), 'item_seq': np.zeros((2, 3), int), 'item_seq_len': np.ones(2, int)})


def test_a_misspelt_serving_key_is_an_error_not_all_item_scores(split):
    with bpr(split) as model:
        with pytest.raises(MissingInputError, match=r"batch keys \['item_idd'\] are no inputs of this model"):
            model.serve({'user_id': np.arange(3), 'item_idd': np.arange(3)})
        assert model.serve({'user_id': np.arange(3), 'label': np.ones(3)}).shape == (3, split.max_item)


# ---------------------------------------------------------------------- settings
@pytest.mark.parametrize('settings, match', [
    (dict(lr=-1.0), '`lr` must be a finite number > 0'), (dict(lr=0), '`lr` must be a finite number > 0'),
    (dict(lr='fast'), r"`lr` must be a finite number > 0 or None, got 'fast' \(a str\)"),
    (dict(dim_embed=8.5), r'`dim_embed` must be an integer >= 1, got 8.5 \(a float\)'),
    (dict(dim_embed=8.0), r'`dim_embed` must be an integer >= 1, got 8.0'),
    (dict(test_batch_size=0), '`test_batch_size` must be an integer >= 1'),
    (dict(l2_reg=-0.1), '`l2_reg` must be a finite number >= 0')])
def test_bad_model_settings_are_setting_errors(split, settings, match):
    with pytest.raises(SettingError, match=match):
        BPR(batch_size=32, max_user=split.max_user, max_item=split.max_item, **{'dim_embed': 4, **settings})


@pytest.mark.parametrize('argv, match', [
    (['--lr', '-1'], '`--lr` must be a finite number > 0'), (['--dim', '0'], '`--dim` must be an integer >= 1'),
    (['--early-stop', '-1'], '`--early-stop` must be an integer >= 0, got -1'),
    (['--topk', '0'], '`topk` must be a non-empty list of integers >= 1'),
    (['--test-batch-size', '0'], '`--test-batch-size` must be an integer >= 1'),
    (['--resume'], 'resuming needs the run folder')])
def test_bad_command_line_values_exit_2_with_the_error(argv, match, capsys):
    assert main(['train', '--model', 'BPR', '--dataset', 'synthetic', '--epochs', '1'] + argv) == 2
    assert pytest.importorskip('re').search(match, capsys.readouterr().err)


def test_trainer_arguments(split):
    with bpr(split) as model:
        with pytest.raises(MissingInputError, match='train_sampler is None'):
            ModelTrainer(model, verbose=False).train(10, 5, None, None)
        with pytest.raises(SettingError, match='`divergence_factor` must be a finite number > 1'):
            ModelTrainer(model, divergence_factor=0.5)
        with pytest.raises(MissingInputError, match='model must be a Recommender'):
            ModelTrainer('bpr')
        with pytest.raises(SettingError, match='`save_dir` .* is a file, not a folder'):
            ModelTrainer(model, save_dir=__file__)
        with pytest.raises(MissingInputError, match='resume=True needs the save_dir'):
            ModelTrainer(model, verbose=False).train(10, 5, None, PairwiseSampler(split.train, 8), resume=True)
        with pytest.raises(CheckpointError, match='holds no checkpoint written by ModelTrainer'):
            ModelTrainer(model, verbose=False).train(10, 5, None, PairwiseSampler(split.train, 8),
                                                     resume_from=tempfile.mkdtemp())


def test_string_item_features_are_a_dtype_error(split):
    features = np.array([['red', 'blue']] * split.max_item)
    with pytest.raises(DTypeError, match='`item_features` must hold numbers, got values of dtype <U4'):
        VBPR(batch_size=8, max_user=split.max_user, max_item=split.max_item, item_features=features)


# ---------------------------------------------------------------------- files
def _ml100k_copy(tmp_path, edit):
    """A data home whose u.data is edited by ``edit(text) -> text``."""
    source = os.path.join(os.environ['OPENREC2_DATA'], 'ml-100k')
    target = tmp_path / 'ml-100k'
    target.mkdir(parents=True)
    for name in os.listdir(source):
        data = open(os.path.join(source, name), 'rb').read()
        (target / name).write_bytes(edit(data) if name == 'u.data' else data)
    return tmp_path


@pytest.mark.skipif(not os.environ.get('OPENREC2_DATA'), reason='needs the real dataset files (OPENREC2_DATA)')
def test_a_cut_or_empty_ratings_file_names_the_file(tmp_path):
    cut = _ml100k_copy(tmp_path / 'cut', lambda data: data[:-5])  # cut inside the last timestamp
    with pytest.raises(DataError, match=r'u\.data, line 100000: .* ends without a line break, so the file was cut'):
        load_ml100k(data_home=cut)
    empty = _ml100k_copy(tmp_path / 'empty', lambda data: b'')
    with pytest.raises(DataError, match=r'u\.data is empty'):
        load_ml100k(data_home=empty)


# ---------------------------------------------------------------------- checkpoints
@pytest.mark.parametrize('damage', ['truncate_data', 'garble_index', 'flip_data_bytes', 'garble_pointer'])
def test_a_damaged_checkpoint_is_a_checkpoint_error_and_leaves_the_model_as_it_was(split, tmp_path, damage):
    with bpr(split) as trained, PairwiseSampler(split.train, 32, seed=0) as sampler:
        for _ in range(5):
            trained.train(next(sampler))
        prefix = trained.save(str(tmp_path))
    data, index = glob.glob(prefix + '.data-*')[0], prefix + '.index'
    if damage == 'truncate_data':
        open(data, 'r+b').truncate(os.path.getsize(data) // 2)
    elif damage == 'garble_index':
        raw = bytearray(open(index, 'rb').read())
        raw[len(raw) // 2:] = b'\x00' * (len(raw) - len(raw) // 2)
        open(index, 'wb').write(bytes(raw))
    elif damage == 'flip_data_bytes':
        raw = bytearray(open(data, 'rb').read())
        for position in range(100, len(raw), 997):
            raw[position] ^= 0xFF
        open(data, 'wb').write(bytes(raw))
    else:
        (tmp_path / 'checkpoint').write_text('model_checkpoint_path: {{{ not a proto')
    with bpr(split) as fresh:
        before = fresh.serve_all_items(np.arange(5))
        with pytest.raises(CheckpointError):
            fresh.load(str(tmp_path) if damage == 'garble_pointer' else prefix)
        np.testing.assert_array_equal(fresh.serve_all_items(np.arange(5)), before)


# ---------------------------------------------------------------------- divergence
def test_an_exploding_loss_stops_the_run_naming_the_last_good_checkpoint(split, tmp_path):
    with bpr(split, lr=1e6) as model, PairwiseSampler(split.train, 32, seed=0) as sampler:
        trainer = ModelTrainer(model, save_dir=str(tmp_path), verbose=False)
        with pytest.raises(DivergenceError, match=r'exploded to .* over 1000 times its first value .*'
                                                  r'model\.ckpt-1 \(iteration 1\)'):
            trainer.train(40, 5, 1, sampler)
    written = sorted(int(path.rsplit('-', 1)[1].split('.')[0]) for path in glob.glob(str(tmp_path / '*.index')))
    assert written and max(written) < 40  # nothing after the explosion was saved
    assert issubclass(DivergenceError, NaNLossError)


def test_the_divergence_bound_can_be_loosened_or_switched_off(split):
    for factor in (1e30, None):  # only NaN / inf would stop these runs
        with bpr(split, lr=0.01) as model, PairwiseSampler(split.train, 32, seed=0) as sampler:
            history = ModelTrainer(model, verbose=False, divergence_factor=factor).train(30, 10, None, sampler)
        assert history.iterations_run == 30


# ---------------------------------------------------------------------- faults
class _StuckSampler(PairwiseSampler):
    """A sampler whose worker blocks forever on its third batch."""

    release = threading.Event()

    def _make_batch(self, index, rng):
        if index == 2:
            self.release.wait()
        return super()._make_batch(index, rng)


def test_a_stuck_sampler_worker_is_a_sampler_error_not_a_hang(split):
    with bpr(split) as model:
        sampler = _StuckSampler(split.train, 32, seed=0)
        try:
            with pytest.raises(SamplerError, match='delivered no batch within 0.5 s'):
                ModelTrainer(model, verbose=False, sampler_timeout=0.5).train(10, 5, None, sampler)
        finally:
            _StuckSampler.release.set()
            sampler.close()


def test_the_temporary_best_folder_is_removed_when_training_fails(split, monkeypatch):
    created = []
    real = tempfile.mkdtemp

    def recording(*args, **kwargs):
        created.append(real(*args, **kwargs))
        return created[-1]

    monkeypatch.setattr(tempfile, 'mkdtemp', recording)
    with bpr(split, lr=1e6) as model, PairwiseSampler(split.train, 32, seed=0) as sampler:
        with pytest.raises(DivergenceError):
            ModelTrainer(model, early_stop_metric='NDCG@10', verbose=False).train(
                40, 2, None, sampler, eval_samplers=[EvaluationSampler(split.validation, 32, [split.train])],
                evaluators=[NDCG(10)])
    assert created and not any(os.path.exists(path) for path in created)


def test_evaluating_a_model_with_nan_parameters_raises_the_documented_error(split):
    with bpr(split) as model:
        with model.graph.as_default():
            model._apply_init_dict({'user/embedding': np.full((split.max_user, 4), np.nan)})
        with pytest.raises(NaNLossError, match='NaN or infinite parameters'):
            ModelTrainer(model, verbose=False).evaluate([EvaluationSampler(split.validation, 32, [split.train])])


def test_resuming_with_other_samplers_is_refused(split, tmp_path):
    with bpr(split) as model, PairwiseSampler(split.train, 32, seed=0) as sampler:
        ModelTrainer(model, save_dir=str(tmp_path), verbose=False).train(10, 5, 5, sampler)
    with bpr(split) as model, PairwiseSampler(split.train, 16, seed=0) as other:
        with pytest.raises(CheckpointError, match='Resume with the same samplers'):
            ModelTrainer(model, save_dir=str(tmp_path), verbose=False).train(20, 5, 5, other, resume=True)
    log = io.StringIO()
    with bpr(split) as model, PairwiseSampler(split.train, 32, seed=0) as sampler:
        history = ModelTrainer(model, save_dir=str(tmp_path), log_stream=log).train(20, 5, 5, sampler, resume=True)
    assert 'resumed from' in log.getvalue() and history.start_iter == 0 and history.end_iter == 20


def test_siblings_at_other_entry_points(split, tmp_path):
    from openrec2.utils.evaluators import Recall, evaluate
    with bpr(split) as model:
        with pytest.raises(DTypeError, match='a batch must be a dict of arrays'):
            model.serve([0, 1])
        with pytest.raises(DTypeError, match='a batch must be a dict of arrays'):
            model.train([0, 1])
        with pytest.raises(CheckpointError, match='save\\(\\) needs a folder path'):
            model.save(None)
        with pytest.raises(SettingError, match='`step` must be an integer >= 0'):
            model.save(str(tmp_path), step=-1)
        with pytest.raises(SettingError, match='`chunk_size` must be an integer >= 1'):
            model.serve_in_chunks({'user_id': np.arange(3)}, chunk_size=0)
    with pytest.raises(SettingError, match='`num_threads` must be an integer >= 1'):
        evaluate(np.zeros((2, 3)), [[0], [1]], evaluators=[Recall(1)], num_threads=0)
    with pytest.raises(SettingError, match='`seed` must be an integer >= 0'):
        make_planted_implicit(num_users=20, num_items=20, per_user=3, seed=-5)
    if os.environ.get('OPENREC2_DATA'):
        with pytest.raises(SettingError, match='`min_rating` must be a finite number'):
            load_ml100k(min_rating='4')


def test_the_trainers_arguments_that_are_not_samplers_are_setting_errors(split):
    with bpr(split) as model:
        trainer = ModelTrainer(model, verbose=False)
        for wrong in ([1, 2, 3], np.arange(3), split.train):
            with pytest.raises(SettingError, match=r'`train_sampler` must be an object with a next_batch\(\)'):
                trainer.train(10, 5, None, wrong)
        with pytest.raises(SettingError, match=r"`train_sampler\['default'\]` must be an object with a next_batch"):
            trainer.train(10, 5, None, {'default': [1, 2]})
        with PairwiseSampler(split.train, 32, seed=0) as sampler:
            for wrong in (5, [5], {'validation': 'split'}):
                with pytest.raises(SettingError, match='not an evaluation sampler or evaluation object'):
                    trainer.train(10, 5, None, sampler, eval_samplers=wrong)
            history = trainer.train(4, 2, None, sampler, eval_samplers=None)  # None: no evaluation
    assert history.end_iter == 4 and not history.evaluations


@pytest.mark.parametrize('column, values, match', [
    ('user_ids', [0.0, 1.5, 2.0], r'`user_id` must hold whole numbers; 1 value\(s\) are not, e.g. 1.5 at position 1'),
    ('item_ids', ['a', 'b', 'c'], '`item_id` must hold finite numbers, got dtype <U1'),
    ('user_ids', [0.0, np.nan, 2.0], '`user_id` must hold finite numbers'),
    ('label', [1.0, np.inf, 0.0], '`label` must hold finite numbers')])
def test_make_interactions_refuses_ids_it_would_truncate_or_cannot_read(column, values, match):
    columns = {'user_ids': [0, 1, 2], 'item_ids': [3, 4, 5], **{column: values}}
    with pytest.raises(DataError, match=match):
        make_interactions(**columns)
    whole = make_interactions(np.array([0.0, 1.0]), np.array([2, 3]))
    assert whole['user_id'].tolist() == [0, 1]


def test_float_user_ids_are_refused_by_serving_not_truncated(split):
    with bpr(split) as model:
        with pytest.raises(DTypeError, match="input 'user_id' must hold integers, got dtype float64"):
            model.serve_all_items(np.array([0.7, 1.2]))
        assert model.serve_all_items(np.array([0, 1], np.int64)).shape == (2, split.max_item)


def test_a_data_file_that_is_not_text_is_a_data_error(tmp_path):
    from openrec2.datasets.parsing import read_lines
    path = tmp_path / 'kg.tsv'
    path.write_bytes(b'head_id:token\trelation_id:token\n\xff\xfe\x00garbage\n')
    with pytest.raises(DataError, match=r'kg.tsv is not utf-8 text \(byte 32'):
        read_lines(path, 'load_ml100k_kg', encoding='utf-8')


@pytest.mark.parametrize('field, value', [('iteration', 'ten'), ('iteration', -3), ('history', []),
                                          ('best_checkpoint', 7), ('window_seconds', 'slow')])
def test_a_run_state_with_a_wrong_typed_field_is_a_checkpoint_error(field, value):
    from openrec2.trainer.run_state import RunState
    state = RunState(iteration=5, sampler_positions=[5], sampler_signatures=[], schedule={}, stopper=None,
                     history={})
    assert RunState.from_json(state.to_json()) == state
    broken = state.to_json().replace(f'"{field}": {json.dumps(getattr(state, field))}',
                                     f'"{field}": {json.dumps(value)}')
    with pytest.raises(CheckpointError, match=f"field '{field}' is"):
        RunState.from_json(broken)


def test_a_finished_run_resumes_as_finished_and_another_model_is_refused(split, tmp_path):
    from openrec2.recommenders import PMF
    with bpr(split) as model, PairwiseSampler(split.train, 32, seed=0) as sampler:
        ModelTrainer(model, save_dir=str(tmp_path), verbose=False).train(10, 5, 5, sampler)
        model.save(str(tmp_path), name='final')  # what the CLI writes at the end: TF's pointer names only it
    log = io.StringIO()
    with bpr(split) as model, PairwiseSampler(split.train, 32, seed=0) as sampler:
        history = ModelTrainer(model, save_dir=str(tmp_path), log_stream=log).train(10, 5, 5, sampler, resume=True)
    assert 'resumed from' in log.getvalue() and 'at iteration 10' in log.getvalue()
    assert history.iterations_run == 10 and history.end_iter == 10
    with PMF(batch_size=32, max_user=split.max_user, max_item=split.max_item, dim_embed=4, seed=0) as other, \
            PairwiseSampler(split.train, 32, seed=0) as sampler:
        with pytest.raises(CheckpointError, match='written by a BPR run; this run trains PMF'):
            ModelTrainer(other, save_dir=str(tmp_path), verbose=False).train(10, 5, 5, sampler, resume=True)


@pytest.mark.parametrize('argv, match', [
    (['--min-slice-bytes', '-1'], '`--min-slice-bytes` must be an integer >= 1, got -1'),
    (['--run-dir', __file__], 'is a file, not a folder')])
def test_bad_run_folder_and_cluster_options_exit_2(argv, match, capsys):
    assert main(['train', '--model', 'BPR', '--dataset', 'synthetic', '--epochs', '1'] + argv) == 2
    assert match in capsys.readouterr().err
    assert main(['cluster', '--ps', '1', '--workers', '1', '--model', 'BPR', '--dataset', 'synthetic'] + argv) == 2
    assert match in capsys.readouterr().err


def test_a_nan_label_in_a_training_batch_is_a_data_error_not_a_nan_loss(split):
    from openrec2.recommenders import PMF
    with PMF(batch_size=4, max_user=split.max_user, max_item=split.max_item, dim_embed=4, seed=0) as model:
        batch = {'user_id': np.arange(4), 'item_id': np.arange(4), 'label': np.array([1.0, np.nan, 0.0, 1.0])}
        with pytest.raises(DataError, match="input 'label' holds 1 NaN or infinite value"):
            model.train(batch)
        assert np.isfinite(model.train({**batch, 'label': np.array([1.0, 0.0, 0.0, 1.0])}))
