"""Tests of ``python -m openrec2``: synthetic runs, rejected options, BPR on ML-100K end to end."""

import io
import os
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


def test_list_names_models_and_datasets():
    out = io.StringIO()
    assert main(['list'], out=out) == 0
    assert 'BPR' in out.getvalue() and 'PMF' in out.getvalue() and 'synthetic' in out.getvalue()


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
    assert '--epochs must be >= 1, got 0' in capsys.readouterr().err
