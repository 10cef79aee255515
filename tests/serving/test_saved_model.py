"""SavedModel export: every built-in model's ``recommend`` and ``score`` signatures return what
``model.serve`` returns, in this process and in a fresh one that never imports openrec2."""

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import tensorflow as tf2

from openrec2.errors import ExportError, SettingError
from openrec2.recommenders import BPR
from openrec2.serving import RECOMMEND, RECOMMEND_K, SCORE, default_signatures, read_export_metadata

from model_cases import CASES, planted, small_model
from served_models import ctr_batch, expected_top_k, history_mask, next_item_batch, seen_mask

K = 5


def recommend_matches_serve(loaded, model, train, users):
    scores = model.serve({'user_id': users})
    got = loaded.signatures[RECOMMEND](user_id=tf2.constant(users))
    ids, values = expected_top_k(scores, K, seen_mask(train, users, model.max_item))
    np.testing.assert_array_equal(got['item_ids'].numpy(), ids)
    np.testing.assert_array_equal(got['scores'].numpy(), values)
    mine = loaded.signatures[RECOMMEND_K](user_id=tf2.constant(users), k=tf2.constant(3),
                                          exclude_seen=tf2.constant(False))
    ids, values = expected_top_k(scores, 3)
    np.testing.assert_array_equal(mine['item_ids'].numpy(), ids)
    np.testing.assert_array_equal(mine['scores'].numpy(), values)


def signature_of(loaded, name, batch):
    return loaded.signatures[name](**{key: tf2.constant(value) for key, value in batch.items()})


def ctr_export_matches_serve(model, data, folder):
    loaded = tf2.saved_model.load(folder)
    assert set(loaded.signatures) == {SCORE, 'serving_default'}
    batch = ctr_batch(model, data)
    np.testing.assert_array_equal(signature_of(loaded, SCORE, batch)['scores'].numpy(), model.serve(batch))


def next_item_export_matches_serve(model, data, folder):
    """recommend from the history fed, its items left out; YouTube models also score pairs."""
    loaded = tf2.saved_model.load(folder)
    signatures = model.export_signatures()
    batch = next_item_batch(model, data)
    history = {name: batch[name] for name in signatures[RECOMMEND]}
    scores = model.serve(history)
    got = signature_of(loaded, RECOMMEND, history)
    ids, values = expected_top_k(scores, K, history_mask(batch, model.history_inputs, model.max_item))
    np.testing.assert_array_equal(got['item_ids'].numpy(), ids)
    np.testing.assert_array_equal(got['scores'].numpy(), values)
    everything = signature_of(loaded, RECOMMEND_K, {**history, 'k': np.int32(3), 'exclude_seen': False})
    np.testing.assert_array_equal(everything['item_ids'].numpy(), expected_top_k(scores, 3)[0])
    if SCORE in signatures:
        pairs = {**history, 'item_id': np.arange(len(batch['user_id']), dtype=np.int32)}
        np.testing.assert_array_equal(signature_of(loaded, SCORE, pairs)['scores'].numpy(), model.serve(pairs))


@pytest.mark.parametrize('name', list(CASES))
def test_every_model_exports_signatures_that_return_its_serve(name, tmp_path):
    model, data = small_model(name)
    with model:
        if model.history_inputs is not None:
            next_item_export_matches_serve(model, data, model.export_saved_model(str(tmp_path), top_k=K))
            return
        if data.split is None:  # a CTR model: its own inputs, a probability per example
            ctr_export_matches_serve(model, data, model.export_saved_model(str(tmp_path)))
            return
        train = data.split.train
        folder = model.export_saved_model(str(tmp_path), top_k=K, exclude=train)
        loaded = tf2.saved_model.load(folder)
        assert {RECOMMEND, RECOMMEND_K, SCORE, 'serving_default'} <= set(loaded.signatures)
        users = np.array([0, 3, 7, 50, 119], dtype=np.int32)
        recommend_matches_serve(loaded, model, train, users)
        items = np.array([1, 5, 9, 70, 79], dtype=np.int32)
        pairs = loaded.signatures[SCORE](user_id=tf2.constant(users), item_id=tf2.constant(items))
        np.testing.assert_array_equal(pairs['scores'].numpy(), model.serve({'user_id': users, 'item_id': items}))
        if name == 'KTUP':  # its knowledge-graph output becomes a signature of its own
            assert 'score_head_relation_tail' in loaded.signatures


def test_a_next_item_export_refuses_user_exclusions(tmp_path):
    model, data = small_model('RNNRec')
    with model, pytest.raises(ExportError, match='does not apply to a next-item model'):
        model.export_saved_model(str(tmp_path), exclude=[np.array([1])] * model.max_user)


FRESH_PROCESS = textwrap.dedent('''
    import sys
    import numpy as np
    import tensorflow as tf
    folder, users, items, out = sys.argv[1], np.load(sys.argv[2]), np.load(sys.argv[3]), sys.argv[4]
    loaded = tf.saved_model.load(folder)
    top = loaded.signatures['recommend'](user_id=tf.constant(users))
    pairs = loaded.signatures['score'](user_id=tf.constant(users), item_id=tf.constant(items))
    assert not [name for name in sys.modules if name.startswith('openrec2')]
    np.savez(out, ids=top['item_ids'].numpy(), scores=top['scores'].numpy(), pairs=pairs['scores'].numpy())
''')


def test_a_fresh_process_without_openrec2_loads_the_export_and_gets_the_same_answers(tmp_path):
    split = planted()
    users, items = np.arange(0, 120, 7, dtype=np.int32), np.arange(0, 80, 5)[:18].astype(np.int32)
    users = users[:len(items)]
    with BPR(batch_size=64, max_user=split.max_user, max_item=split.max_item, dim_embed=8, lr=0.05, seed=3) as model:
        model.fit(split.train, epochs=3, verbose=False, progress=False)
        folder = model.export_saved_model(str(tmp_path / 'export'), top_k=K, exclude=split.train)
        scores = model.serve({'user_id': users})
        pair_scores = model.serve({'user_id': users, 'item_id': items})
    np.save(tmp_path / 'users.npy', users)
    np.save(tmp_path / 'items.npy', items)
    script = tmp_path / 'load.py'
    script.write_text(FRESH_PROCESS)
    env = {key: value for key, value in os.environ.items() if key != 'PYTHONPATH'}  # openrec2 is not importable
    env['TF_CPP_MIN_LOG_LEVEL'] = '3'
    subprocess.run([sys.executable, str(script), folder, str(tmp_path / 'users.npy'), str(tmp_path / 'items.npy'),
                    str(tmp_path / 'out.npz')], check=True, env=env, cwd=str(tmp_path), timeout=120)
    got = np.load(tmp_path / 'out.npz')
    ids, values = expected_top_k(scores, K, seen_mask(split.train, users, split.max_item))
    np.testing.assert_array_equal(got['ids'], ids)
    np.testing.assert_array_equal(got['scores'], values)
    np.testing.assert_array_equal(got['pairs'], pair_scores)
    assert not np.isin(got['ids'][0], split.train.positive_items(int(users[0]))).any()


def test_versions_follow_each_other_and_say_what_they_hold(tmp_path):
    split = planted()
    with BPR(batch_size=64, max_user=split.max_user, max_item=split.max_item, dim_embed=4, seed=0) as model:
        first = model.export_saved_model(str(tmp_path), top_k=7, metadata={'dataset': 'planted'})
        second = model.export_saved_model(str(tmp_path))
        assert [os.path.basename(first), os.path.basename(second)] == ['1', '2']
        assert os.path.isfile(os.path.join(first, 'saved_model.pb')) and os.path.isdir(os.path.join(first, 'variables'))
        with pytest.raises(ExportError, match='exists already'):
            model.export_saved_model(str(tmp_path), version=2)
        with pytest.raises(ExportError, match='users'):
            model.export_saved_model(str(tmp_path), exclude=[[1]] * 3)
        with pytest.raises(SettingError, match='top_k'):
            model.export_saved_model(str(tmp_path), top_k=0)
    info = read_export_metadata(first)
    assert info['model'] == 'BPR' and info['top_k'] == 7 and info['dataset'] == 'planted'
    assert info['excludes_seen'] is False and info['signatures']['recommend_k']['inputs'] == [
        'exclude_seen', 'k', 'user_id']
    assert json.loads(json.dumps(info))['openrec2_version']
    assert sorted(os.listdir(tmp_path)) == ['1', '2']  # no staging folder left behind
    with pytest.raises(ExportError, match='no assets.extra'):
        read_export_metadata(str(tmp_path))


def test_without_exclusions_recommend_ranks_every_item_and_k_is_capped(tmp_path):
    split = planted()
    with BPR(batch_size=64, max_user=split.max_user, max_item=split.max_item, dim_embed=4, seed=0) as model:
        loaded = tf2.saved_model.load(model.export_saved_model(str(tmp_path), top_k=3))
        users = np.array([2, 4], dtype=np.int32)
        scores = model.serve({'user_id': users})
    got = loaded.signatures[RECOMMEND_K](user_id=tf2.constant(users), k=tf2.constant(1000),
                                         exclude_seen=tf2.constant(True))
    assert got['item_ids'].shape == (2, split.max_item)
    np.testing.assert_array_equal(got['item_ids'].numpy(), expected_top_k(scores, split.max_item)[0])
    with pytest.raises(tf2.errors.InvalidArgumentError, match='k must be >= 1'):
        loaded.signatures[RECOMMEND_K](user_id=tf2.constant(users), k=tf2.constant(0),
                                       exclude_seen=tf2.constant(True))


def test_default_signature_names():
    assert default_signatures([('user_id',), ('user_id', 'item_id'), ('head', 'relation', 'tail')]) == {
        'recommend': ('user_id',), 'score': ('user_id', 'item_id'),
        'score_head_relation_tail': ('head', 'relation', 'tail')}
    history = ('item_seq', 'item_seq_len')
    assert default_signatures([history, history + ('item_id',)], history) == {
        RECOMMEND: history, SCORE: history + ('item_id',)}
    assert default_signatures([('item_id', 'item_seq', 'item_seq_len')]) == {
        'score': ('item_id', 'item_seq', 'item_seq_len')}


@pytest.mark.slow
def test_ml100k_from_the_command_line_to_a_served_export_with_titles(tmp_path):
    """The checker's path on real data: train with the CLI, export, serve in a fresh process, recommend."""
    import io

    from openrec2.cli import main
    from openrec2.experiments.run_folder import rebuild_run, read_metrics

    run_dir, out = str(tmp_path / 'run'), str(tmp_path / 'serving')
    assert main(['train', '--model', 'BPR', '--dataset', 'ml-100k', '--epochs', '20', '--quiet', '--no-progress',
                 '--run-dir', run_dir], out=io.StringIO()) == 0
    metrics = read_metrics(run_dir)
    assert metrics['results']['test']['NDCG@10'] > 1.3 * metrics['baseline']['test']['NDCG@10']
    assert main(['export', run_dir, '--out', out, '--top-k', '10'], out=io.StringIO()) == 0
    users = np.arange(0, 943, 37, dtype=np.int32)
    items = np.arange(0, 1682, 67, dtype=np.int32)[:len(users)]
    users = users[:len(items)]
    with rebuild_run(run_dir) as run:
        scores = run.model.serve({'user_id': users})
        pairs = run.model.serve({'user_id': users, 'item_id': items})
        seen = seen_mask(run.data.split.train, users, run.model.max_item)
        titles = run.data.split.metadata['item_titles']
    np.save(tmp_path / 'users.npy', users)
    np.save(tmp_path / 'items.npy', items)
    (tmp_path / 'load.py').write_text(FRESH_PROCESS)
    env = {key: value for key, value in os.environ.items() if key != 'PYTHONPATH'}
    subprocess.run([sys.executable, str(tmp_path / 'load.py'), os.path.join(out, '1'), str(tmp_path / 'users.npy'),
                    str(tmp_path / 'items.npy'), str(tmp_path / 'out.npz')], check=True, env=env, timeout=300)
    got = np.load(tmp_path / 'out.npz')
    ids, values = expected_top_k(scores, 10, seen)
    np.testing.assert_array_equal(got['ids'], ids)
    np.testing.assert_array_equal(got['scores'], values)
    np.testing.assert_array_equal(got['pairs'], pairs)
    printed = io.StringIO()
    assert main(['recommend', run_dir, '--user', str(int(users[1]) + 1), '--k', '10'], out=printed) == 0
    lines = printed.getvalue().strip().splitlines()[1:]
    assert len(lines) == 10 and lines[0].endswith(titles[ids[1][0]])


def test_the_history_free_youtube_model_recommends_by_user_id(tmp_path):
    model, _ = small_model('YouTubeRec', use_history=False)
    with model:
        assert model.history_inputs is None
        loaded = tf2.saved_model.load(model.export_saved_model(str(tmp_path), top_k=K))
        users = np.array([0, 4, 9], dtype=np.int32)
        got = loaded.signatures[RECOMMEND](user_id=tf2.constant(users))
        ids, values = expected_top_k(model.serve({'user_id': users}), K)
        np.testing.assert_array_equal(got['item_ids'].numpy(), ids)
        np.testing.assert_array_equal(got['scores'].numpy(), values)
