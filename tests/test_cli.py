"""Tests of ``python -m openrec2``: synthetic runs, rejected options, BPR on ML-100K end to end."""

import io
import os
import re
import subprocess
import sys

import pytest

from openrec2.cli import build_parser, main, run_train

requires_data = pytest.mark.skipif(
    not os.environ.get('OPENREC2_DATA'),
    reason='needs the real dataset files: set OPENREC2_DATA to the data home (e.g. ../shared/datasets)')


def test_train_on_synthetic_prints_the_table(tmp_path):
    out = io.StringIO()
    code = main(['train', '--model', 'bpr', '--dataset', 'synthetic', '--epochs', '30', '--dim', '16',
                 '--topk', '5', '10', '--save-dir', str(tmp_path), '--no-progress'], out=out)
    text = out.getvalue()
    assert code == 0
    header = [line for line in text.splitlines() if line.startswith('split / model')][0].split()
    assert header[3:] == ['Recall@5', 'Recall@10', 'NDCG@5', 'NDCG@10', 'Precision@5', 'Precision@10', 'Hit@5',
                          'Hit@10', 'MRR@5', 'MRR@10', 'AUC']
    rows = {' '.join(line.split()[:2]): [float(v) for v in line.split()[2:]] for line in text.splitlines()
            if line.startswith(('validation ', 'test '))}
    assert set(rows) == {'validation BPR', 'validation MostPopular', 'test BPR', 'test MostPopular'}
    # The planted problem is invisible to popularity: BPR must clearly beat it.
    assert rows['test BPR'][1] > rows['test MostPopular'][1] + 0.2
    assert 'runtime:' in text and 's per epoch' in text and 'early stopping on validation NDCG@5' in text
    assert 'settings: batch_size=1024' in text and 'dim_embed=16' in text
    assert any(name.startswith('model.ckpt-') for name in os.listdir(tmp_path))


def test_pmf_runs_with_its_pointwise_sampler():
    args = build_parser().parse_args(['train', '--model', 'PMF', '--dataset', 'synthetic', '--epochs', '4',
                                      '--early-stop', '0', '--quiet'])
    result = run_train(args, io.StringIO())
    assert result['history'].iterations_run == 4 * result['history'].batches_per_epoch
    assert 0.0 <= result['test']['AUC'] <= 1.0 and not result['history'].stopped_early


@pytest.mark.parametrize('argv, message', [
    (['train', '--model', 'Nope', '--dataset', 'synthetic'], r"invalid choice: 'Nope' \(choose from .*BPR"),
    (['train', '--model', 'BPR', '--dataset', 'nope'], r"invalid choice: 'nope' \(choose from .*ml-100k"),
    (['train', '--model', 'BPR', '--dataset', 'synthetic', '--bogus', '3'], r'unrecognized arguments: --bogus'),
    (['fly'], r"invalid choice: 'fly' \(choose from .*train"),
])
def test_unknown_choices_and_options_are_rejected(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert pytest.importorskip('re').search(message, error), error
    assert 'usage:' in error  # the usage line lists the valid options


def test_bad_values_give_an_error_message_and_exit_code(capsys):
    assert main(['train', '--model', 'BPR', '--dataset', 'synthetic', '--early-stop-metric', 'Recall@50']) == 2
    assert "--early-stop-metric 'Recall@50' is not computed; choose one of" in capsys.readouterr().err
    assert main(['train', '--model', 'BPR', '--dataset', 'synthetic', '--split', 'temporal']) == 2
    assert "dataset 'synthetic' (make_planted_implicit) takes no argument(s) ['split']" in capsys.readouterr().err


def test_list_names_models_their_settings_and_datasets():
    out = io.StringIO()
    assert main(['list'], out=out) == 0
    text = out.getvalue()
    for name in ('BPR', 'PMF', 'VBPR', 'AMR', 'ConvNCF', 'KTUP', 'DIEN', 'DLRM', 'synthetic', 'ml-1m-kg', 'GMF', 'NBPR',
                 'CML', 'WCML', 'UCML', 'ItrMLP', 'VisualPMF', 'VisualGMF', 'VisualBPR', 'ConcatVisualBPR', 'VisualCML',
                 'UserPMF', 'UserVisualPMF', 'CDL', 'VanillaYouTubeRec', 'YouTubeRec', 'WRMF'):
        assert re.search(rf'^  {name}( |$)', text, re.M), name
    assert 'cnn_channels' in text and 'l_adv' in text and 'gru_type' in text and 'l2_reconst' in text
    assert 'arch_interaction_op' in text and '(also CTR examples)' in text
    cdl = text[text.index('  CDL '):text.index('  CML ')]
    assert 'datasets: amazon-beauty, citeulike-a, ml-100k' in cdl and "'dims': [content size, 2 * dim, dim]" in cdl
    assert 'softmax_samples' in text and 'use_history' in text
    assert 'item_serving_size' not in text  # accepted for legacy scripts, but nothing to set


def test_python_dash_m_entry_point():
    completed = subprocess.run([sys.executable, '-m', 'openrec2', 'list'], capture_output=True, text=True,
                               timeout=120, cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    assert completed.returncode == 0 and 'ml-100k' in completed.stdout


@requires_data
def test_bpr_on_ml100k_beats_most_popular():
    """The README's command: BPR must clearly beat most-popular on test Recall@20."""
    args = build_parser().parse_args(['train', '--model', 'BPR', '--dataset', 'ml-100k', '--quiet'])
    out = io.StringIO()
    result = run_train(args, out)
    model, popular = result['test']['Recall@20'], result['popularity']['test']['Recall@20']
    assert model > 1.5 * popular, out.getvalue()
    assert model > 0.3 and result['test']['NDCG@10'] > 1.5 * result['popularity']['test']['NDCG@10']
    assert result['test']['AUC'] > 0.9


def test_zero_epochs_is_rejected_not_replaced_by_the_default(capsys):
    assert main(['train', '--model', 'BPR', '--dataset', 'synthetic', '--epochs', '0']) == 2
    assert '`--epochs` must be an integer >= 1, got 0' in capsys.readouterr().err


@pytest.mark.parametrize('argv, message', [
    (['--lr', '-1'], '`--lr` must be a finite number > 0, got -1.0'),
    (['--early-stop', '-1'], '`--early-stop` must be an integer >= 0, got -1'),
    (['--set', 'dim_embedd=8'], r"BPR has no setting 'dim_embedd'; valid: \['opt', 'init_dict'|BPR has no setting "
                                r"'dim_embedd'; valid: \["),
    (['--set', 'opt=Adamm'], r"`opt` must be one of .*got 'Adamm'"),
    (['--set', 'dim_embed=8'], 'dim_embed is set by --dim, not by --set'),
    (['--set', 'lr=0.1'], 'lr is set by --lr, not by --set'),
    (['--set', 'noequals'], "'noequals' is not key=value"),
])
def test_bad_options_and_settings_are_errors_naming_them(argv, message, capsys):
    assert main(['train', '--model', 'BPR', '--dataset', 'synthetic', '--epochs', '1'] + argv) == 2
    error = capsys.readouterr().err
    assert pytest.importorskip('re').search(message, error), error


def test_set_values_are_typed_from_the_constructor(capsys):
    assert main(['train', '--model', 'VBPR', '--dataset', 'synthetic', '--set', 'eps=big']) == 2
    assert "eps='big': `eps` takes a number" in capsys.readouterr().err
    assert main(['train', '--model', 'KTUP', '--dataset', 'ml-100k', '--set', 'use_st_gumbel=maybe']) == 2
    assert "`use_st_gumbel` takes true or false" in capsys.readouterr().err
    assert main(['train', '--model', 'ConvNCF', '--dataset', 'synthetic', '--set', 'cnn_channels=1,x']) == 2
    assert "`cnn_channels` takes a comma-separated list of ints" in capsys.readouterr().err
    assert main(['train', '--model', 'VBPR', '--dataset', 'synthetic', '--set', 'factors_d=2.5']) == 2
    assert '`factors_d` takes an integer' in capsys.readouterr().err
    assert main(['train', '--model', 'VBPR', '--dataset', 'synthetic', '--set', 'dim_embed=8']) == 2
    assert 'dim_embed is set by --dim (it is factors of VBPR), not by --set' in capsys.readouterr().err


def _run(argv):
    out = io.StringIO()
    result = run_train(build_parser().parse_args(['train', '--quiet', '--no-progress'] + argv), out)
    return result, out.getvalue()


def test_convncf_is_pretrained_from_bpr_and_takes_its_cnn_settings():
    result, text = _run(['--model', 'ConvNCF', '--dataset', 'synthetic', '--epochs', '2', '--dim', '16',
                         '--set', 'cnn_channels=1,8,8', '--set', 'cnn_kernels=4,4', '--set', 'cnn_strides=4,4',
                         '--set', 'dropout_prob=0.1'])
    pre = result['result'].pretraining
    assert pre.model == 'BPR' and (pre.history.stopped_early or pre.epochs_run == 50)
    assert result['result'].model_settings['train_method'] == 'after_pretrain'
    assert result['result'].model_settings['cnn_channels'] == [1, 8, 8]
    assert 'pretrained from BPR' in text
    assert result['test']['Recall@10'] > result['popularity']['test']['Recall@10'] + 0.1


def test_a_collapsed_model_is_an_error_not_a_result(capsys):
    from collapsing_model import registered_collapsing_model
    with registered_collapsing_model():
        code = main(['train', '--model', 'GlobalBias', '--dataset', 'synthetic', '--epochs', '2', '--quiet'])
    captured = capsys.readouterr()
    assert code == 2 and 'split / model' not in captured.out
    assert 'the model scores every item the same' in captured.err and "['validation', 'test']" in captured.err


@requires_data
@pytest.mark.parametrize('model, sets', [('VBPR', ['--set', 'eps=0.3']), ('AMR', ['--set', 'l_adv=0.5'])])
def test_content_models_train_and_report_their_robustness(model, sets):
    result, text = _run(['--model', model, '--dataset', 'ml-100k', '--epochs', '3'] + sets)
    assert result['result'].model_settings[sets[1].split('=')[0]] == float(sets[1].split('=')[1])
    assert 'test under fgsm (eps' in text and 'test under msap' in text
    assert result['test']['NDCG@10'] > result['popularity']['test']['NDCG@10']
    assert result['test']['fgsm/NDCG@10'] < result['test']['NDCG@10']


@requires_data
def test_ktup_trains_with_its_knowledge_graph():
    result, text = _run(['--model', 'KTUP', '--dataset', 'ml-100k', '--epochs', '2', '--lr', '0.005',
                         '--set', 'margin=1.5'])
    assert 'knowledge graph: held-out triples ranked above corrupted tails' in text
    assert result['result'].results['kg']['KG tail accuracy'] > 0.6
    assert result['test']['Recall@10'] > result['popularity']['test']['Recall@10']
    objectives = {window['objective'] for window in result['history'].losses}
    assert objectives == {'rec', 'kg'}


@requires_data
def test_dien_trains_on_ml100k_sequences():
    result, text = _run(['--model', 'DIEN', '--dataset', 'ml-100k', '--epochs', '1', '--batch-size', '2048',
                         '--early-stop', '0', '--set', 'max_seq_length=8', '--set', 'gru_type=AGRU'])
    assert 'TargetPopularity' in text and 'LogLoss' in text
    test, popular = result['test'], result['popularity']['test']
    assert test['AUC'] > popular['AUC'] + 0.02 and test['NDCG@10'] > popular['NDCG@10']
    assert 'LogLoss' not in popular  # popularity counts are not probabilities


@requires_data
def test_rnn_rec_trains_on_ml100k_histories_next_to_most_popular():
    result, text = _run(['--model', 'RNNRec', '--dataset', 'ml-100k', '--epochs', '1', '--batch-size', '1024',
                         '--lr', '0.01', '--early-stop', '0', '--set', 'max_seq_len=5', '--set', 'num_units=32'])
    assert 'MostPopular' in text and 'Hit@10' in text
    test, popular = result['test'], result['popularity']['test']
    assert test['Hit@10'] > popular['Hit@10'] and test['NDCG@10'] > popular['NDCG@10']


def test_datasets_a_model_cannot_use_are_rejected(capsys):
    assert main(['train', '--model', 'KTUP', '--dataset', 'synthetic']) == 2
    assert "unknown dataset 'synthetic'; valid names: ['ml-100k', 'ml-1m-kg']" in capsys.readouterr().err
    assert main(['train', '--model', 'DIEN', '--dataset', 'ml-1m']) == 2
    assert "valid names: ['amazon-beauty', 'ml-100k']" in capsys.readouterr().err
    assert main(['train', '--model', 'VBPR', '--dataset', 'synthetic']) == 2
    assert 'synthetic has no item features' in capsys.readouterr().err


def test_dlrm_reports_its_logistic_regression_baseline_on_planted_ctr_examples():
    result, text = _run(['--model', 'DLRM', '--dataset', 'synthetic', '--epochs', '6', '--dim', '8', '--lr', '0.01',
                         '--batch-size', '256', '--set', 'ln_top=16'])
    assert 'test LogisticRegression' in text and 'LogLoss' in text and 'ln_emb=[200, 100, 4, 4]' in text
    test, linear = result['test'], result['popularity']['test']
    assert 'LogLoss' in linear  # the regression's outputs are probabilities
    assert test['AUC'] > linear['AUC'] + 0.2 and test['LogLoss'] < linear['LogLoss']


def test_dlrm_settings_the_data_owns_are_refused(capsys):
    assert main(['train', '--model', 'DLRM', '--dataset', 'synthetic', '--set', 'ln_emb=3,3']) == 2
    assert 'ln_emb' in capsys.readouterr().err
    assert main(['train', '--model', 'DLRM', '--dataset', 'synthetic', '--early-stop-metric', 'NDCG@10']) == 2
    assert "choose one of ['AUC', 'LogLoss']" in capsys.readouterr().err
