"""Exact resume: a training run killed with SIGKILL at any moment continues from its latest
checkpoint exactly as if it had never stopped (same batches, schedule position, early
stopping, history, final metrics and scores; timings excepted)."""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

JOB = Path(__file__).resolve().parent / 'resume_job.py'
TIMINGS = ('train_seconds', 'eval_seconds', 'seconds_per_epoch')


def run_job(model, run_dir, out, resume=False, kill_at=None):
    """Run the job; with ``kill_at``, SIGKILL it once it has printed ``step <kill_at>``."""
    command = [sys.executable, str(JOB), model, str(run_dir), str(out)] + (['--resume'] if resume else [])
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    for line in process.stdout:
        if kill_at is not None and line.strip() == f'step {kill_at}':
            os.kill(process.pid, signal.SIGKILL)
            break
    process.stdout.close()
    code = process.wait(timeout=300)
    return code


def comparable(result):
    """The job's result without wall-clock timings and run-folder paths."""
    history = {key: value for key, value in result['history'].items() if key not in TIMINGS}
    history['evaluations'] = [{k: v for k, v in row.items() if k != 'seconds'} for row in history['evaluations']]
    history['checkpoints'] = [os.path.basename(path) for path in history['checkpoints']]
    history['best_checkpoint'] = history['best_checkpoint'] and os.path.basename(history['best_checkpoint'])
    return {**result, 'history': history}


def resumed_matches_uninterrupted(model, tmp_path, kill_points):
    reference_out = tmp_path / 'reference.json'
    assert run_job(model, tmp_path / 'reference', reference_out) == 0
    reference = comparable(json.loads(reference_out.read_text()))
    for kill_at in kill_points:
        run_dir, out = tmp_path / f'killed_{kill_at}', tmp_path / f'killed_{kill_at}.json'
        assert run_job(model, run_dir, out, kill_at=kill_at) == -signal.SIGKILL
        assert not out.exists()
        assert run_job(model, run_dir, out, resume=True) == 0
        resumed = comparable(json.loads(out.read_text()))
        assert resumed == reference, f'{model} killed at step {kill_at}'
        kept = sorted(run_dir.glob('model.ckpt-*.index'))
        assert len(kept) == 5  # checkpoints of the killed process stayed in the rotation
    return reference


def test_bpr_killed_at_several_points_continues_exactly(tmp_path):
    # Before the first checkpoint, just after one, and late (after an evaluation).
    reference = resumed_matches_uninterrupted('BPR', tmp_path, kill_points=[3, 11, 47])
    assert reference['history']['end_iter'] == 60 and reference['history']['best_iteration'] is not None


def test_ktup_schedule_position_survives_a_kill(tmp_path):
    reference = resumed_matches_uninterrupted('KTUP', tmp_path, kill_points=[27])
    assert {row['objective'] for row in reference['history']['losses']} == {'rec', 'kg'}


@pytest.mark.slow
@pytest.mark.parametrize('model', ['AMR', 'DIEN'])
def test_one_way_schedules_and_dropout_continue_exactly(model, tmp_path):
    resumed_matches_uninterrupted(model, tmp_path, kill_points=[8, 23, 38, 52])


@pytest.mark.slow
def test_a_run_killed_twice_still_continues_exactly(tmp_path):
    reference_out = tmp_path / 'reference.json'
    assert run_job('BPR', tmp_path / 'reference', reference_out) == 0
    run_dir, out = tmp_path / 'twice', tmp_path / 'twice.json'
    assert run_job('BPR', run_dir, out, kill_at=17) == -signal.SIGKILL
    assert run_job('BPR', run_dir, out, resume=True, kill_at=33) == -signal.SIGKILL
    assert run_job('BPR', run_dir, out, resume=True) == 0
    assert comparable(json.loads(out.read_text())) == comparable(json.loads(reference_out.read_text()))


def test_the_command_line_resumes_a_killed_run(tmp_path):
    """``--run-dir DIR --resume`` after a SIGKILL prints the table of the uninterrupted run."""
    import time
    base = [sys.executable, '-m', 'openrec2', 'train', '--model', 'BPR', '--dataset', 'synthetic', '--epochs', '60',
            '--batch-size', '64', '--eval-every', '1', '--early-stop', '100', '--quiet', '--no-progress']
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL='3')
    reference = subprocess.run(base + ['--run-dir', str(tmp_path / 'reference')], capture_output=True, text=True,
                               env=env, timeout=300)
    assert reference.returncode == 0, reference.stderr
    run_dir = tmp_path / 'killed'
    process = subprocess.Popen(base + ['--run-dir', str(run_dir)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, env=env)
    deadline = time.time() + 120
    while len(list(run_dir.glob('*.run.json'))) < 3 and time.time() < deadline and process.poll() is None:
        time.sleep(0.02)
    assert process.poll() is None, 'the run ended before it could be killed'
    os.kill(process.pid, signal.SIGKILL)
    assert process.wait(timeout=60) == -signal.SIGKILL
    resumed = subprocess.run(base + ['--run-dir', str(run_dir), '--resume'], capture_output=True, text=True,
                             env=env, timeout=300)
    assert resumed.returncode == 0, resumed.stderr

    def table(text):
        return [line for line in text.splitlines() if line.startswith(('validation ', 'test '))]

    assert table(resumed.stdout) == table(reference.stdout) and len(table(reference.stdout)) == 4
